package cache

import (
	"bytes"
	"compress/gzip"
	"html/template"
	"io"
	"testing"
)

// A page spliced from stored parts and cached deflate fragments is one valid
// gzip member (the reader checks its CRC-32 and length) holding the page.
func TestGzipMemberSplicesFragments(t *testing.T) {
	big := bytes.Repeat([]byte("<tr><td>Mjera – obuka za njegovateljice</td></tr>\n"), 3000) // > 64 KiB: several stored blocks
	raws := [][]byte{[]byte("<p>first ✓ čćđšž</p>"), big, nil}
	frags := make([]pageFragment, len(raws))
	for i, raw := range raws {
		p, err := pack(raw)
		if err != nil {
			t.Fatal(err)
		}
		frags[i].packed = p
	}
	cases := []struct {
		name  string
		parts []string
		order []int
	}{
		{"fragments between parts", []string{"<html><body>", "<hr>", "</body></html>"}, []int{1, 0}},
		{"empty parts and an empty fragment", []string{"", "", ""}, []int{2, 1}},
		{"a large part of its own", []string{string(big), "x"}, []int{0}},
		{"no fragment", []string{"<p>only the page</p>"}, nil},
	}
	for _, tc := range cases {
		parts := make([][]byte, len(tc.parts))
		var want bytes.Buffer
		for i, p := range tc.parts {
			parts[i] = []byte(p)
			want.WriteString(p)
			if i < len(tc.order) {
				want.Write(raws[tc.order[i]])
			}
		}
		zr, err := gzip.NewReader(bytes.NewReader(gzipMember(parts, tc.order, frags)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: inflated %d bytes, want %d", tc.name, len(got), want.Len())
		}
	}
}

// Markers come only from addFragment: text printed by a template cannot
// forge one, since html/template escapes the NUL that starts it.
func TestFragmentMarkerCannotBeForged(t *testing.T) {
	tmpl := template.Must(template.New("p").Parse(`<p title="{{.}}">{{.}}</p>`))
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, fragmentMarker+"0\x00"); err != nil {
		t.Fatal(err)
	}
	parts, order, err := splitPage(buf.Bytes(), 1)
	if err != nil || len(order) != 0 || len(parts) != 1 {
		t.Errorf("escaped text read as a marker: %q", buf.String())
	}
	if _, _, err := splitPage([]byte("a"+fragmentMarker+"7\x00b"), 1); err == nil {
		t.Error("a marker of a fragment the page does not have was accepted")
	}
	if _, _, err := splitPage([]byte("a"+fragmentMarker+"0"), 1); err == nil {
		t.Error("an unterminated marker was accepted")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip, deflate, br, zstd": true,
		"GZIP":                    true,
		"br;q=1.0, gzip;q=0.8":    true,
		"gzip;q=0":                false,
		"gzip; q=0.000, *":        false,
		"*":                       true,
		"*;q=0":                   false,
		"deflate, br":             false,
		"":                        false,
		"identity":                false,
		"x-gzip2":                 false,
		"gzip;q=bad":              false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
