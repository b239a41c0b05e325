package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/views/pdf"
)

// registeredDoc is one registered document of a test world, as downloaded.
type registeredDoc struct {
	kind, title string
	pdf         []byte
}

// registeredDocs makes one registered document of every kind in
// municipality A: a final agreement, an adopted plan, the published report
// of a closed period of that plan, and a published situation analysis.
func registeredDocs(t *testing.T, w *world) []registeredDoc {
	t.Helper()
	coord := w.Token(coordA)
	a := decodeAgreement(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), agreementBody(w)))
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/agreements/%d/open", a.ID), nil), 200, "open")
	for _, tok := range []string{w.Token(member), coord} {
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	}
	agPDF := expect(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/agreements/%d/pdf", a.ID), nil), 200, "agreement PDF")

	planID, mID, indID := adoptedPlan(t, w, coord)
	planPDF := expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.A.Slug, planID)), 200, "plan PDF")

	per := openPeriod(t, w, coord, planID, "2017", "2017-01-01", "2017-12-31")
	expect(t, w.API(w.Token(member), "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per), progressBody(indID, "100.00", 20, 12, 8)), 200, "progress")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per), nil), 200, "close")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reports/%d/publish", per), nil), 200, "publish")
	reportPDF := expect(t, w.API("", "GET", fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", planID, per), nil), 200, "report PDF")

	f := sfx(w)
	sitanPDF := expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/situation-analyses/%d/report.pdf", w.A.Slug, f.Pub.ID)), 200, "analysis PDF")
	return []registeredDoc{
		{"agreement", "Protokol o saradnji – Братунац", []byte(agPDF)},
		{"plan", "Lokalni akcioni plan zapošljavanja 2017–2018", []byte(planPDF)},
		{"report", "Lokalni akcioni plan zapošljavanja 2017–2018", []byte(reportPDF)},
		{"sitan", f.Pub.Title, []byte(sitanPDF)},
	}
}

// Every registered kind prints the hash of its content unbroken, links it
// and QR-codes it, carries its metadata, passes qpdf, and is verified by
// that hash, by its own hash and by upload.
func TestRegisteredDocuments(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"pdftotext", "pdfimages", "pdfinfo", "pdffonts", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install poppler-utils and qpdf (.ci/run does)", tool)
		}
	}
	w := newWorld(t)
	for _, d := range registeredDocs(t, w) {
		t.Run(d.kind, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), d.kind+".pdf")
			if err := os.WriteFile(file, d.pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("PAKT_PDF_OUT"); dir != "" {
				os.WriteFile(filepath.Join(dir, "registered-"+d.kind+".pdf"), d.pdf, 0o644)
			}
			content := checkPrintedHash(t, w, d, file)
			url := w.Cfg.BaseURL + "/verify/" + content
			if !bytes.Contains(d.pdf, []byte("/URI ("+url+")")) {
				t.Errorf("no link annotation to %s", url)
			}
			checkQR(t, file, url)
			checkPDFTools(t, w, d, file)
			checkVerifyByHash(t, w, d, content)
			checkUploadVerifies(t, w, d)
		})
	}
}

var hexRun = regexp.MustCompile(`[0-9a-f]{16,}`)

// checkPrintedHash finds the content hash on one line of the text and
// checks it is the one registered for these bytes; no line holds a piece
// of a hash.
func checkPrintedHash(t *testing.T, w *world, d registeredDoc, file string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	w.DB.Raw("SELECT content_sha256 FROM registered_documents WHERE sha256 = ? AND kind = ?", sha(string(d.pdf)), d.kind).Scan(&stored)
	if len(stored) != 64 {
		t.Fatalf("the downloaded PDF is not registered as a %s (content hash %q)", d.kind, stored)
	}
	found := false
	for _, run := range hexRun.FindAllString(string(out), -1) {
		if len(run) != 64 {
			t.Errorf("a hash is broken across lines: %q", run)
		}
		found = found || run == stored
	}
	if !found {
		t.Errorf("the content hash %s is not printed on one line", stored)
	}
	return stored
}

