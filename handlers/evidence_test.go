package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"github.com/xuri/excelize/v2"

	"pakt/app/testkit"
	"pakt/models"
)

// Small real files of the five evidence types, built in the test.

func evidencePDF(t *testing.T) []byte {
	t.Helper()
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	pdf.Cell(40, 10, "Lista prisustva - obuka 12.3.2017")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func evidenceImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{200, 30, 30, 255})
	}
	return img
}

func evidencePNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, evidenceImage()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func evidenceJPEG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, evidenceImage(), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func evidenceXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Faktura br. 17/2017")
	f.SetCellValue("Sheet1", "B1", 1500.5)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// evidenceZip is a ZIP holding the named parts (a minimal DOCX when they
// are [Content_Types].xml and word/document.xml).
func evidenceZip(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><x name=%q/>`, p)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func evidenceDOCX(t *testing.T) []byte {
	return evidenceZip(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
}

// apiUpload posts one file as multipart "file" with a bearer token.
func apiUpload(t *testing.T, w *world, tok, path, name string, content []byte) *http.Response {
	t.Helper()
	req := multipartRequest(t, path, nil, "file", name, content)
	req.Header.Set("Authorization", "Bearer "+tok)
	return w.Do(req)
}

type evidenceJSON struct {
	ID          int64
	Name        string
	Size        int64
	SHA256      string
	ContentType string `json:"content_type"`
}

func TestEvidenceProgressAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem, view, other := w.Token(coordA), w.Token(member), w.Token(viewer), w.Token(coordZ)
	planID, mID, indID := adoptedPlan(t, w, coord)
	per := openPeriod(t, w, coord, planID, "2017 H1", "2017-01-01", "2017-06-30")
	ap := fmt.Sprintf("/api/v1/measures/%d/progress/%d/attachments", mID, per)

	// The five types, by content, from the member whose organisation leads the measure.
	files := []struct {
		name, ct string
		body     []byte
	}{
		{"lista prisustva.pdf", "application/pdf", evidencePDF(t)},
		{"foto.png", "image/png", evidencePNG(t)},
		{"foto.jpg", "image/jpeg", evidenceJPEG(t)},
		{"faktura.xlsx", models.MIMEXLSX, evidenceXLSX(t)},
		{"izvještaj.docx", models.MIMEDOCX, evidenceDOCX(t)},
	}
	ids := map[string]int64{}
	for _, f := range files {
		var got evidenceJSON
		resp := apiUpload(t, w, mem, ap, f.name, f.body)
		expect(t, resp, 201, "upload "+f.name)
		testkit.DecodeJSON(t, resp, &got)
		if got.Name != f.name || got.Size != int64(len(f.body)) || got.SHA256 != sha(string(f.body)) || got.ContentType != f.ct {
			t.Errorf("%s: answer %+v", f.name, got)
		}
		ids[f.name] = got.ID
	}
	var list struct{ Items []evidenceJSON }
	testkit.DecodeJSON(t, w.API(view, "GET", ap, nil), &list)
	if len(list.Items) != 5 || list.Items[0].Name != "lista prisustva.pdf" {
		t.Fatalf("list: %+v", list.Items)
	}

	// Download: the bytes, the sniffed type, never inline, never sniffed.
	dl := fmt.Sprintf("%s/%d", ap, ids["izvještaj.docx"])
	resp := w.API(view, "GET", dl, nil)
	body := expect(t, resp, 200, "viewer downloads")
	if body != string(files[4].body) || resp.Header.Get("Content-Type") != models.MIMEDOCX ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="izvje_taj.docx"; filename*=UTF-8''izvje%C5%A1taj.docx` {
		t.Fatalf("download headers: %v", resp.Header)
	}
	// A name that tries to break the header or the path stays a name.
	var odd evidenceJSON
	json.Unmarshal([]byte(expect(t, apiUpload(t, w, mem, ap, `..\..\"x"; filename=evil.html`, files[0].body), 201, "odd name")), &odd)
	resp = w.API(coord, "GET", fmt.Sprintf("%s/%d", ap, odd.ID), nil)
	expect(t, resp, 200, "odd name download")
	if cd := resp.Header.Get("Content-Disposition"); strings.Count(cd, `"`) != 2 || strings.Contains(cd, "/") ||
		!strings.HasPrefix(cd, `attachment; filename="`) || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("odd name header: %q", cd)
	}

	// Refused by content, whatever the name says.
	for _, bad := range []struct {
		name string
		body []byte
	}{
		{"setup.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)},
		{"izvjestaj.pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")},
		{"faktura.xlsx", evidenceZip(t, "xl/workbook.xml")},            // no [Content_Types].xml
		{"dopis.docx", evidenceZip(t, "[Content_Types].xml", "a.txt")}, // neither main part
		{"slika.png", []byte("GIF89a\x01\x00\x01\x00")},
	} {
		got := expect(t, apiUpload(t, w, mem, ap, bad.name, bad.body), 422, "refused "+bad.name)
		if !strings.Contains(got, `"file"`) {
			t.Errorf("%s: no fields.file: %s", bad.name, got)
		}
	}
	noFile := httpRequestJSONAuth(t, ap, mem)
	expect(t, w.Do(noFile), 422, "no file part")
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), models.MaxAttachmentBytes)...)
	if got := expect(t, apiUpload(t, w, mem, ap, "velik.pdf", big), 413, "over the limit"); !strings.Contains(got, `"file"`) {
		t.Errorf("413 without fields.file: %s", got)
	}

	// Who may: the viewer reads but does not add; a member of an organisation
	// not on the measure may not add; another municipality sees nothing.
	ngoOrg := w.Organisation(w.A.ID, "Udruženje Žene Podrinja", "ngo")
	w.User("ngo.a@test.ba", false, &ngoOrg.ID, w.A.ID, models.RoleMember)
	ngo := w.Token("ngo.a@test.ba")
	expect(t, apiUpload(t, w, view, ap, "a.pdf", files[0].body), 403, "viewer adds")
	expect(t, apiUpload(t, w, ngo, ap, "a.pdf", files[0].body), 403, "uninvolved organisation adds")
	expect(t, apiUpload(t, w, other, ap, "a.pdf", files[0].body), 404, "other municipality adds")
	expect(t, w.API(other, "GET", dl, nil), 404, "other municipality downloads")
	expect(t, w.API(other, "GET", ap, nil), 404, "other municipality lists")
	expect(t, w.API(w.Token("nobody@test.ba"), "GET", dl, nil), 404, "user without a role downloads")
	expect(t, w.API("", "GET", dl, nil), 401, "anonymous downloads")
	expect(t, w.API(coord, "GET", fmt.Sprintf("%s/%d", ap, ids["foto.png"]+1000), nil), 404, "unknown file")

	// Removing: the uploader or a coordinator; the stored bytes go too.
	contentRows := func() (n int) {
		w.DB.Raw("SELECT count(*) FROM attachment_contents WHERE attachment_id = ?", ids["foto.png"]).Scan(&n)
		return n
	}
	if contentRows() != 1 {
		t.Fatal("the file's bytes are not in attachment_contents")
	}
	expect(t, w.API(ngo, "DELETE", fmt.Sprintf("%s/%d", ap, ids["foto.png"]), nil), 403, "another member removes")
	expect(t, w.API(view, "DELETE", fmt.Sprintf("%s/%d", ap, ids["foto.png"]), nil), 403, "viewer removes")
	expect(t, w.API(other, "DELETE", fmt.Sprintf("%s/%d", ap, ids["foto.png"]), nil), 404, "other municipality removes")
	expect(t, w.API(mem, "DELETE", fmt.Sprintf("%s/%d", ap, ids["foto.png"]), nil), 204, "uploader removes")
	expect(t, w.API(coord, "DELETE", fmt.Sprintf("%s/%d", ap, ids["foto.jpg"]), nil), 204, "coordinator removes")
	expect(t, w.API(mem, "GET", fmt.Sprintf("%s/%d", ap, ids["foto.png"]), nil), 404, "removed file")
	if contentRows() != 0 {
		t.Fatal("the removed file's bytes stayed in attachment_contents")
	}

	// An accepted report's files are frozen (409), by the code and the database.
	pp := fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per)
	expect(t, w.API(mem, "PUT", pp, progressBody(indID, "100.00", 20, 12, 8)), 200, "save report")
	expect(t, w.API(mem, "POST", pp+"/submit", nil), 200, "submit")
	expect(t, apiUpload(t, w, coord, ap, "b.pdf", files[0].body), 201, "coordinator adds while reviewing")
	expect(t, w.API(coord, "POST", pp+"/accept", nil), 200, "accept")
	expect(t, apiUpload(t, w, mem, ap, "c.pdf", files[0].body), 409, "add to an accepted report")
	expect(t, w.API(coord, "DELETE", fmt.Sprintf("%s/%d", ap, ids["faktura.xlsx"]), nil), 409, "remove from an accepted report")
	if err := w.DB.Exec("DELETE FROM attachments WHERE id = ?", ids["faktura.xlsx"]).Error; err == nil {
		t.Fatal("the database let a file of an accepted report go")
	}

	// A closed period: 409, and the database refuses too.
	per2 := openPeriod(t, w, coord, planID, "2017 H2", "2017-07-01", "2017-12-31")
	ap2 := fmt.Sprintf("/api/v1/measures/%d/progress/%d/attachments", mID, per2)
	var kept evidenceJSON
	json.Unmarshal([]byte(expect(t, apiUpload(t, w, mem, ap2, "d.pdf", files[0].body), 201, "second period")), &kept)
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/reporting-periods/%d/close", per2), nil), 200, "close")
	expect(t, apiUpload(t, w, mem, ap2, "e.pdf", files[0].body), 409, "add to a closed period")
	expect(t, w.API(coord, "DELETE", fmt.Sprintf("%s/%d", ap2, kept.ID), nil), 409, "remove from a closed period")
	expect(t, w.API(view, "GET", fmt.Sprintf("%s/%d", ap2, kept.ID), nil), 200, "a closed period's file still downloads")
	if err := w.DB.Exec(`INSERT INTO attachments (municipality_id, object_type, object_id, period_id, kind, file_name, stored_name,
		content_type, size_bytes, sha256) VALUES (?, 'progress', ?, ?, 'evidence', 'x.pdf', 'x-direct.pdf', 'application/pdf', 1, 'x')`,
		w.A.ID, mID, per2).Error; err == nil {
		t.Fatal("the database let a file into a closed period")
	}
	// A period of another plan is no report of this measure.
	otherPlan, _, _ := adoptedPlan(t, w, coord)
	per3 := openPeriod(t, w, coord, otherPlan, "2017", "2017-01-01", "2017-12-31")
	expect(t, w.API(view, "GET", fmt.Sprintf("/api/v1/measures/%d/progress/%d/attachments", mID, per3), nil), 404, "list under another plan's period")
	expect(t, apiUpload(t, w, mem, fmt.Sprintf("/api/v1/measures/%d/progress/%d/attachments", mID, per3), "a.pdf", files[0].body), 404, "add under another plan's period")
	// A file of one period is not reachable under another.
	expect(t, w.API(coord, "GET", fmt.Sprintf("%s/%d", ap, kept.ID), nil), 404, "file under the wrong period")
}

