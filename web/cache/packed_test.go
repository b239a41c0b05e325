package cache

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"
)

// Packed bytes give back the raw bytes, inflated or as a gzip member that
// the standard library's reader checks (CRC-32 and length).
func TestPackRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 200_000)
	for i := range noise {
		noise[i] = byte(rnd.IntN(256))
	}
	for name, raw := range map[string][]byte{
		"empty":   nil,
		"text":    []byte("<p>Mjera ✓ čćđšž – Мера ë</p>"),
		"large":   bytes.Repeat([]byte("<tr><td>obuka</td><td>1.234,00 KM</td></tr>\n"), 5000),
		"random":  noise, // incompressible: stored blocks
		"a block": bytes.Repeat([]byte{'x'}, 65535),
	} {
		p, err := pack(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := inflate(p)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("%s: inflated %d bytes (err %v), want %d", name, len(got), err, len(raw))
		}
		zr, err := gzip.NewReader(bytes.NewReader(gzipOf(p)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err = io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("%s: gzip gave %d bytes (err %v), want %d", name, len(got), err, len(raw))
		}
	}
}

// The CRC-32 of two pieces together, from theirs, is the CRC-32 of the
// whole.
func TestCRC32Combine(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {100, 3}, {7, 70_000}, {65_536, 131_071}} {
		a, b := make([]byte, sizes[0]), make([]byte, sizes[1])
		for i := range a {
			a[i] = byte(rnd.IntN(256))
		}
		for i := range b {
			b[i] = byte(rnd.IntN(256))
		}
		want := crc32.ChecksumIEEE(append(append([]byte{}, a...), b...))
		if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), len(b)); got != want {
			t.Errorf("sizes %v: combined %08x, want %08x", sizes, got, want)
		}
	}
}
