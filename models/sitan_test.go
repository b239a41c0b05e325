package models

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func sitanI64(n int64) *int64 { return &n }

func TestTemplatesAreConsistent(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	for _, name := range TemplateNames {
		qs := QuestionnaireTemplates[name]
		if len(qs) == 0 {
			t.Fatalf("template %s has no questions", name)
		}
		codes := map[string]bool{}
		for _, q := range qs {
			if codes[q.Code] {
				t.Errorf("%s: duplicate code %s", name, q.Code)
			}
			codes[q.Code] = true
			if !q.Text.Complete() {
				t.Errorf("%s/%s lacks a language: %+v", name, q.Code, q.Text)
			}
			sitanCheckScripts(t, name+"/"+q.Code, q.Text)
			if !slices.Contains(QuestionKinds, q.Kind) {
				t.Errorf("%s/%s: kind %q", name, q.Code, q.Kind)
			}
			if q.Kind == QuestionChoiceKind && len(q.Options) < 2 {
				t.Errorf("%s/%s: a choice needs options", name, q.Code)
			}
			for _, o := range q.Options {
				if o.Value == "" || !o.Texts().Complete() {
					t.Errorf("%s/%s: option %+v incomplete", name, q.Code, o)
				}
				sitanCheckScripts(t, name+"/"+q.Code+"/"+o.Value, o.Texts())
			}
			if q.Indicator != "" {
				if _, ok := BaselineIndicatorByCode(q.Indicator); !ok || q.Kind != QuestionNumber {
					t.Errorf("%s/%s: indicator %q not in the catalogue or not numeric", name, q.Code, q.Indicator)
				}
				used[q.Indicator] = true
			}
		}
	}
	for _, in := range BaselineIndicators {
		if !used[in.Code] {
			t.Errorf("indicator %s is asked by no template", in.Code)
		}
		for _, o := range in.Owners {
			if !slices.Contains(OrganisationTypes, o) {
				t.Errorf("indicator %s: owner %q is no organisation type", in.Code, o)
			}
		}
		if !in.Name.Complete() {
			t.Errorf("indicator %s lacks a name in some language: %+v", in.Code, in.Name)
		}
		sitanCheckScripts(t, "indicator "+in.Code, in.Name)
	}
}

// Several organisations answering: owners are summed, other registers are
// shown beside the headline and flagged when they disagree.
func TestAggregateIndicators(t *testing.T) {
	t.Parallel()
	rows := []IndicatorSource{
		{Indicator: "social_assistance_able_to_work", OrganisationID: 5, OrganisationType: "pes", Value: 142, Women: sitanI64(60), Men: sitanI64(82)},
		{Indicator: "social_assistance_able_to_work", OrganisationID: 6, OrganisationType: "csw", Value: 160, Women: sitanI64(70), Men: sitanI64(90)},
		{Indicator: "registered_unemployed", OrganisationID: 5, OrganisationType: "pes", Value: 2900, Women: sitanI64(1500), Men: sitanI64(1400)},
		{Indicator: "school_dropouts", OrganisationID: 7, OrganisationType: "education", Value: 12, Women: sitanI64(5), Men: sitanI64(7)},
		{Indicator: "school_dropouts", OrganisationID: 8, OrganisationType: "education", Value: 9},
		{Indicator: "school_dropouts", OrganisationID: 6, OrganisationType: "csw", Value: 21},
		{Indicator: "ngo_beneficiaries", OrganisationID: 9, OrganisationType: "ngo", Value: 300},
		{Indicator: "ngo_beneficiaries", OrganisationID: 9, OrganisationType: "ngo", Value: 300}, // same org twice
		{Indicator: "ngo_beneficiaries", OrganisationID: 10, OrganisationType: "ngo", Value: 120},
		{Indicator: "custom_thing", OrganisationID: 10, OrganisationType: "ngo", Value: 4},
	}
	got := AggregateIndicators(rows)
	byCode := map[string]IndicatorValue{}
	var order []string
	for _, v := range got {
		byCode[v.Indicator] = v
		order = append(order, v.Indicator)
	}
	if want := []string{"registered_unemployed", "social_assistance_able_to_work", "school_dropouts", "ngo_beneficiaries", "custom_thing"}; !slices.Equal(order, want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	sa := byCode["social_assistance_able_to_work"]
	if sa.Value != 160 || !sa.Conflict || *sa.Women != 70 || len(sa.Values) != 2 || sa.Values[0].OrganisationType != "csw" || sa.Values[1].Counted {
		t.Fatalf("social assistance: %+v", sa)
	}
	ru := byCode["registered_unemployed"]
	if ru.Value != 2900 || ru.Conflict || *ru.Men != 1400 {
		t.Fatalf("registered unemployed: %+v", ru)
	}
	sd := byCode["school_dropouts"]
	if sd.Value != 21 || sd.Women != nil || len(sd.Counted()) != 2 || sd.Conflict {
		// two schools add up to 21, the CSW's 21 agrees: no conflict, split unknown for one school
		t.Fatalf("school drop-outs: %+v", sd)
	}
	ngo := byCode["ngo_beneficiaries"]
	if ngo.Value != 420 || len(ngo.Counted()) != 2 || ngo.Conflict {
		t.Fatalf("ngo beneficiaries counted one organisation twice: %+v", ngo)
	}
	if byCode["custom_thing"].Value != 4 {
		t.Fatal("indicator outside the catalogue lost")
	}
}

func TestParseAnswers(t *testing.T) {
	t.Parallel()
	ind := "registered_unemployed"
	qs := []Question{
		{ID: 1, Kind: QuestionNumber, Indicator: &ind, Split: true},
		{ID: 2, Kind: QuestionText},
		{ID: 3, Kind: QuestionChoiceKind, Options: ChoiceList{{Value: "yes", En: "Yes", Bs: "Da"}, {Value: "no", En: "No", Bs: "Ne"}}},
		{ID: 4, Kind: QuestionNumber},
	}
	rows, clear, err := parseAnswers(qs, []AnswerInput{{1, " 120 ", "60", "50"}, {2, "Ništa", "", ""}, {3, "yes", "", ""}, {4, "", "", ""}})
	if err != nil || len(rows) != 3 || !slices.Equal(clear, []int64{4}) || *rows[0].NumberValue != 120 || *rows[0].Men != 50 {
		t.Fatalf("valid answers: %v %v %v", rows, clear, err)
	}
	_, _, err = parseAnswers(qs, []AnswerInput{{1, "12a", "", ""}, {3, "maybe", "", ""}, {4, "-3", "", ""}, {99, "1", "", ""}})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want validation error, got %v", err)
	}
	want := map[string]string{"answers.1.value": "sitan.error.number", "answers.3.value": "sitan.error.choice",
		"answers.4.value": "sitan.error.negative", "answers.99.question_id": "sitan.error.unknown_question"}
	for k, v := range want {
		if ve.Fields[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, ve.Fields[k], v, ve.Fields)
		}
	}
	_, _, err = parseAnswers(qs, []AnswerInput{{1, "100", "60", "50"}, {4, "5", "2", ""}})
	if !errors.As(err, &ve) || ve.Fields["answers.1.women"] != "sitan.error.split_sum" || ve.Fields["answers.4.women"] != "sitan.error.no_split" {
		t.Fatalf("women + men > total and split on unsplit question: %v", err)
	}
}