// checkQR compares the QR code image in the PDF, module by module, with
// go-qrcode's own encoding of the verification address (no QR decoder is in
// the package list).
func checkQR(t *testing.T, file, url string) {
	t.Helper()
	want, err := pdf.QRModules(url)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if out, err := exec.Command("pdfimages", "-png", file, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	for _, p := range pngs {
		if sameModules(t, p, want) {
			return
		}
	}
	t.Errorf("none of %d images is the QR code of %s", len(pngs), url)
}

func sameModules(t *testing.T, file string, want [][]bool) bool {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds() != image.Rect(0, 0, len(want), len(want)) {
		return false
	}
	for y, row := range want {
		for x, dark := range row {
			r, _, _, _ := img.At(x, y).RGBA()
			if (r < 0x8000) != dark {
				return false
			}
		}
	}
	return true
}

var subsetFont = regexp.MustCompile(`^[A-Z]{6}\+DejaVuSans(-Bold|-Oblique)?\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s`)

// checkPDFTools: qpdf finds no error; pdfinfo shows title, author, subject,
// creator and the XMP stream; pdffonts shows embedded, subset, Unicode-mapped
// fonts with their real names; the catalog names the language.
func checkPDFTools(t *testing.T, w *world, d registeredDoc, file string) {
	t.Helper()
	if out, err := exec.Command("qpdf", "--check", file).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	info, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"Title:", "Author:", "Subject:", "Keywords:", "Creator:"} {
		if !regexp.MustCompile(`(?m)^` + field + `\s+\S`).Match(info) {
			t.Errorf("pdfinfo: no %s\n%s", field, info)
		}
	}
	if !bytes.Contains(info, []byte("Metadata Stream: yes")) || !bytes.Contains(info, []byte("Author:          "+w.A.Name)) {
		t.Errorf("pdfinfo: no XMP stream or wrong author\n%s", info)
	}
	fonts, err := exec.Command("pdffonts", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")[2:]
	for _, l := range lines {
		if !subsetFont.MatchString(l) {
			t.Errorf("pdffonts: %q is not an embedded, Unicode-mapped subset with its real name", l)
		}
	}
	if len(lines) == 0 || !bytes.Contains(d.pdf, []byte("/Lang (bs)")) || !bytes.Contains(d.pdf, []byte("<dc:language><rdf:Bag><rdf:li>bs<")) {
		t.Error("no fonts, or no document language (bs) in the catalog and XMP")
	}
	if !bytes.Contains(d.pdf, []byte("/OutputIntents [")) || !bytes.Contains(d.pdf, []byte("/S /GTS_PDFA1")) {
		t.Error("no sRGB output intent")
	}
}

// checkVerifyByHash: the printed hash and the file's own hash both lead to
// the document, as a page and as JSON; the JSON says the content is intact.
func checkVerifyByHash(t *testing.T, w *world, d registeredDoc, content string) {
	t.Helper()
	for _, h := range []string{content, sha(string(d.pdf))} {
		page := expect(t, w.Anonymous().Get("/verify/"+h), 200, "verify page")
		if !strings.Contains(page, templateEscape(d.title)) || !strings.Contains(page, w.A.Name) || !strings.Contains(page, content) {
			t.Errorf("verify page of %s lacks title, municipality or content hash", h)
		}
	}
	var got struct {
		Kind, Title, Match, Date string
		ContentSHA256            string `json:"content_sha256"`
		DocumentSHA256           string `json:"document_sha256"`
		Intact                   bool   `json:"content_intact"`
		Municipality             struct{ Name string }
		Parties, Signatures      []json.RawMessage
	}
	testkit.DecodeJSON(t, w.API("", "GET", "/api/v1/verify/"+content, nil), &got)
	if got.Kind != d.kind || got.Title != d.title || got.Match != "content" || got.ContentSHA256 != content ||
		got.DocumentSHA256 != sha(string(d.pdf)) || !got.Intact || got.Municipality.Name != w.A.Name || got.Date == "" {
		t.Errorf("verify JSON: %+v", got)
	}
	if d.kind == "agreement" && (len(got.Parties) != 2 || len(got.Signatures) != 2) {
		t.Errorf("verify JSON of an agreement: %d parties, %d signatures", len(got.Parties), len(got.Signatures))
	}
	req := w.API("", "GET", "/verify/"+sha(string(d.pdf)), nil, "Accept", "application/json")
	if body := expect(t, req, 200, "verify with Accept: application/json"); !strings.Contains(body, `"match":"document"`) {
		t.Errorf("verify negotiated JSON: %s", body)
	}
}

// checkUploadVerifies uploads the file, and a changed copy, to /verify.
func checkUploadVerifies(t *testing.T, w *world, d registeredDoc) {
	t.Helper()
	b := w.Anonymous()
	b.Get("/verify")
	page := expect(t, b.Send(multipartRequest(t, "/verify", map[string]string{"_csrf": b.CSRF}, "file", "x.pdf", d.pdf)), 200, "upload")
	if !strings.Contains(page, "exactly a registered document") || !strings.Contains(page, templateEscape(d.title)) {
		t.Errorf("upload of the %s not recognised", d.kind)
	}
	changed := append(append([]byte{}, d.pdf...), '\n')
	page = expect(t, b.Send(multipartRequest(t, "/verify", map[string]string{"_csrf": b.CSRF}, "file", "x.pdf", changed)), 200, "upload changed")
	if !strings.Contains(page, "not a registered document") {
		t.Errorf("a changed %s passes as registered", d.kind)
	}
}

func templateEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// Unknown and malformed hashes are 404 (page and JSON error), a form
// without a file is 422 and one over the limit 413, each next to the field.
func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	unknown := strings.Repeat("ab", 32)
	expect(t, w.Anonymous().Get("/verify/"+unknown), 404, "unknown hash")
	expect(t, w.Anonymous().Get("/verify/not-a-hash"), 404, "malformed hash")
	if body := expect(t, w.API("", "GET", "/api/v1/verify/"+unknown, nil), 404, "unknown hash, API"); !strings.Contains(body, `"code":"not_found"`) {
		t.Errorf("API 404 body: %s", body)
	}
	if body := expect(t, w.API("", "GET", "/verify/"+unknown, nil, "Accept", "application/json"), 404, "unknown hash, JSON"); !strings.Contains(body, `"error"`) {
		t.Errorf("negotiated 404 body: %s", body)
	}
	b := w.Anonymous()
	b.Get("/verify")
	req := multipartRequest(t, "/verify", map[string]string{"_csrf": b.CSRF}, "other", "x.pdf", []byte("%PDF-1.4"))
	if page := expect(t, b.Send(req), 422, "no file"); !strings.Contains(page, `id="e-file"`) || !strings.Contains(page, `aria-invalid="true"`) {
		t.Error("no error next to the file field")
	}
	big := bytes.Repeat([]byte("x"), 10<<20+1)
	if page := expect(t, b.Send(multipartRequest(t, "/verify", map[string]string{"_csrf": b.CSRF}, "file", "x.pdf", big)), 413, "too large"); !strings.Contains(page, `id="e-file"`) {
		t.Error("no error next to the file field for a file over the limit")
	}
	expect(t, b.Send(multipartRequest(t, "/verify", map[string]string{}, "file", "x.pdf", []byte("%PDF-1.4"))), 403, "upload without CSRF token")
}

