package sitan

import (
	"fmt"
	"strings"

	"pakt/i18n"
	"pakt/models"
)

// View models of the situation-analysis pages: everything a template shows,
// already translated and formatted, so templates stay simple.

type optionView struct {
	Value, Label string
	Selected     bool
}

type questionView struct {
	ID                    int64
	Name                  string // form field name: q<ID>
	Code, Kind, Text      string
	Indicator             string // the indicator's name, "" when none
	Split, Custom         bool
	Options               []optionView
	Value, Women, Men     string
	Err, ErrWomen, ErrMen string
	ValueLabel            string // a choice's label, for read-only display
}

// questionViews pairs questions with answers: the typed ones after a failed
// save (typed != nil), else the stored ones.
func questionViews(l *i18n.Localizer, qs []models.Question, stored map[int64]models.Answer,
	typed map[int64]models.AnswerInput, errs map[string]string) []questionView {
	out := make([]questionView, 0, len(qs))
	for _, q := range qs {
		v := questionView{ID: q.ID, Name: fmt.Sprintf("q%d", q.ID), Code: q.Code, Kind: q.Kind,
			Text: q.Text(l.Lang), Split: q.Split, Custom: q.Custom}
		if q.Indicator != nil {
			def, ok := models.BaselineIndicatorByCode(*q.Indicator)
			v.Indicator = *q.Indicator
			if ok {
				v.Indicator = def.Name.In(l.Lang)
			}
		}
		if in, ok := typed[q.ID]; ok {
			v.Value, v.Women, v.Men = in.Value, in.Women, in.Men
		} else if a, ok := stored[q.ID]; ok {
			v.Value, v.Women, v.Men = a.Value(), sitanInt64Text(a.Women), sitanInt64Text(a.Men)
		}
		for _, o := range q.Options {
			v.Options = append(v.Options, optionView{o.Value, o.Label(l.Lang), o.Value == v.Value})
			if o.Value == v.Value {
				v.ValueLabel = o.Label(l.Lang)
			}
		}
		if v.Kind == models.QuestionNumber && v.Value != "" && typed == nil {
			v.ValueLabel = sitanNumberText(l, v.Value)
		}
		v.Err = errs[models.AnswerField(q.ID, "value")]
		v.ErrWomen, v.ErrMen = errs[models.AnswerField(q.ID, "women")], errs[models.AnswerField(q.ID, "men")]
		if v.Err == "" {
			v.Err = errs[models.AnswerField(q.ID, "question_id")]
		}
		out = append(out, v)
	}
	return out
}

func sitanInt64Text(p *int64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

// sitanNumberText groups the digits of a stored number per locale.
func sitanNumberText(l *i18n.Localizer, s string) string {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		return s
	}
	return l.Int(n)
}

func sitanOptInt(l *i18n.Localizer, p *int64) string {
	if p == nil {
		return "—"
	}
	return l.Int(*p)
}

type sourceView struct {
	Name, Type, Value string
	Counted           bool
}

type indicatorView struct {
	Code, Name        string
	Value, Women, Men string
	Conflict          bool
	Owners            string
	Sources           []sourceView
}

// indicatorViews formats the aggregated indicators with exact numbers (for
// members of the municipality; the public report uses publicIndicators).
func indicatorViews(l *i18n.Localizer, vals []models.IndicatorValue) []indicatorView {
	out := make([]indicatorView, 0, len(vals))
	for _, v := range vals {
		iv := indicatorView{Code: v.Indicator, Name: v.Indicator, Value: l.Int(v.Value), Women: sitanOptInt(l, v.Women),
			Men: sitanOptInt(l, v.Men), Conflict: v.Conflict}
		if def, ok := models.BaselineIndicatorByCode(v.Indicator); ok {
			iv.Name, iv.Owners = def.Name.In(l.Lang), sitanOwnerNames(l, def.Owners)
		}
		for _, s := range v.Values {
			iv.Sources = append(iv.Sources, sourceView{s.OrganisationName, l.T("orgtype." + s.OrganisationType),
				l.Int(s.Value), s.Counted})
		}
		out = append(out, iv)
	}
	return out
}

func sitanOwnerNames(l *i18n.Localizer, types []string) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = l.T("orgtype." + t)
	}
	return strings.Join(names, " → ")
}
