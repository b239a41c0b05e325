package xlsx

import (
	"io"
	"strconv"

	"pakt/i18n"
	"pakt/models"
)

// The questionnaire workbook: sheet Answers has a row per question.
const (
	AnswersSheet = "Answers"
	// QuestionnaireKind stamps a questionnaire workbook.
	QuestionnaireKind = "questionnaire"
)

// Columns of Answers (1-based).
const (
	aID = iota + 1
	aCode
	aText
	aKind
	aValue
	aWomen
	aMen
)

// QuestionnaireBook is what a questionnaire workbook shows.
type QuestionnaireBook struct {
	Questionnaire *models.Questionnaire
	Title         string // the situation analysis
	Questions     []models.Question
	Answers       map[int64]models.Answer
	CanAnswer     bool // otherwise every answer cell is locked
}

// WriteQuestionnaire writes the workbook with texts in l's language.
func WriteQuestionnaire(w io.Writer, l *i18n.Localizer, in QuestionnaireBook) error {
	b, err := NewBook(l, l, "")
	if err != nil {
		return err
	}
	if err := b.Layout([]string{AnswersSheet, l.T("xlsx.sheet.instructions")}, ListsSheet, StampSheet); err != nil {
		return err
	}
	lists := b.Lists()
	s, err := b.Sheet(AnswersSheet, []Column{{Head: l.T("xlsx.col.question_id"), Width: 8, Kind: Int},
		{Head: l.T("xlsx.col.code"), Width: 14}, {Head: l.T("xlsx.col.question"), Width: 60},
		{Head: l.T("xlsx.col.kind"), Width: 10}, {Head: l.T("xlsx.col.answer"), Width: 40, Edit: true},
		{Head: l.T("xlsx.col.of_them_women"), Width: 12, Kind: Int, Edit: true},
		{Head: l.T("xlsx.col.of_them_men"), Width: 12, Kind: Int, Edit: true}})
	if err != nil {
		return err
	}
	var drops []List
	for _, q := range in.Questions {
		if q.Kind == models.QuestionChoiceKind {
			drops = append(drops, List{Col: aValue, Row: s.Next(), Source: lists.Add(optionLabels(q, l.Lang))})
		}
		if err := s.Row(!in.CanAnswer, questionRow(l, q, in.Answers[q.ID])...); err != nil {
			return err
		}
	}
	if err := s.Done(true, drops...); err != nil {
		return err
	}
	return finishQuestionnaire(w, b, lists, in)
}

func finishQuestionnaire(w io.Writer, b *Book, lists *Lists, in QuestionnaireBook) error {
	l := b.L
	err := b.Instructions(l.T("xlsx.questionnaire.title"), []string{
		l.T("xlsx.questionnaire.intro", "Organisation", in.Questionnaire.OrganisationName, "Analysis", in.Title),
		l.T("xlsx.questionnaire.answer"), l.T("xlsx.questionnaire.upload")},
		[][2]string{{l.T("xlsx.col.answer"), l.T("xlsx.help.answer")}, {l.T("xlsx.col.of_them_women"), l.T("xlsx.help.split")}})
	if err != nil {
		return err
	}
	if err := lists.Done(); err != nil {
		return err
	}
	st := Stamp{Kind: QuestionnaireKind, ID: in.Questionnaire.ID, Lang: l.Lang, Version: in.Questionnaire.Version}
	for _, q := range in.Questions {
		st.Items = append(st.Items, StampItem{ID: q.ID, Print: models.AnswerPrint(answerInput(q, in.Answers))})
	}
	if err := b.Stamp(st); err != nil {
		return err
	}
	return b.Write(w)
}

func answerInput(q models.Question, answers map[int64]models.Answer) models.AnswerInput {
	if a, ok := answers[q.ID]; ok {
		return models.AnswerInputOf(a)
	}
	return models.AnswerInput{QuestionID: q.ID}
}

func optionLabels(q models.Question, lang string) []string {
	out := make([]string, len(q.Options))
	for i, o := range q.Options {
		out[i] = o.Label(lang)
	}
	return out
}

