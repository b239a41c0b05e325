package models

import "pakt/models/disclosure"

// Public outputs print counts of people through package disclosure (bands
// of five: "<5", "5–9", …). A total printed next to its parts is the sum of
// the parts' bands, never its own band: then it tells a reader nothing the
// parts do not, and "total − the others" cannot narrow a small part down.

// PublicCell is a count as a page prints it: exact (pages for the
// municipality's own users) or as its band (public pages).
type PublicCell struct {
	Value   int64
	Missing bool // not recorded
	Banded  bool // public: only Band is printed
	Band    disclosure.Band
}

// Text prints the cell: "—" when not recorded, the band when public, else
// the value with format.
func (c PublicCell) Text(format func(int64) string) string {
	switch {
	case c.Missing:
		return disclosure.NotRecorded
	case c.Banded:
		return c.Band.Text(format)
	}
	return format(c.Value)
}

// ExactCell is a count shown as it is.
func ExactCell(v int64) PublicCell { return PublicCell{Value: v, Missing: v < 0} }

// BandCell is a count shown as its band.
func BandCell(v int64) PublicCell {
	return PublicCell{Value: v, Missing: v < 0, Banded: true, Band: disclosure.Of(v)}
}

// SumCell is a total shown as the sum of its parts' bands; parts not
// recorded are left out (a total of nothing recorded is not recorded).
func SumCell(parts []PublicCell) PublicCell {
	var bands []disclosure.Band
	var v int64
	for _, p := range parts {
		if !p.Missing {
			bands, v = append(bands, disclosure.Of(p.Value)), v+p.Value
		}
	}
	if len(bands) == 0 {
		return PublicCell{Value: -1, Missing: true}
	}
	return PublicCell{Value: v, Banded: true, Band: disclosure.Sum(bands...)}
}

// CountTable is a table of counts to publish, one row per unit (a focus
// group, a municipality); a value below 0 means "not recorded".
// WithTotals adds a row of column totals.
type CountTable struct {
	Rows       [][]int64
	WithTotals bool
}

// DisclosedTable is a CountTable as the public sees it.
type DisclosedTable struct {
	Rows   [][]PublicCell
	Totals []PublicCell
}

// Disclose prints every cell as its band and each total as the sum of the
// bands of its column.
func (t CountTable) Disclose() DisclosedTable { return t.table(BandCell) }

// Exact shows every recorded count as it is (members of the municipality).
func (t CountTable) Exact() DisclosedTable { return t.table(ExactCell) }

func (t CountTable) table(cell func(int64) PublicCell) DisclosedTable {
	d := DisclosedTable{Rows: make([][]PublicCell, len(t.Rows))}
	for r, row := range t.Rows {
		for _, v := range row {
			d.Rows[r] = append(d.Rows[r], cell(v))
		}
	}
	if !t.WithTotals || len(t.Rows) == 0 {
		return d
	}
	for c := range t.Rows[0] {
		var col []PublicCell
		for _, row := range d.Rows {
			if c < len(row) {
				col = append(col, row[c])
			}
		}
		total := SumCell(col)
		if !total.Missing && !col[0].Banded {
			total = ExactCell(total.Value)
		}
		d.Totals = append(d.Totals, total)
	}
	return d
}

// Sums returns the column sums of the table (-1 where nothing is recorded).
func (t CountTable) Sums() []int64 {
	if len(t.Rows) == 0 {
		return nil
	}
	sums := make([]int64, len(t.Rows[0]))
	for c := range sums {
		sums[c] = -1
		for _, row := range t.Rows {
			if c < len(row) && row[c] >= 0 {
				sums[c] = max(sums[c], 0) + row[c]
			}
		}
	}
	return sums
}