// httpRequestJSONAuth is a multipart POST with no file part.
func httpRequestJSONAuth(t *testing.T, path, tok string) *http.Request {
	t.Helper()
	req := multipartRequest(t, path, map[string]string{"note": "x"}, "other", "a.pdf", []byte("%PDF-1.4"))
	req.Header.Set("Authorization", "Bearer "+tok)
	return req
}

func TestEvidenceCommitmentAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem, view, other := w.Token(coordA), w.Token(member), w.Token(viewer), w.Token(coordZ)
	a := openAgreement(t, w, coord)
	cID := a.Commitments[0].ID // responsible: the employment office (member), supporting: the municipality
	ap := fmt.Sprintf("/api/v1/commitments/%d/attachments", cID)
	pdf := evidencePDF(t)
	expect(t, apiUpload(t, w, mem, ap, "a.pdf", pdf), 409, "agreement not in force yet")
	for _, tok := range []string{coord, mem} {
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	}
	var got evidenceJSON
	json.Unmarshal([]byte(expect(t, apiUpload(t, w, mem, ap, "upućeni.xlsx", evidenceXLSX(t)), 201, "responsible adds")), &got)
	expect(t, apiUpload(t, w, coord, ap, "slika.png", evidencePNG(t)), 201, "coordinator adds")
	expect(t, apiUpload(t, w, mem, ap, "x.docx", []byte("PK\x03\x04 not really")), 422, "broken zip")
	ngoOrg := w.Organisation(w.A.ID, "Udruženje Žene Podrinja", "ngo")
	w.User("ngo.a@test.ba", false, &ngoOrg.ID, w.A.ID, models.RoleMember)
	expect(t, apiUpload(t, w, w.Token("ngo.a@test.ba"), ap, "a.pdf", pdf), 403, "uninvolved organisation adds")
	expect(t, apiUpload(t, w, view, ap, "a.pdf", pdf), 403, "viewer adds")
	expect(t, apiUpload(t, w, other, ap, "a.pdf", pdf), 404, "other municipality adds")

	var list struct{ Items []evidenceJSON }
	testkit.DecodeJSON(t, w.API(view, "GET", ap, nil), &list)
	if len(list.Items) != 2 || list.Items[0].ID != got.ID {
		t.Fatalf("list: %+v", list.Items)
	}
	resp := w.API(view, "GET", fmt.Sprintf("%s/%d", ap, got.ID), nil)
	if body := expect(t, resp, 200, "download"); resp.Header.Get("Content-Type") != models.MIMEXLSX ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") ||
		sha(body) != got.SHA256 {
		t.Fatalf("download: %v", resp.Header)
	}
	expect(t, w.API(other, "GET", fmt.Sprintf("%s/%d", ap, got.ID), nil), 404, "other municipality downloads")
	// The other commitment's path does not reach this file.
	expect(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/commitments/%d/attachments/%d", a.Commitments[1].ID, got.ID), nil), 404, "wrong commitment")
	expect(t, w.API(coord, "DELETE", fmt.Sprintf("%s/%d", ap, got.ID), nil), 204, "coordinator removes")
	testkit.DecodeJSON(t, w.API(view, "GET", ap, nil), &list)
	if len(list.Items) != 1 {
		t.Fatalf("after removal: %+v", list.Items)
	}
	raw, _ := json.Marshal(list)
	if strings.Contains(string(raw), "stored_name") {
		t.Fatal("the stored name leaks")
	}
}