// questionRow is a question and its answer; women and men are locked for
// questions not asked by sex.
func questionRow(l *i18n.Localizer, q models.Question, a models.Answer) []any {
	in := answerInput(q, map[int64]models.Answer{q.ID: a})
	value := in.Value
	if q.Kind == models.QuestionChoiceKind {
		for _, o := range q.Options {
			if o.Value == value {
				value = o.Label(l.Lang)
			}
		}
	}
	row := []any{q.ID, q.Code, q.Text(l.Lang), l.T("sitan.kind." + q.Kind), value}
	if !q.Split {
		return append(row, Locked{}, Locked{})
	}
	return append(row, count(in.Women), count(in.Men))
}

// count writes a stored whole number as a number cell ("" stays blank).
func count(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return nil
}

// QuestionnaireUpload is a questionnaire workbook read back.
type QuestionnaireUpload struct {
	Stamp Stamp
	Rows  []models.AnswerUpload
	Cells map[string]string // "answers.<id>.value" ... → "Answers!E5"
}

// ReadQuestionnaire reads an uploaded workbook of questionnaire id against
// its questions (for choice labels); bad cells are reported.
func ReadQuestionnaire(bundle *i18n.Bundle, body []byte, id int64, qs []models.Question) (*QuestionnaireUpload, error) {
	u, err := Open(body)
	if err != nil {
		return nil, err
	}
	defer u.Close()
	if err := u.Stamp.check(QuestionnaireKind, id, "xlsx.error.other_questionnaire"); err != nil {
		return nil, err
	}
	g, err := u.Grid(AnswersSheet)
	if err != nil {
		return nil, err
	}
	out := &QuestionnaireUpload{Stamp: u.Stamp, Cells: map[string]string{}}
	var p Problems
	out.readAnswers(g, &p, qs, bundle.For(u.Stamp.Lang).Lang)
	return out, p.Err()
}

// readAnswers reads the rows of sheet Answers.
func (out *QuestionnaireUpload) readAnswers(g *Grid, p *Problems, qs []models.Question, lang string) {
	byID := map[int64]models.Question{}
	for _, q := range qs {
		byID[q.ID] = q
	}
	seen := map[int64]bool{}
	for n := 2; n <= len(g.Rows); n++ {
		c := g.Row(n, p)
		if c.Blank(allCols(aMen)...) {
			continue
		}
		id := c.ID(aID)
		q, known := byID[id]
		switch {
		case id == 0:
			continue
		case !known:
			p.Add(c.Ref(aID), "xlsx.error.unknown_question")
			continue
		case seen[id]:
			p.Add(c.Ref(aID), "xlsx.error.duplicate")
			continue
		}
		seen[id] = true
		for part, col := range map[string]int{"value": aValue, "women": aWomen, "men": aMen, "question_id": aID} {
			out.Cells[models.AnswerField(id, part)] = c.Ref(col)
		}
		out.Rows = append(out.Rows, models.AnswerUpload{Print: out.Stamp.Item(id).Print, In: answerCells(c, q, lang)})
	}
}

// answerCells reads one answer: a choice by its value or label, a number
// as a whole number, text as typed.
func answerCells(c Cells, q models.Question, lang string) models.AnswerInput {
	in := models.AnswerInput{QuestionID: q.ID}
	switch q.Kind {
	case models.QuestionChoiceKind:
		labels := map[string]string{}
		for _, o := range q.Options {
			labels[o.Value] = o.Label(lang)
		}
		in.Value = c.Choice(aValue, labels)
	case models.QuestionNumber:
		in.Value = wholeText(c, aValue)
	default:
		in.Value = c.Text(aValue, 4000)
	}
	in.Women, in.Men = wholeText(c, aWomen), wholeText(c, aMen)
	if !q.Split {
		for _, col := range []int{aWomen, aMen} {
			if !c.Blank(col) {
				c.p.Add(c.Ref(col), "sitan.error.no_split")
			}
		}
	}
	return in
}

// wholeText reads a whole number cell back as its digits ("" when blank).
func wholeText(c Cells, col int) string {
	n, present := c.Count(col, maxCount)
	if !present {
		return ""
	}
	return strconv.Itoa(n)
}
