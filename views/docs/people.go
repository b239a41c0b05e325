package docs

import (
	"pakt/models"
	"pakt/models/disclosure"
)

// PeopleCells are one measure's counts of people in a period — total,
// women, men, employed, trained, completed education, self-employed — and
// their bands as public outputs print them (package disclosure).
type PeopleCells struct {
	Values []int
	Bands  []disclosure.Band
}

// PeopleGrid is the table of people counts the public assembly report
// prints for a period: a row per measure with a report. The open-data
// outputs (IATI results) use the same grid, so they print what the report
// prints.
func PeopleGrid(measures []models.Measure, reports map[int64]*models.Progress) map[int64]PeopleCells {
	out := map[int64]PeopleCells{}
	for _, m := range measures {
		pr := reports[m.ID]
		if pr == nil {
			continue
		}
		row := []int{pr.BeneficiariesTotal, pr.BeneficiariesWomen, pr.BeneficiariesMen,
			pr.Employed, pr.Trained, pr.CompletedEducation, pr.SelfEmployed}
		c := PeopleCells{Values: row}
		for _, n := range row {
			c.Bands = append(c.Bands, disclosure.OfInt(n))
		}
		out[m.ID] = c
	}
	return out
}

// SafeCell is safeCell for CSV writers outside this package.
func SafeCell(s string) string { return safeCell(s) }
