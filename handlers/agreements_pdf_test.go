package handlers_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// The final PDF prints every script of the region and has the certificate page.
func TestAgreementPDFText(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (.ci/run does)")
	}
	w := newWorld(t)
	coord, mem := w.Token(coordA), w.Token(member)
	body := agreementBody(w)
	body["body"] = "Latinica: čćđšž ČĆĐŠŽ\nЋирилица: Ђорђе Љиљана Његош\nМакедонски: ѓ ќ ѕ Ѓ Ќ Ѕ\nShqip: Gjakovë, çështje"
	a := decodeAgreement(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), body))
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/agreements/%d/open", a.ID), nil), 200, "open")
	for _, tok := range []string{mem, coord} {
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	}
	a = decodeAgreement(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/agreements/%d", a.ID), nil))
	pdf := testkit.Body(w.API(coord, "GET", fmt.Sprintf("/api/v1/agreements/%d/pdf", a.ID), nil))
	file := filepath.Join(t.TempDir(), "a.pdf")
	os.WriteFile(file, []byte(pdf), 0o644)
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, s := range []string{"čćđšž ČĆĐŠŽ", "Ђорђе Љиљана Његош", "ѓ ќ ѕ Ѓ Ќ Ѕ", "Gjakovë, çështje",
		"Protokol o saradnji", "Biro Bratunac", "Strana 1 od", "Potvrda o potpisima", (*a.SHA256)[:24], "/verify/" + (*a.SHA256)[:20]} {
		if !strings.Contains(strings.ReplaceAll(text, "\n", " "), s) && !strings.Contains(text, s) {
			t.Errorf("PDF text lacks %q", s)
		}
	}
	if os.Getenv("PAKT_PDF_OUT") != "" {
		os.WriteFile(filepath.Join(os.Getenv("PAKT_PDF_OUT"), "agreement.pdf"), []byte(pdf), 0o644)
	}
}
