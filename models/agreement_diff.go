package models

import (
	"fmt"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Change is one difference between two versions of an agreement.
type Change struct {
	Field  string // catalog key of the field
	Before string
	After  string
}

// BodyLine is one line of a text diff: "+" added, "-" removed, " " same.
type BodyLine struct {
	Op   string
	Text string
}

// AgreementDiff is what changed from one version to the next.
type AgreementDiff struct {
	Fields []Change
	Body   []BodyLine
}

// DiffAgreements compares two loaded versions field by field, parties and
// commitments as lines, and the body line by line.
func DiffAgreements(old, new *Agreement) AgreementDiff {
	var d AgreementDiff
	add := func(field, a, b string) {
		if a != b {
			d.Fields = append(d.Fields, Change{field, a, b})
		}
	}
	add("field.title", old.Title, new.Title)
	add("field.level", old.Level, new.Level)
	add("field.goal", old.Goal, new.Goal)
	add("field.valid_from", old.ValidFrom.String(), new.ValidFrom.String())
	add("field.valid_to", old.ValidTo.String(), new.ValidTo.String())
	add("agreement.parties", partyLines(old), partyLines(new))
	add("agreement.commitments", commitmentLines(old), commitmentLines(new))
	if old.Body != new.Body {
		d.Body = lineDiff(old.Body, new.Body)
	}
	return d
}

func partyLines(a *Agreement) string {
	s := ""
	for _, p := range a.Parties {
		s += fmt.Sprintf("%s — %s\n", p.OrganisationName, p.SignatoryName)
	}
	return s
}

func commitmentLines(a *Agreement) string {
	s := ""
	for _, c := range a.Commitments {
		s += fmt.Sprintf("%s (%s, %s)\n", c.Action, c.ResponsibleName, c.DueDate)
	}
	return s
}

// lineDiff diffs two texts by whole lines (diff-match-patch line mode).
func lineDiff(a, b string) []BodyLine {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var out []BodyLine
	for _, df := range diffs {
		op := " "
		switch df.Type {
		case diffmatchpatch.DiffInsert:
			op = "+"
		case diffmatchpatch.DiffDelete:
			op = "-"
		}
		for _, l := range splitLines(df.Text) {
			out = append(out, BodyLine{op, l})
		}
	}
	return out
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