// Registered PDFs keep the access rules of their objects: another
// municipality's coordinator does not get the adopted plan's PDF through
// the staff route, nor under its own slug; a draft plan has no public PDF.
func TestRegisteredPlanPDFAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	draftID, _ := newPlan(t, w, coord)
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.A.Slug, draftID)), 404, "public PDF of a draft")
	draft := expect(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/action-plans/%d/pdf", draftID), nil), 200, "draft PDF")
	var n int64
	w.DB.Raw("SELECT count(*) FROM registered_documents WHERE kind = 'plan'").Scan(&n)
	if n != 0 || strings.Contains(draft, "/verify/") {
		t.Fatal("a draft plan was registered or prints a verification address")
	}
	planID, _, _ := adoptedPlan(t, w, coord)
	w.DB.Raw("SELECT count(*) FROM registered_documents WHERE kind = 'plan' AND object_id = ?", planID).Scan(&n)
	if n != 1 {
		t.Fatalf("adoption registered %d documents", n)
	}
	staff := expect(t, w.API(w.Token(viewer), "GET", fmt.Sprintf("/api/v1/action-plans/%d/pdf", planID), nil), 200, "viewer")
	public := expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.A.Slug, planID)), 200, "public")
	if staff != public {
		t.Error("the staff and public routes send different documents for an adopted plan")
	}
	expect(t, w.API(w.Token(coordZ), "GET", fmt.Sprintf("/api/v1/action-plans/%d/pdf", planID), nil), 404, "other municipality")
	expect(t, w.Anonymous().Get(fmt.Sprintf("/m/%s/plans/%d/pdf", w.B.Slug, planID)), 404, "under another municipality's slug")
	expect(t, w.API(w.Token(member), "POST", fmt.Sprintf("/api/v1/action-plans/%d/revise", planID), nil), 403, "member revises")
}