// formUpload is a browser multipart post: the fields, the CSRF token and one file.
func formUpload(t *testing.T, b *testkit.Browser, path string, fields map[string]string, name string, content []byte) *http.Response {
	t.Helper()
	all := map[string]string{"_csrf": b.CSRF}
	for k, v := range fields {
		all[k] = v
	}
	return b.Send(multipartRequest(t, path, all, "file", name, content))
}

func TestEvidenceProgressPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	planID, mID, indID := adoptedPlan(t, w, coord)
	per := openPeriod(t, w, coord, planID, "2017 H1", "2017-01-01", "2017-06-30")
	form := fmt.Sprintf("/measures/%d/progress/%d", mID, per)
	attach := form + "/attachments"

	mb := w.Login(member)
	page := expect(t, mb.Get(form), 200, "report page")
	for _, want := range []string{`id="evidence"`, `name="file"`, `form="report-form"`, `formaction="` + attach + `"`,
		`formenctype="multipart/form-data"`, "No file has been attached yet."} {
		if !strings.Contains(page, want) {
			t.Fatalf("report page lacks %s", want)
		}
	}
	typed := map[string]string{"status": "on_track", "percent_complete": "55", "narrative": "Tekst koji se ne gubi – čćđšž",
		fmt.Sprintf("ind_%d", indID): "7", "b_total": "20", "b_women": "12", "b_men": "8"}
	keepsTyped := func(what, page string) {
		t.Helper()
		for _, want := range []string{"Tekst koji se ne gubi – čćđšž", `value="55"`, `value="7"`, `value="12"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the typed %s is lost", what, want)
			}
		}
	}
	// A wrong type: said next to the field, what was typed stays.
	page = expect(t, formUpload(t, mb, attach, typed, "izvjestaj.pdf", []byte("<html><body>nije PDF</body></html>")), 422, "HTML as PDF")
	if !strings.Contains(page, `<small id="e-file" class="field-error">Only PDF, PNG, JPEG, XLSX or DOCX`) {
		t.Fatal("no type error next to the file field")
	}
	keepsTyped("wrong type", page)
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), models.MaxAttachmentBytes)...)
	page = expect(t, formUpload(t, mb, attach, typed, "velik.pdf", big), 413, "too big")
	if !strings.Contains(page, `<small id="e-file" class="field-error">The file is larger than 10 MB.`) {
		t.Fatal("no size error next to the file field")
	}
	keepsTyped("too big", page)
	// A good file: attached, the report as typed comes back (not yet saved).
	page = expect(t, formUpload(t, mb, attach, typed, "lista prisustva.pdf", evidencePDF(t)), 200, "attach with the report")
	keepsTyped("attached", page)
	if !strings.Contains(page, "lista prisustva.pdf</a>") || !strings.Contains(page, "The file was attached.") ||
		!strings.Contains(page, "Member A") && !strings.Contains(page, w.MemA.Name) {
		t.Fatal("the attached file is not listed with its uploader")
	}
	expect(t, w.API(coord, "GET", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, per), nil), 404, "attaching saved the report")
	// From its own form (no report fields): back to the page with a message.
	resp := formUpload(t, mb, attach, nil, "foto.png", evidencePNG(t))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != form+"#evidence" {
		t.Fatalf("plain attach: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if page = testkit.Body(mb.Get(form)); !strings.Contains(page, "foto.png</a>") || !strings.Contains(page, "The file was attached.") {
		t.Fatal("plain attach not listed")
	}
	var ids []int64
	w.DB.Raw("SELECT id FROM attachments WHERE object_type = 'progress' ORDER BY id").Scan(&ids)
	if len(ids) != 2 {
		t.Fatalf("files: %v", ids)
	}
	// Remove the photo from the report form: gone, the typed text kept.
	page = expect(t, mb.Send(multipartRequest(t, fmt.Sprintf("%s/%d/delete", attach, ids[1]),
		map[string]string{"_csrf": mb.CSRF, "status": "on_track", "percent_complete": "55", "narrative": "Tekst koji se ne gubi – čćđšž",
			fmt.Sprintf("ind_%d", indID): "7", "b_total": "20", "b_women": "12", "b_men": "8"}, "file", "", nil)), 200, "remove")
	keepsTyped("removed", page)
	if strings.Contains(page, "foto.png</a>") || !strings.Contains(page, "The file was removed.") {
		t.Fatal("removed file still listed")
	}

	// Save and submit; the coordinator reviews with the files listed.
	expect(t, mb.PostForm(form, url.Values{"status": {"on_track"}, "percent_complete": {"55"}, "narrative": {"Gotovo."},
		"b_total": {"20"}, "b_women": {"12"}, "b_men": {"8"}}), 303, "save")
	expect(t, mb.PostForm(form+"/submit", url.Values{}), 303, "submit")
	cb := w.Login(coordA)
	if page = expect(t, cb.Get(fmt.Sprintf("/plans/%d/tracking", planID)), 200, "tracking page"); !strings.Contains(page, "submitted · files: 1") {
		t.Fatal("the tracking page does not count the report's files")
	}
	page = expect(t, cb.Get(form), 200, "review page")
	link := fmt.Sprintf(`href="%s/%d" download>lista prisustva.pdf</a>`, attach, ids[0])
	if !strings.Contains(page, link) || !strings.Contains(page, "Accept") {
		t.Fatalf("review page lacks the file link")
	}
	resp = cb.Get(fmt.Sprintf("%s/%d", attach, ids[0]))
	if expect(t, resp, 200, "coordinator downloads"); resp.Header.Get("Content-Type") != "application/pdf" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="lista prisustva.pdf"`) {
		t.Fatalf("download headers: %v", resp.Header)
	}
	// The viewer reads and downloads, but has no upload field or remove button.
	vb := w.Login(viewer)
	page = expect(t, vb.Get(form), 200, "viewer page")
	if !strings.Contains(page, link) || strings.Contains(page, `name="file"`) || strings.Contains(page, "/delete") {
		t.Fatal("viewer page: wrong evidence controls")
	}
	expect(t, vb.Send(multipartRequest(t, attach, map[string]string{"_csrf": vb.CSRF}, "file", "a.pdf", evidencePDF(t))), 403, "viewer attaches")
	// Another municipality: nothing.
	zb := w.Login(coordZ)
	expect(t, zb.Get(fmt.Sprintf("%s/%d", attach, ids[0])), 404, "other municipality downloads")
	expect(t, zb.Send(multipartRequest(t, attach, map[string]string{"_csrf": zb.CSRF}, "file", "a.pdf", evidencePDF(t))), 404, "other municipality attaches")
	// Accepted: the list stays, the controls go.
	expect(t, cb.PostForm(form+"/accept", url.Values{}), 303, "accept")
	if page = testkit.Body(cb.Get(form)); !strings.Contains(page, link) || strings.Contains(page, `name="file"`) {
		t.Fatal("accepted report: wrong evidence controls")
	}
}

func TestEvidenceCommitmentPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem := w.Token(coordA), w.Token(member)
	a := openAgreement(t, w, coord)
	for _, tok := range []string{coord, mem} {
		expect(t, w.API(tok, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	}
	cp := fmt.Sprintf("/commitments/%d", a.Commitments[0].ID)
	mb := w.Login(member)
	// The member's commitments list and the agreement page link the commitment's page.
	if !strings.Contains(testkit.Body(mb.Get("/commitments")), `href="`+cp+`"`) {
		t.Fatal("our commitments do not link the commitment page")
	}
	if !strings.Contains(testkit.Body(mb.Get(fmt.Sprintf("/agreements/%d", a.ID))), `href="`+cp+`"`) {
		t.Fatal("the agreement page does not link the commitment page")
	}
	page := expect(t, mb.Get(cp), 200, "commitment page")
	if !strings.Contains(page, "Uputiti korisnike socijalne pomoći") || !strings.Contains(page, `name="file"`) {
		t.Fatal("commitment page lacks the action or the upload field")
	}
	page = expect(t, formUpload(t, mb, cp+"/attachments", nil, "setup.docx", []byte("MZ\x90\x00 program")), 422, "exe as docx")
	if !strings.Contains(page, `id="e-file"`) {
		t.Fatal("no error next to the file field")
	}
	resp := formUpload(t, mb, cp+"/attachments", nil, "upućivanja.docx", evidenceDOCX(t))
	if resp.StatusCode != 303 {
		t.Fatalf("attach: %d", resp.StatusCode)
	}
	page = testkit.Body(mb.Get(cp))
	if !strings.Contains(page, "upućivanja.docx</a>") || !strings.Contains(page, "Word document") || !strings.Contains(page, "/delete") {
		t.Fatal("attached file not listed with its remove button")
	}
	vb := w.Login(viewer)
	if page = expect(t, vb.Get(cp), 200, "viewer"); !strings.Contains(page, "upućivanja.docx</a>") || strings.Contains(page, `name="file"`) {
		t.Fatal("viewer: wrong controls")
	}
	expect(t, w.Login(coordZ).Get(cp), 404, "other municipality")
}
