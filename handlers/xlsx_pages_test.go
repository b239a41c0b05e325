package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"pakt/app/testkit"
)

// postWorkbook sends the upload form: the CSRF token, a nonce-less post and
// the file (empty data: no file chosen).
func postWorkbook(t *testing.T, b *testkit.Browser, path string, book *excelize.File) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("_csrf", b.CSRF); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("workbook", "progress.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if book != nil {
		if err := book.Write(fw); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Send(req)
}

// TestWorkbookPages: the tracking and questionnaire pages link the
// workbook and carry the upload form; a refused upload shows every cell
// next to the form; a good one saves and returns to the page.
func TestWorkbookPages(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	tracking := fmt.Sprintf("/plans/%d/tracking", x.plan)
	action := fmt.Sprintf("/periods/%d/progress.xlsx", x.period)
	mem := x.Login(member)
	page := expect(t, mem.Get(tracking), 200, "tracking page")
	for _, s := range []string{`href="` + action + `"`, `action="` + action + `" enctype="multipart/form-data"`, `name="workbook" type="file"`,
		fmt.Sprintf(`href="/plans/%d/progress.xlsx"`, x.plan)} {
		if !strings.Contains(page, s) {
			t.Errorf("tracking page lacks %s", s)
		}
	}
	if page := testkit.Body(x.Login(viewer).Get(tracking)); strings.Contains(page, action) {
		t.Error("a viewer is offered the workbook")
	}
	if page := testkit.Body(mem.Get(fmt.Sprintf("/plans/%d", x.plan))); !strings.Contains(page, fmt.Sprintf(`/plans/%d/export.xlsx`, x.plan)) {
		t.Error("the plan page does not link its workbook")
	}

	f := download(t, x.world, x.mem, x.workbookPath())
	set(t, f, "Reports", "F2", "On track")
	set(t, f, "Reports", "G2", 101)
	set(t, f, "Spending", "A2", "M1")
	set(t, f, "Spending", "D2", "1.005")
	bad := expect(t, postWorkbook(t, mem, action, f), 422, "bad workbook in the browser")
	for _, s := range []string{"<code>Reports!G2</code>: is too large", "<code>Spending!D2</code>: has more than two decimals",
		"<code>Spending!B2</code>: must not be empty", `aria-describedby="wb-` + fmt.Sprint(x.period) + `-errors"`} {
		if !strings.Contains(bad, s) {
			t.Errorf("refused upload page lacks %s", s)
		}
	}
	if strings.Index(bad, "Reports!G2") < strings.Index(bad, `name="workbook"`) {
		t.Error("the problems are not next to the upload form")
	}
	expect(t, postWorkbook(t, mem, action, nil), 422, "no file chosen")
	set(t, f, "Reports", "G2", 30)
	set(t, f, "Spending", "B2", "Municipal budget")
	set(t, f, "Spending", "D2", 10)
	resp := postWorkbook(t, mem, action, f)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != tracking {
		t.Fatalf("good workbook: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if page := testkit.Body(mem.Get(tracking)); !strings.Contains(page, "changed rows were saved as drafts") {
		t.Error("no flash after the upload")
	}
	if v := progressJSON(t, x.world, x.view, x.m1, x.period)["percent_complete"]; v != float64(30) {
		t.Fatalf("percent %v after the browser upload", v)
	}
	expect(t, postWorkbook(t, x.Login(viewer), action, f), 403, "viewer posts a workbook")
	expect(t, postWorkbook(t, x.Login(coordZ), action, f), 404, "other municipality posts a workbook")
	noCSRF := x.Login(member)
	noCSRF.CSRF = "forged"
	expect(t, postWorkbook(t, noCSRF, action, f), 403, "forged CSRF token")
}

// TestQuestionnaireWorkbookPage: the questionnaire page's upload form.
func TestQuestionnaireWorkbookPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fx := sfx(w)
	mem := w.Login(member)
	qPath := fmt.Sprintf("/questionnaires/%d", fx.QSent.ID)
	page := expect(t, mem.Get(qPath), 200, "questionnaire page")
	if !strings.Contains(page, `action="`+qPath+`/answers.xlsx"`) || !strings.Contains(page, `href="`+qPath+`/answers.xlsx"`) {
		t.Fatal("questionnaire page lacks the workbook link or form")
	}
	if page := testkit.Body(w.Login(memberCSW).Get(qPath)); strings.Contains(page, `action="`+qPath+`/answers.xlsx"`) {
		t.Error("another institution's member is offered the upload form")
	}
	f := download(t, w, w.Token(member), "/api/v1"+qPath+"/answers.xlsx")
	row := answerRow(t, f, "registered_unemployed")
	set(t, f, "Answers", fmt.Sprintf("E%d", row), "-3")
	bad := expect(t, postWorkbook(t, mem, qPath+"/answers.xlsx", f), 422, "bad answers in the browser")
	if !strings.Contains(bad, fmt.Sprintf("<code>Answers!E%d</code>: is negative", row)) {
		t.Error("refused answers page lacks the cell")
	}
	set(t, f, "Answers", fmt.Sprintf("E%d", row), 2900)
	if resp := postWorkbook(t, mem, qPath+"/answers.xlsx", f); resp.StatusCode != 303 || resp.Header.Get("Location") != qPath {
		t.Fatalf("good answers: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	expect(t, postWorkbook(t, w.Login(memberCSW), qPath+"/answers.xlsx", f), 403, "another institution's member posts")
}

// TestBrowserWorkbookUpload: in Chromium, the member finds the download
// link on the tracking page, uploads a workbook with bad cells and sees
// each cell next to the form, then uploads a corrected one.
func TestBrowserWorkbookUpload(t *testing.T) {
	t.Parallel()
	x := newXLSXWorld(t)
	base := serveHTTP(t, x.world)
	ctx := newChrome(t)
	a11ySignIn(t, ctx, base, member)
	tracking := fmt.Sprintf("/plans/%d/tracking", x.plan)
	chromeNavigate(t, ctx, chromedp.Navigate(base+tracking))
	id := fmt.Sprintf("wb-%d", x.period)
	screenshot(t, ctx, "tracking")
	axeCheck(t, ctx, "tracking page with the workbook form")
	href := chromeGet(t, ctx, chromedp.AttributeValue(chromedp.CSS("#"+id+"-download"), "href"))
	if !href.Exists || href.Value != fmt.Sprintf("/periods/%d/progress.xlsx", x.period) {
		t.Fatalf("download link %+v", href)
	}

	f := download(t, x.world, x.mem, x.workbookPath())
	set(t, f, "Reports", "F2", "Sometime")
	set(t, f, "Reports", "I2", "lots")
	chooseAndUpload(t, ctx, id, f)
	screenshot(t, ctx, "refused")
	axeCheck(t, ctx, "refused workbook")
	if got := chromeText(t, ctx, "h1"); !strings.HasPrefix(got, "Workbook upload") {
		t.Fatalf("after a refused upload: %q", got)
	}
	problems := chromeText(t, ctx, "form.xlsx-upload #"+id+"-errors")
	for _, s := range []string{"Reports!F2: is not one of the choices of its list", "Reports!I2: is not a number"} {
		if !strings.Contains(problems, s) {
			t.Errorf("problems next to the form lack %q: %q", s, problems)
		}
	}
	set(t, f, "Reports", "F2", "On track")
	set(t, f, "Reports", "I2", 14)
	chooseAndUpload(t, ctx, id, f)
	if got := chromePath(t, ctx); got != tracking {
		t.Fatalf("after a good upload at %s", got)
	}
	if got := chromeText(t, ctx, ".flash"); !strings.Contains(got, "saved as drafts") {
		t.Fatalf("flash %q", got)
	}
}

// chooseAndUpload picks the workbook in the upload form id and sends it.
func chooseAndUpload(t *testing.T, ctx context.Context, id string, f *excelize.File) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "progress.xlsx")
	if err := f.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(file)
	chromeDo(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#"+id+"-file"), []string{file}))
	chromeNavigate(t, ctx, chromedp.Click(chromedp.CSS("#"+id+" form button[type=submit]")))
}
