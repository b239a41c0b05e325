package models_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"pakt/models"
)

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Evidence is judged by content only: the two Office types by the parts
// their ZIP holds, the rest by magic bytes.
func TestSniffEvidence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
		ok      bool
	}{
		{"pdf", []byte("%PDF-1.7\n..."), "application/pdf", true},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png", true},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg", true},
		{"xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), models.MIMEXLSX, true},
		{"docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), models.MIMEDOCX, true},
		{"xlsx without content types", zipOf(t, "xl/workbook.xml"), "", false},
		{"docx without its document", zipOf(t, "[Content_Types].xml", "word/styles.xml"), "", false},
		{"plain zip", zipOf(t, "a.txt"), "", false},
		{"truncated zip", zipOf(t, "[Content_Types].xml", "word/document.xml")[:40], "", false},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), "", false},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", false},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", false},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", false},
		{"empty", nil, "", false},
	} {
		got, ok := models.SniffEvidence(tc.content)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: %q %v, want %q %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	// Agreement scans stay PDF, PNG and JPEG.
	if _, ok := models.SniffScan(zipOf(t, "[Content_Types].xml", "word/document.xml")); ok {
		t.Error("a DOCX passes as an agreement scan")
	}
}
