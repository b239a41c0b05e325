package handlers_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pakt/app/testkit"
	"pakt/models"
)

// answerRow finds the Answers row (1-based) of a question by code.
func answerRow(t *testing.T, f *excelize.File, code string) int {
	t.Helper()
	rows, err := f.GetRows("Answers")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 1 && r[1] == code {
			return i + 1
		}
	}
	t.Fatalf("no question %s in the workbook", code)
	return 0
}

// TestQuestionnaireWorkbookRoundTrip: an institution answers its
// questionnaire offline; bad cells are named; only the institution (or the
// coordinator) may upload; the municipality's other questionnaires and other
// municipalities are out of reach.
func TestQuestionnaireWorkbookRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fx := sfx(w)
	mem, coord := w.Token(member), w.Token(coordA)
	path := fmt.Sprintf("/api/v1/questionnaires/%d/answers.xlsx", fx.QSent.ID)
	f := download(t, w, mem, path)
	reg, choice, text := answerRow(t, f, "registered_unemployed"), answerRow(t, f, "csw_cooperation"), answerRow(t, f, "main_obstacles")
	set(t, f, "Answers", fmt.Sprintf("E%d", reg), "2900")
	set(t, f, "Answers", fmt.Sprintf("F%d", reg), 1500)
	set(t, f, "Answers", fmt.Sprintf("G%d", reg), 1400)
	set(t, f, "Answers", fmt.Sprintf("E%d", choice), "At least monthly")
	set(t, f, "Answers", fmt.Sprintf("E%d", text), "@Prevoz i briga o djeci – čćđšž")
	if got := expect(t, upload(t, w, mem, path, f), 200, "answers"); got != `{"updated":3,"unchanged":9}` {
		t.Fatalf("answers: %s", got)
	}
	stored, err := models.QuestionnaireAnswers(context.Background(), w.DB, w.A.ID, fx.QSent.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for id, a := range stored {
		got[fmt.Sprint(id)] = a.Value()
	}
	for code, want := range map[string]string{"registered_unemployed": "2900", "csw_cooperation": "monthly", "main_obstacles": "@Prevoz i briga o djeci – čćđšž"} {
		if v := got[fmt.Sprint(sitanQuestionID(t, w, fx.QSent, code))]; v != want {
			t.Errorf("%s stored as %q, want %q", code, v, want)
		}
	}
	again := download(t, w, mem, path)
	for _, ref := range []string{fmt.Sprintf("E%d", reg), fmt.Sprintf("F%d", reg), fmt.Sprintf("E%d", choice), fmt.Sprintf("E%d", text)} {
		if a, b := cell(t, f, "Answers", ref), cell(t, again, "Answers", ref); a != b {
			t.Errorf("Answers!%s: uploaded %q, downloaded again %q", ref, a, b)
		}
	}
	if got := expect(t, upload(t, w, mem, path, again), 200, "unchanged"); got != `{"updated":0,"unchanged":12}` {
		t.Fatalf("unchanged: %s", got)
	}

	set(t, again, "Answers", fmt.Sprintf("E%d", reg), "many")
	set(t, again, "Answers", fmt.Sprintf("F%d", reg), 3000)
	set(t, again, "Answers", fmt.Sprintf("E%d", choice), "Sometimes")
	set(t, again, "Answers", fmt.Sprintf("F%d", choice), 3)
	wantFields(t, upload(t, w, mem, path, again), 422, "bad answers", fmt.Sprintf("Answers!E%d", reg),
		fmt.Sprintf("Answers!E%d", choice), fmt.Sprintf("Answers!F%d", choice))

	// Who may upload: the CSW's member may not answer for the employment
	// service; a viewer may not upload; another municipality sees nothing.
	expect(t, upload(t, w, w.Token(memberCSW), path, f), 403, "another institution's member")
	expect(t, upload(t, w, w.Token(viewer), path, f), 403, "viewer")
	expect(t, w.API(w.Token(coordZ), "GET", path, nil), 404, "other municipality downloads")
	expect(t, upload(t, w, w.Token(coordZ), path, f), 404, "other municipality uploads")
	wantFields(t, upload(t, w, coord, fmt.Sprintf("/api/v1/questionnaires/%d/answers.xlsx", fx.QSubmitted.ID), f), 409,
		"submitted questionnaire", "workbook")
	csw := download(t, w, coord, fmt.Sprintf("/api/v1/questionnaires/%d/answers.xlsx", fx.QSubmitted.ID))
	wantFields(t, upload(t, w, coord, path, csw), 422, "another questionnaire's workbook", "workbook")
	// The coordinator's copy is the same questionnaire: nothing to change.
	if got := expect(t, upload(t, w, mem, path, download(t, w, coord, path)), 200, "coordinator's copy"); got != `{"updated":0,"unchanged":12}` {
		t.Fatalf("coordinator's copy: %s", got)
	}
}

// libreOffice converts a workbook the way a partner's LibreOffice saves it.
func libreOffice(t *testing.T, book *excelize.File) []byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("the LibreOffice test needs soffice (Debian libreoffice-calc; .ci/run installs it): %v", err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in", "book.xlsx"), filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := book.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", out, in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, msg)
	}
	raw, err := os.ReadFile(filepath.Join(out, "book.xlsx"))
	if err != nil {
		t.Fatalf("soffice wrote nothing: %v", err)
	}
	return raw
}

// TestProgressWorkbookFromLibreOffice: a workbook saved again by LibreOffice
// is accepted, unchanged rows stay unchanged and edits are saved.
func TestProgressWorkbookFromLibreOffice(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	expect(t, x.API(x.mem, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", x.m1, x.period),
		progressBody(x.ind1, "1234.56", 20, 12, 8)), 200, "first report")
	f := download(t, x.world, x.mem, x.workbookPath())
	if got := expect(t, upload(t, x.world, x.mem, x.workbookPath(), libreOffice(t, f)), 200, "LibreOffice, untouched"); got != `{"updated":0,"unchanged":1}` {
		t.Fatalf("LibreOffice, untouched: %s", got)
	}
	set(t, f, "Reports", "F2", "Completed")
	set(t, f, "Reports", "G2", 100)
	set(t, f, "Spending", "D2", 1300.1)
	set(t, f, "Indicators", "H2", 25)
	if got := expect(t, upload(t, x.world, x.mem, x.workbookPath(), libreOffice(t, f)), 200, "LibreOffice, edited"); got != `{"updated":1,"unchanged":0}` {
		t.Fatalf("LibreOffice, edited: %s", got)
	}
	js := testkit.Body(x.API(x.view, "GET", fmt.Sprintf("/api/v1/measures/%d/progress/%d", x.m1, x.period), nil))
	for _, s := range []string{`"status":"completed"`, `"percent_complete":100`, `"amount":"1300.1"`, `"value":"25"`} {
		if !strings.Contains(js, s) {
			t.Errorf("report lacks %s: %s", s, js)
		}
	}
}