func TestCheckGroupInput(t *testing.T) {
	t.Parallel()
	w, m := 30, 40
	in := VulnerableGroupInput{Group: "roma", EstimatedSize: 60, Women: &w, Men: &m, SpecificBarriers: []string{"job_information", "education"}, Priority: 1}
	if err := checkGroupInput(&in); err == nil {
		t.Fatal("women + men > size accepted")
	}
	m = 30
	in = VulnerableGroupInput{Group: "roma", EstimatedSize: 60, Women: &w, Men: &m, SpecificBarriers: []string{"job_information", "education"}, Priority: 1}
	if err := checkGroupInput(&in); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Barriers, []string{"employment", "information"}) {
		t.Fatalf("barrier families from specific barriers: %v", in.Barriers)
	}
	bad := VulnerableGroupInput{Group: "aliens", Barriers: []string{"weather"}, Priority: 0, EstimatedSize: -1}
	var ve *ValidationError
	errors.As(checkGroupInput(&bad), &ve)
	for _, f := range []string{"group", "barriers", "priority", "estimated_size"} {
		if ve == nil || ve.Fields[f] == "" {
			t.Errorf("%s not reported: %v", f, ve)
		}
	}
}

func TestFocusCountsMustAddUp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    FocusGroupInput
		field string
	}{
		{FocusGroupInput{Total: 10, Women: 6, Men: 3}, "participants_women"},
		{FocusGroupInput{Total: 10, Women: 6, Men: 4, Ages: []int{3, 3, 3}}, "participants_by_age"},
		{FocusGroupInput{Total: 0}, "participants_total"},
		{FocusGroupInput{Total: 10, Women: -1, Men: 11}, "participants_women"},
	}
	for _, c := range cases {
		f := map[string]string{}
		checkFocusCounts(f, &c.in)
		if f[c.field] == "" {
			t.Errorf("%+v: %s not reported (%v)", c.in, c.field, f)
		}
	}
	f := map[string]string{}
	checkFocusCounts(f, &FocusGroupInput{Total: 10, Women: 6, Men: 4, Ages: []int{5, 3, 2}})
	if len(f) != 0 {
		t.Fatalf("valid counts refused: %v", f)
	}
}

func TestLate(t *testing.T) {
	t.Parallel()
	day := time.Date(2016, 10, 16, 9, 0, 0, 0, time.UTC)
	q := Questionnaire{Status: QuestionnaireSent, DueDate: time.Date(2016, 10, 15, 0, 0, 0, 0, time.UTC)}
	if !q.LateOn(day) {
		t.Fatal("past due not late")
	}
	q.DueDate = day
	if q.LateOn(day) {
		t.Fatal("due today is not late yet")
	}
	q.Status, q.DueDate = QuestionnaireSubmitted, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	if q.LateOn(day) {
		t.Fatal("submitted is never late")
	}
}

func TestDiscloseTable(t *testing.T) {
	t.Parallel()
	d := CountTable{Rows: [][]int64{{12, 3, 9}, {4, 2, 2}, {-1, 0, 20}}, WithTotals: true}.Disclose()
	text := func(c PublicCell) string { return c.Text(func(n int64) string { return fmt.Sprint(n) }) }
	got := [][]string{}
	for _, r := range append(d.Rows, d.Totals) {
		got = append(got, []string{text(r[0]), text(r[1]), text(r[2])})
	}
	want := [][]string{{"10–14", "<5", "5–9"}, {"<5", "<5", "<5"}, {"—", "<5", "20–24"}, {"10–18", "0–12", "25–37"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("bands: got %v, want %v (totals are sums of the bands)", got, want)
	}
	exact := CountTable{Rows: [][]int64{{12, 3, 9}, {4, 2, 2}}, WithTotals: true}.Exact()
	if text(exact.Rows[0][1]) != "3" || text(exact.Totals[0]) != "16" {
		t.Fatalf("exact table: %+v", exact)
	}
}
