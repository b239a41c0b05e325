package cache

import (
	"bytes"
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
// each fragment is kept only as a raw deflate stream ending in a sync flush
// (byte-aligned, not final; packed.go) and a page is sent as one gzip member that
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

// writeSpliced writes the page with its fragments put back: as gzip when
// the client takes it, else with the fragments inflated.
func writeSpliced(c *fiber.Ctx, page []byte, frags []pageFragment) error {
	parts, order, err := splitPage(page, len(frags))
	if err != nil {
		return err
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	if acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		c.Response().SetBodyRaw(gzipMember(parts, order, frags)) // a fresh slice: no copy needed
		return nil
	}
	w := c.Response().BodyWriter()
	for i, p := range parts {
		w.Write(p) //nolint:errcheck // appends to memory
		if i < len(order) {
			raw, err := inflate(frags[order[i]].packed)
			if err != nil {
				return err
			}
			w.Write(raw) //nolint:errcheck
		}
	}
	return nil
}

// gzipMember builds the gzip member described at the top of this file.
func gzipMember(parts [][]byte, order []int, frags []pageFragment) []byte {
	size := len(gzipHeader) + len(finalBlock) + 8
	for i, p := range parts {
		size += len(p) + 5*(len(p)/0xffff+1)
		if i < len(order) {
			size += len(frags[order[i]].packed)
		}
	}
	out := append(make([]byte, 0, size), gzipHeader...)
	var crc uint32
	var n int
	for i, p := range parts {
		out = appendStored(out, p)
		crc, n = crc32.Update(crc, crc32.IEEETable, p), n+len(p)
		if i < len(order) {
			d, fcrc, fn := unpacked(frags[order[i]].packed)
			out = append(out, d...)
			crc, n = crc32Combine(crc, fcrc, fn), n+fn
		}
	}
	out = append(out, finalBlock...)
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
