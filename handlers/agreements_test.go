package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"pakt/app/testkit"
)

// agreementBody is a valid draft: the municipality (coordinator signs) and
// the employment office (member signs), with one commitment each.
func agreementBody(w *world) map[string]any {
	return map[string]any{
		"title": "Protokol o saradnji – Братунац", "level": "coordination",
		"goal": "Zajedno zaposliti najteže zapošljive: č ć đ š ž", "body": "Član 1.\nStrane se obavezuju.\nČlan 2.\nIzvještaj jednom godišnje.",
		"valid_from": "2017-01-01", "valid_to": "2018-12-31",
		"parties": []map[string]any{
			{"organisation_id": w.OrgA.ID, "signatory_user_id": w.CoordA.ID},
			{"organisation_id": w.OrgA2.ID, "signatory_user_id": w.MemA.ID},
		},
		"commitments": []map[string]any{
			{"action": "Uputiti korisnike socijalne pomoći na savjetovanje", "responsible_organisation_id": w.OrgA2.ID,
				"supporting_organisation_ids": []int64{w.OrgA.ID}, "due_date": "2017-06-30"},
			{"action": "Sufinansirati obuke", "responsible_organisation_id": w.OrgA.ID, "due_date": "2030-12-31"},
		},
	}
}

type agreementJSON struct {
	ID           int64
	Status       string
	VersionNo    int     `json:"version_no"`
	SupersedesID *int64  `json:"supersedes_id"`
	SHA256       *string `json:"sha256"`
	FinalPDF     *string `json:"final_pdf_sha256"`
	Version      int
	Signatures   []struct {
		OrganisationID int64  `json:"organisation_id"`
		UserID         int64  `json:"user_id"`
		SHA256         string `json:"sha256"`
	}
	Commitments []struct{ ID int64 }
}

func decodeAgreement(t *testing.T, resp *http.Response) agreementJSON {
	t.Helper()
	var a agreementJSON
	testkit.DecodeJSON(t, resp, &a)
	return a
}

func expect(t *testing.T, resp *http.Response, status int, what string) string {
	t.Helper()
	body := testkit.Body(resp)
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d: %s", what, resp.StatusCode, status, body)
	}
	return body
}

// openAgreement creates and opens an agreement through the API.
func openAgreement(t *testing.T, w *world, coordTok string) agreementJSON {
	t.Helper()
	a := decodeAgreement(t, w.API(coordTok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), agreementBody(w)))
	resp := w.API(coordTok, "POST", fmt.Sprintf("/api/v1/agreements/%d/open", a.ID), nil)
	expect(t, resp, 200, "open")
	return decodeAgreement(t, resp)
}

func TestAgreementLifecycleAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem, view, other := w.Token(coordA), w.Token(member), w.Token(viewer), w.Token(coordZ)
	path := fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID)

	expect(t, w.API(mem, "POST", path, agreementBody(w)), 403, "member creates")
	expect(t, w.API(other, "POST", path, agreementBody(w)), 404, "other municipality creates")
	resp := w.API(coord, "POST", path, agreementBody(w))
	a := decodeAgreement(t, resp)
	if resp.StatusCode != 201 || a.Status != "draft" || a.VersionNo != 1 {
		t.Fatalf("create: %d %+v", resp.StatusCode, a)
	}
	ap := fmt.Sprintf("/api/v1/agreements/%d", a.ID)
	expect(t, w.API(other, "GET", ap, nil), 404, "other municipality reads")
	expect(t, w.API(view, "GET", ap, nil), 200, "viewer reads")
	expect(t, w.API(coord, "PATCH", ap, map[string]any{"title": "Stale"}, "If-Match", "9"), 412, "stale patch")
	expect(t, w.API(coord, "PATCH", ap, map[string]any{"title": "Protokol o saradnji 2017"}, "If-Match", "1"), 200, "patch draft")
	expect(t, w.API(mem, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 409, "sign a draft")

	resp = w.API(coord, "POST", ap+"/open", nil)
	a = decodeAgreement(t, resp)
	if resp.StatusCode != 200 || a.Status != "open_for_signature" || a.SHA256 == nil || len(*a.SHA256) != 64 {
		t.Fatalf("open: %d %+v", resp.StatusCode, a)
	}
	expect(t, w.API(coord, "PATCH", ap, map[string]any{"title": "Changed"}), 409, "patch after open")
	expect(t, w.API(coord, "POST", ap+"/open", nil), 409, "open twice")
	expect(t, w.API(view, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 403, "viewer signs")
	expect(t, w.API(other, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 404, "other municipality signs")
	body := expect(t, w.API(mem, "POST", ap+"/signatures", map[string]any{"password": "wrong"}), 422, "wrong password")
	if !strings.Contains(body, `"password"`) {
		t.Fatalf("wrong password not reported on the field: %s", body)
	}
	resp = w.API(mem, "POST", ap+"/signatures", map[string]any{"password": testkit.Password})
	a = decodeAgreement(t, resp)
	if resp.StatusCode != 201 || a.Status != "open_for_signature" || len(a.Signatures) != 1 || a.Signatures[0].SHA256 != *a.SHA256 {
		t.Fatalf("first signature: %d %+v", resp.StatusCode, a)
	}
	expect(t, w.API(mem, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 409, "sign twice")
	resp = w.API(coord, "POST", ap+"/signatures", map[string]any{"password": testkit.Password})
	a = decodeAgreement(t, resp)
	if resp.StatusCode != 201 || a.Status != "in_force" || len(a.Signatures) != 2 {
		t.Fatalf("last signature: %d %+v", resp.StatusCode, a)
	}

	// The final PDF was generated once and registered; downloads return exactly it.
	a = decodeAgreement(t, w.API(view, "GET", ap, nil))
	if a.FinalPDF == nil {
		t.Fatal("no final PDF registered when the agreement came into force")
	}
	pdf1 := testkit.Body(w.API(view, "GET", ap+"/pdf", nil))
	pdf2 := testkit.Body(w.API(coord, "GET", ap+"/pdf", nil))
	if pdf1 != pdf2 || sha(pdf1) != *a.FinalPDF || !strings.HasPrefix(pdf1, "%PDF") {
		t.Fatal("PDF download is not the registered final document")
	}
	expect(t, w.API(other, "GET", ap+"/pdf", nil), 404, "other municipality downloads")

	// Public verification by the text hash and by the document hash.
	for _, h := range []string{*a.SHA256, *a.FinalPDF} {
		body := testkit.Body(w.Anonymous().Get("/verify/" + h))
		if !strings.Contains(body, "Protokol o saradnji 2017") || !strings.Contains(body, "Biro Bratunac") {
			t.Fatalf("verify %s does not show the agreement", h)
		}
	}
	expect(t, w.Anonymous().Get("/verify/"+strings.Repeat("ab", 32)), 404, "unknown hash")
	expect(t, w.Anonymous().Get("/verify/not-a-hash"), 404, "malformed hash")
	checkVerifyUpload(t, w, pdf1)

	// Amendment: a new draft version; the old one stays in force until the new one is.
	resp = w.API(coord, "POST", ap+"/amend", nil)
	v2 := decodeAgreement(t, resp)
	if resp.StatusCode != 201 || v2.VersionNo != 2 || v2.SupersedesID == nil || *v2.SupersedesID != a.ID || v2.Status != "draft" {
		t.Fatalf("amend: %d %+v", resp.StatusCode, v2)
	}
	expect(t, w.API(coord, "POST", ap+"/amend", nil), 409, "amend twice")
	v2p := fmt.Sprintf("/api/v1/agreements/%d", v2.ID)
	expect(t, w.API(coord, "PATCH", v2p, map[string]any{"body": "Član 1.\nStrane se obavezuju.\nČlan 2.\nIzvještaj dva puta godišnje."}), 200, "edit amendment")
	expect(t, w.API(coord, "POST", v2p+"/open", nil), 200, "open amendment")
	if decodeAgreement(t, w.API(view, "GET", ap, nil)).Status != "in_force" {
		t.Fatal("old version left force before the amendment was signed")
	}
	expect(t, w.API(mem, "POST", v2p+"/signatures", map[string]any{"password": testkit.Password}), 201, "sign amendment")
	expect(t, w.API(coord, "POST", v2p+"/signatures", map[string]any{"password": testkit.Password}), 201, "sign amendment")
	if st := decodeAgreement(t, w.API(view, "GET", ap, nil)).Status; st != "superseded" {
		t.Fatalf("old version is %s, want superseded", st)
	}
	page := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/agreements/%d", v2.ID)))
	for _, s := range []string{"version 1", "version 2", "dva puta godišnje", "<del>- Izvještaj jednom godišnje.</del>"} {
		if !strings.Contains(page, s) {
			t.Errorf("amendment page lacks %q", s)
		}
	}
}

func sha(s string) string {
	return fmt.Sprintf("%x", sha256Sum([]byte(s)))
}

func checkVerifyUpload(t *testing.T, w *world, pdf string) {
	t.Helper()
	b := w.Anonymous()
	b.Get("/verify")
	for _, tc := range []struct {
		content string
		want    string
	}{{pdf, "exactly a registered document"}, {pdf + " ", "not a registered document"}} {
		req := multipartRequest(t, "/verify", map[string]string{"_csrf": b.CSRF}, "file", "x.pdf", []byte(tc.content))
		resp := b.Send(req)
		if body := testkit.Body(resp); resp.StatusCode != 200 || !strings.Contains(body, tc.want) {
			t.Fatalf("verify upload: %d, want %q", resp.StatusCode, tc.want)
		}
	}
}

func multipartRequest(t *testing.T, path string, fields map[string]string, fileField, name string, content []byte) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(fileField, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func TestAgreementValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	body := agreementBody(w)
	body["title"] = ""
	body["level"] = "friendship"
	body["valid_to"] = "2016-01-01"
	body["parties"] = []map[string]any{{"organisation_id": w.OrgA.ID, "signatory_user_id": w.MemA.ID}, {"organisation_id": w.OrgB.ID, "signatory_user_id": w.CoordB.ID}}
	body["commitments"] = []map[string]any{{"action": "", "responsible_organisation_id": w.OrgB.ID, "due_date": "31.12.2017"}}
	got := expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), body), 422, "invalid draft")
	var e struct {
		Error struct{ Fields map[string]string }
	}
	json.Unmarshal([]byte(got), &e)
	for _, f := range []string{"title", "level", "parties[0].signatory_user_id", "parties[1].organisation_id",
		"commitments[0].action", "commitments[0].responsible_organisation_id", "commitments[0].due_date"} {
		if e.Error.Fields[f] == "" {
			t.Errorf("no error for %s: %v", f, e.Error.Fields)
		}
	}
	// The date order is checked once the dates parse.
	body = agreementBody(w)
	body["valid_to"] = "2016-01-01"
	if got := expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), body), 422, "period"); !strings.Contains(got, `"valid_to"`) {
		t.Fatal(got)
	}
	// Opening needs two parties and a commitment.
	body = agreementBody(w)
	body["parties"] = body["parties"].([]map[string]any)[:1]
	a := decodeAgreement(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), body))
	if got := expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/agreements/%d/open", a.ID), nil), 422, "open with one party"); !strings.Contains(got, `"parties"`) {
		t.Fatal(got)
	}
}

