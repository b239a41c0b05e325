package handlers_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xuri/excelize/v2"

	"pakt/app/testkit"
	"pakt/models"
)

// benchPlan is an adopted plan of n measures with an open period and a
// report on each, made through the API as the coordinator.
func benchPlan(b *testing.B, n int) (e *testkit.Env, tok string, period int64) {
	b.Helper()
	e = testkit.NewEnv(b)
	muni := e.Municipality("Bratunac")
	org := e.Organisation(muni.ID, "Općina Bratunac", "municipality")
	pes := e.Organisation(muni.ID, "Biro Bratunac", "pes")
	e.User(coordA, false, &org.ID, muni.ID, models.RoleCoordinator)
	tok = e.Token(coordA)
	var plan, obj struct{ ID int64 }
	testkit.DecodeJSON(b, e.API(tok, "POST", fmt.Sprintf("/api/v1/municipalities/%d/action-plans", muni.ID),
		map[string]any{"title": "Plan 2017–2018", "period_start": "2017-01-01", "period_end": "2018-12-31"}), &plan)
	testkit.DecodeJSON(b, e.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/objectives", plan.ID),
		map[string]any{"code": "C1", "title": "Zapošljavanje"}), &obj)
	type measure struct {
		ID         int64
		Indicators []struct{ ID int64 }
	}
	measures := make([]measure, n)
	for i := range measures {
		testkit.DecodeJSON(b, e.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/measures", plan.ID),
			measureBody(obj.ID, pes.ID, org.ID, 0, fmt.Sprintf("M%03d", i+1), "1000.00", "2000.00")), &measures[i])
	}
	benchOK(b, e.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/submit", plan.ID), nil))
	benchOK(b, e.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/adoption", plan.ID), map[string]any{"decided_on": "2017-04-27",
		"decision_number": "01-1/17", "votes_for": 20, "votes_against": 0, "votes_abstained": 0}))
	var per struct{ ID int64 }
	testkit.DecodeJSON(b, e.API(tok, "POST", fmt.Sprintf("/api/v1/action-plans/%d/reporting-periods", plan.ID),
		map[string]any{"label": "2017", "start_date": "2017-01-01", "end_date": "2017-12-31"}), &per)
	for _, m := range measures {
		benchOK(b, e.API(tok, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", m.ID, per.ID),
			progressBody(m.Indicators[0].ID, "100.50", 20, 12, 8)))
	}
	return e, tok, per.ID
}

func benchOK(b *testing.B, resp *http.Response) []byte {
	b.Helper()
	body := testkit.Body(resp)
	if resp.StatusCode >= 300 {
		b.Fatalf("%d %s", resp.StatusCode, body)
	}
	return []byte(body)
}

// BenchmarkProgressWorkbook200 downloads and uploads the workbook of a
// 200-measure plan (every row changed on upload): time and allocated bytes
// per operation, server side included (the app runs in this process).
func BenchmarkProgressWorkbook200(b *testing.B) {
	e, tok, period := benchPlan(b, 200)
	path := fmt.Sprintf("/api/v1/reporting-periods/%d/progress.xlsx", period)
	b.Run("download", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			benchOK(b, e.API(tok, "GET", path, nil))
		}
	})
	uploads := 0 // across the runs of the sub-benchmark: each upload changes every row
	b.Run("upload", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			uploads++
			body := changedWorkbook(b, benchOK(b, e.API(tok, "GET", path, nil)), 41+uploads%50)
			req := httptest.NewRequest(http.MethodPut, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", xlsxType)
			req.Header.Set("Authorization", "Bearer "+tok)
			b.StartTimer()
			if got := string(benchOK(b, e.Do(req))); got != `{"updated":200,"unchanged":0}` {
				b.Fatalf("upload: %s", got)
			}
		}
	})
}

// changedWorkbook sets every row's percent of a downloaded workbook.
func changedWorkbook(b *testing.B, raw []byte, percent int) []byte {
	b.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	for r := 2; r <= 201; r++ {
		if err := f.SetCellValue("Reports", fmt.Sprintf("G%d", r), percent); err != nil {
			b.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
