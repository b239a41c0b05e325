package docs

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/shopspring/decimal"

	"pakt/models"
)

// ExecutionCSV writes one row per measure and funding source with the planned
// and spent amounts (all periods), exact to the cent.
func ExecutionCSV(w io.Writer, p *models.Plan, reports map[int64]map[int64]*models.Progress, opts ...CSVOption) error {
	cw, err := startCSV(w, []string{"plan_id", "measure_code", "measure_title", "source", "planned", "spent"}, opts)
	if err != nil {
		return err
	}
	for _, m := range p.Measures {
		planned, spent := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
		for _, b := range m.Budget {
			planned[b.Source] = planned[b.Source].Add(b.Amount)
		}
		for _, byMeasure := range reports {
			if r := byMeasure[m.ID]; r != nil {
				for _, s := range r.Spent {
					spent[s.Source] = spent[s.Source].Add(s.Amount)
				}
			}
		}
		for _, src := range models.BudgetSources {
			pl, sp := planned[src], spent[src]
			if pl.IsZero() && sp.IsZero() {
				continue
			}
			row := []string{strconv.FormatInt(p.ID, 10), safeCell(m.Code), safeCell(m.Title), src, models.Money(pl), models.Money(sp)}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ProgressCSV writes one row per measure and reporting period: status,
// percent, spending, people reached and outcomes.
func ProgressCSV(w io.Writer, p *models.Plan, periods []models.Period, reports map[int64]map[int64]*models.Progress, opts ...CSVOption) error {
	cw, err := startCSV(w, []string{"plan_id", "period", "measure_code", "measure_title", "status", "percent_complete", "review",
		"spent", "beneficiaries_total", "women", "men", "employed", "trained", "completed_education", "self_employed"}, opts)
	if err != nil {
		return err
	}
	for _, per := range periods {
		for _, m := range p.Measures {
			row := []string{strconv.FormatInt(p.ID, 10), safeCell(per.Label), safeCell(m.Code), safeCell(m.Title)}
			r := reports[per.ID][m.ID]
			if r == nil {
				row = append(row, "not_reported", "", "", "", "", "", "", "", "", "", "")
			} else {
				row = append(row, r.Status, strconv.Itoa(r.PercentComplete), r.Review, models.Money(r.SpentTotal()),
					itoa(r.BeneficiariesTotal), itoa(r.BeneficiariesWomen), itoa(r.BeneficiariesMen), itoa(r.Employed),
					itoa(r.Trained), itoa(r.CompletedEducation), itoa(r.SelfEmployed))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func startCSV(w io.Writer, header []string, opts []CSVOption) (*csv.Writer, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	applyCSV(cw, opts)
	return cw, cw.Write(header)
}