// Twenty simultaneous signatures by the same signatory make exactly one.
func TestConcurrentSignaturesMakeOne(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	mem := w.Token(member)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = w.API(mem, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}).StatusCode
		}()
	}
	wg.Wait()
	// A 429 (no turn to check the password in time, on a loaded machine)
	// means "come back": a client does, once the burst is over.
	for i, c := range codes {
		if c == 429 {
			codes[i] = w.API(mem, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}).StatusCode
		}
	}
	created, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case 201:
			created++
		case 409:
			conflicts++
		}
	}
	var n int64
	w.DB.Raw("SELECT count(*) FROM agreement_signatures WHERE agreement_id = ?", a.ID).Scan(&n)
	if n != 1 || created != 1 || conflicts != 19 {
		t.Fatalf("signatures %d, 201s %d, 409s %d (codes %v)", n, created, conflicts, codes)
	}
}

// The database itself refuses changes to signed content.
func TestSignedContentFrozenInDatabase(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord := w.Token(coordA)
	a := openAgreement(t, w, coord)
	expect(t, w.API(w.Token(member), "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	refused := []string{
		fmt.Sprintf("UPDATE agreements SET title = 'forged' WHERE id = %d", a.ID),
		fmt.Sprintf("UPDATE agreements SET body = body || ' extra' WHERE id = %d", a.ID),
		fmt.Sprintf("UPDATE agreements SET valid_to = '2030-01-01' WHERE id = %d", a.ID),
		fmt.Sprintf("UPDATE agreements SET status = 'draft' WHERE id = %d", a.ID),
		fmt.Sprintf("DELETE FROM agreements WHERE id = %d", a.ID),
		fmt.Sprintf("UPDATE agreement_parties SET signatory_user_id = %d WHERE agreement_id = %d", w.ViewA.ID, a.ID),
		fmt.Sprintf("DELETE FROM agreement_parties WHERE agreement_id = %d", a.ID),
		fmt.Sprintf("INSERT INTO agreement_parties (agreement_id, municipality_id, position, organisation_id, signatory_user_id) VALUES (%d, %d, 9, %d, %d)", a.ID, w.A.ID, w.OrgB.ID, w.CoordB.ID),
		fmt.Sprintf("UPDATE agreement_commitments SET action = 'nothing' WHERE agreement_id = %d", a.ID),
		fmt.Sprintf("DELETE FROM agreement_commitments WHERE agreement_id = %d", a.ID),
		fmt.Sprintf("UPDATE agreement_signatures SET signed_at = now() - interval '1 year' WHERE agreement_id = %d", a.ID),
		fmt.Sprintf("DELETE FROM agreement_signatures WHERE agreement_id = %d", a.ID),
	}
	for _, q := range refused {
		if err := w.DB.Exec(q).Error; err == nil || !strings.Contains(err.Error(), "frozen") && !strings.Contains(err.Error(), "cannot") {
			t.Errorf("%s: %v", q, err)
		}
	}
	// A draft's content, by contrast, may change.
	d := decodeAgreement(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/municipalities/%d/agreements", w.A.ID), agreementBody(w)))
	if err := w.DB.Exec("UPDATE agreements SET title = 'edited' WHERE id = ?", d.ID).Error; err != nil {
		t.Fatalf("draft update refused: %v", err)
	}
}

func TestDeclineAndHash(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem := w.Token(coordA), w.Token(member)
	// The same content always gives the same hash.
	a1 := openAgreement(t, w, coord)
	var again string
	w.DB.Raw("SELECT sha256 FROM agreements WHERE id = ?", a1.ID).Scan(&again)
	if again != *a1.SHA256 {
		t.Fatal("hash changed after storing")
	}
	ap := fmt.Sprintf("/api/v1/agreements/%d", a1.ID)
	expect(t, w.API(mem, "POST", ap+"/decline", map[string]any{"reason": " "}), 422, "decline without reason")
	expect(t, w.API(w.Token(viewer), "POST", ap+"/decline", map[string]any{"reason": "no"}), 403, "viewer declines")
	resp := w.API(mem, "POST", ap+"/decline", map[string]any{"reason": "Rokovi su nerealni."})
	if a := decodeAgreement(t, resp); resp.StatusCode != 200 || a.Status != "declined" {
		t.Fatalf("decline: %d %+v", resp.StatusCode, a)
	}
	expect(t, w.API(coord, "POST", ap+"/signatures", map[string]any{"password": testkit.Password}), 409, "sign declined")
}

func TestWetInkAttachment(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := openAgreement(t, w, w.Token(coordA))
	b := w.Login(coordA)
	scan := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("scan "), 100)...)
	path := fmt.Sprintf("/agreements/%d/attachments", a.ID)
	resp := b.Send(multipartRequest(t, path, map[string]string{"_csrf": b.CSRF}, "file", "potpisano.pdf", scan))
	expect(t, resp, 303, "upload scan")
	// Content decides, not the name: a text file called .pdf is refused next to the field.
	resp = b.Send(multipartRequest(t, path, map[string]string{"_csrf": b.CSRF}, "file", "fake.pdf", []byte("just text")))
	if body := expect(t, resp, 422, "fake pdf"); !strings.Contains(body, `id="e-file"`) {
		t.Fatal("file error not next to the field")
	}
	resp = b.Send(multipartRequest(t, path, map[string]string{}, "file", "x.pdf", scan))
	expect(t, resp, 403, "upload without CSRF")
	mb := w.Login(member)
	resp = mb.Send(multipartRequest(t, path, map[string]string{"_csrf": mb.CSRF}, "file", "x.pdf", scan))
	expect(t, resp, 403, "member uploads")

	var att struct {
		ID          int64
		SHA256      string
		StoredName  string
		ContentType string
	}
	w.DB.Raw("SELECT id, sha256, stored_name, content_type FROM attachments WHERE object_id = ?", a.ID).Scan(&att)
	if att.SHA256 != sha(string(scan)) || att.ContentType != "application/pdf" || strings.Contains(att.StoredName, "potpisano") {
		t.Fatalf("attachment row %+v", att)
	}
	dl := fmt.Sprintf("/agreements/%d/attachments/%d", a.ID, att.ID)
	if got := testkit.Body(w.Login(viewer).Get(dl)); got != string(scan) {
		t.Fatal("viewer download differs")
	}
	expect(t, w.Login(coordZ).Get(dl), 404, "other municipality downloads")
	expect(t, w.Anonymous().Get(dl), 303, "anonymous download")
}

