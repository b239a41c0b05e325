package docs

import "pakt/models"

// PeopleCells are one measure's counts of people in a period — total,
// women, men, employed, trained, completed education, self-employed — and
// which of them a public output hides.
type PeopleCells struct {
	Values []int
	Hidden []bool
}

// PeopleGrid is the table of people counts the public assembly report
// prints for a period: a row per measure with a report (in plan order),
// hidden with GridMask over all of them, since the plan totals are printed
// as well. The open-data outputs (IATI results) use the same grid, so they
// hide exactly the cells the report hides.
func PeopleGrid(measures []models.Measure, reports map[int64]*models.Progress) map[int64]PeopleCells {
	var ids []int64
	var rows [][]int
	for _, m := range measures {
		pr := reports[m.ID]
		if pr == nil {
			continue
		}
		ids = append(ids, m.ID)
		rows = append(rows, []int{pr.BeneficiariesTotal, pr.BeneficiariesWomen, pr.BeneficiariesMen,
			pr.Employed, pr.Trained, pr.CompletedEducation, pr.SelfEmployed})
	}
	mask := GridMask(rows, true)
	out := make(map[int64]PeopleCells, len(ids))
	for i, id := range ids {
		out[id] = PeopleCells{Values: rows[i], Hidden: mask[i]}
	}
	return out
}

// SafeCell is safeCell for CSV writers outside this package.
func SafeCell(s string) string { return safeCell(s) }

// SummaryHidden says which of a report's cumulative figures of people a
// public output hides.
type SummaryHidden struct {
	Total, Women, Men                                   bool
	Employed, Trained, CompletedEducation, SelfEmployed bool
	ByGroup                                             map[string]bool
}

// SummaryMask is what the public report hides of the people reached and
// their results: total, women and men as a triple (PairMask), each outcome
// on its own, the counts by vulnerable group as a line (GroupMask).
func SummaryMask(b models.Beneficiaries, o models.Outcomes) SummaryHidden {
	ht, hw, hm := PairMask(b.Total, b.Women, b.Men)
	return SummaryHidden{Total: ht, Women: hw, Men: hm, Employed: IsSmall(o.Employed), Trained: IsSmall(o.Trained),
		CompletedEducation: IsSmall(o.CompletedEducation), SelfEmployed: IsSmall(o.SelfEmployed), ByGroup: GroupMask(b.ByGroup)}
}
