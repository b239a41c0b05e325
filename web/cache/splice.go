package cache

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Sending cached pages compressed, without compressing per request.
//
// A cached fragment (a plan's measures, a dashboard) is most of its page:
// 100–200 KB of HTML that is the same for every reader. Compressing the
// whole page for every request would cost more CPU than the cache saves, so
// each fragment is also kept as a raw deflate stream ending in a sync flush
// (byte-aligned, not final) and a page is sent as one gzip member that
// splices, in order:
//
//	gzip header
//	the page's own bytes before the fragment, as stored (uncompressed) blocks
//	the fragment's cached deflate bytes
//	… more page bytes and fragments …
//	the rest of the page as stored blocks, then an empty final block
//	CRC-32 and length of everything, as gzip wants
//
// The page's own bytes hold the viewer's CSRF token and whatever the request
// echoes back; they are stored, not compressed, so their compressed size
// says nothing about the token (BREACH). The fragments hold nothing of the
// viewer (see cached.go), so compressing them leaks nothing.

// fragmentMarker stands in a rendered page where a fragment goes. The
// templates escape a NUL from any data into U+FFFD, so only a marker
// can put one into the output.
const fragmentMarker = "\x00pakt-fragment-"

// deflateFragment compresses a fragment into a raw deflate stream that ends
// with a sync flush, so more deflate data may follow it.
func deflateFragment(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	// Flush, not Close: Close would write the final block.
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// splitPage cuts a rendered page at its fragment markers: the page's own
// parts and, between them, the index of the fragment that goes there.
func splitPage(page []byte, n int) (parts [][]byte, order []int, err error) {
	for {
		i := bytes.Index(page, []byte(fragmentMarker))
		if i < 0 {
			break
		}
		rest := page[i+len(fragmentMarker):]
		end := bytes.IndexByte(rest, 0)
		k, convErr := strconv.Atoi(string(rest[:max(end, 0)]))
		if end < 0 || convErr != nil || k < 0 || k >= n {
			return nil, nil, fiber.NewError(fiber.StatusInternalServerError, "broken fragment marker")
		}
		parts, order = append(parts, page[:i]), append(order, k)
		page = rest[end+1:]
	}
	return append(parts, page), order, nil
}

// writeSpliced writes the page with its fragments put back: plain, or as
// gzip when every fragment has its deflate form.
func writeSpliced(c *fiber.Ctx, page []byte, frags []pageFragment) error {
	parts, order, err := splitPage(page, len(frags))
	if err != nil {
		return err
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	gz := true
	for _, f := range frags {
		gz = gz && f.deflate != nil
	}
	w := c.Response().BodyWriter()
	if !gz {
		for i, p := range parts {
			w.Write(p) //nolint:errcheck // appends to memory
			if i < len(order) {
				w.Write(frags[order[i]].raw) //nolint:errcheck
			}
		}
		return nil
	}
	c.Set(fiber.HeaderContentEncoding, "gzip")
	c.Response().SetBodyRaw(gzipMember(parts, order, frags)) // a fresh slice: no copy needed
	return nil
}

// gzipMember builds the gzip member described at the top of this file.
func gzipMember(parts [][]byte, order []int, frags []pageFragment) []byte {
	size := 10 + 5 + 8
	for i, p := range parts {
		size += len(p) + 5*(len(p)/0xffff+1)
		if i < len(order) {
			size += len(frags[order[i]].deflate)
		}
	}
	out := make([]byte, 0, size)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff) // gzip, deflate, no name or time, OS unknown
	var crc uint32
	var n int
	for i, p := range parts {
		out = appendStored(out, p)
		crc, n = crc32.Update(crc, crc32.IEEETable, p), n+len(p)
		if i < len(order) {
			f := frags[order[i]]
			out = append(out, f.deflate...)
			crc, n = crc32.Update(crc, crc32.IEEETable, f.raw), n+len(f.raw)
		}
	}
	out = append(out, 1, 0, 0, 0xff, 0xff) // empty final stored block
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(n)) //nolint:gosec // ISIZE is the length mod 2^32
}

// appendStored appends p as non-final stored deflate blocks (at most 65535
// bytes each). The stream is byte-aligned before and after each block.
func appendStored(out, p []byte) []byte {
	for len(p) > 0 {
		n := min(len(p), 0xffff)
		out = append(out, 0, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out, p = append(out, p[:n]...), p[n:]
	}
	return out
}

// acceptsGzip reads Accept-Encoding: gzip (or *) without q=0.
func acceptsGzip(header string) bool {
	star := false
	for _, item := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		ok := true
		if q, found := strings.CutPrefix(strings.TrimSpace(params), "q="); found {
			v, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
			ok = err == nil && v > 0
		}
		if name == "gzip" {
			return ok
		}
		star = ok
	}
	return star
}