func TestCommitmentProgress(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	coord, mem := w.Token(coordA), w.Token(member)
	a := openAgreement(t, w, coord)
	cID := a.Commitments[0].ID // responsible: the employment office (member's organisation)
	cp := fmt.Sprintf("/api/v1/commitments/%d/progress", cID)
	expect(t, w.API(mem, "POST", cp, map[string]any{"status": "in_progress"}), 409, "progress before in force")
	expect(t, w.API(coord, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	expect(t, w.API(mem, "POST", fmt.Sprintf("/api/v1/agreements/%d/signatures", a.ID), map[string]any{"password": testkit.Password}), 201, "sign")
	expect(t, w.API(mem, "POST", cp, map[string]any{"status": "finished"}), 422, "bad status")
	expect(t, w.API(w.Token(viewer), "POST", cp, map[string]any{"status": "done"}), 403, "viewer records")
	expect(t, w.API(w.Token(coordZ), "POST", cp, map[string]any{"status": "done"}), 404, "other municipality records")
	other := w.User("ngo.a@test.ba", false, &w.OrgA.ID, w.A.ID, "member")
	_ = other
	expect(t, w.API(w.Token("ngo.a@test.ba"), "POST", cp, map[string]any{"status": "done"}), 403, "non-responsible organisation records")
	expect(t, w.API(mem, "POST", cp, map[string]any{"status": "in_progress", "note": "Prvih 12 osoba upućeno."}), 201, "record progress")

	list := testkit.Body(w.API(mem, "GET", "/api/v1/commitments", nil))
	if !strings.Contains(list, `"progress":"in_progress"`) || !strings.Contains(list, `"role":"responsible"`) {
		t.Fatalf("our commitments: %s", list)
	}
	// The first commitment was due in 2017 and is not done: the municipality page counts it overdue.
	page := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/municipalities/%d", w.A.ID)))
	if !strings.Contains(page, "Coordination") || !regexpMatch(`overdue actions: <strong class="late">1</strong> / 2`, page) {
		t.Fatalf("municipality page does not show level and overdue count")
	}
	// Progress history is append-only in the database.
	if err := w.DB.Exec("UPDATE commitment_progress SET status = 'done'").Error; err == nil {
		t.Fatal("progress history was editable")
	}
}
