package models

// Public outputs never show a count below MinPublicCount: it could identify a
// person in a small municipality. Hiding the small cell is not enough when a
// total is shown next to it (total − men = women), so cells that would let a
// reader work a hidden one out are hidden too ("complementary suppression").

// MinPublicCount is the smallest count shown in public; smaller ones read "<5".
const MinPublicCount = 5

// PublicCell is a count as the public may see it.
type PublicCell struct {
	Value   int64
	Missing bool // not recorded
	Small   bool // below MinPublicCount: shown as "<5"
	Hidden  bool // hidden so that a small count cannot be worked out
}

// Shown says whether the value may be printed.
func (c PublicCell) Shown() bool { return !c.Missing && !c.Small && !c.Hidden }

func (c PublicCell) unknown() bool { return !c.Missing && (c.Small || c.Hidden) }

// CountTable is a table of counts to publish. Column 0 of each row is its
// total; Parts lists groups of columns that add up to it (e.g. women and men;
// the age bands). A value below 0 means "not recorded". WithTotals adds a row
// of column sums, which is protected as well.
type CountTable struct {
	Rows       [][]int64
	Parts      [][]int
	WithTotals bool
}

// DisclosedTable is a CountTable made safe to publish.
type DisclosedTable struct {
	Rows   [][]PublicCell
	Totals []PublicCell
}

// Disclose marks small cells and, until no equation of the table (a row's
// parts add up to its total; a column adds up to its sum) has exactly one
// unknown, hides the smallest visible cell of such an equation as well.
func (t CountTable) Disclose() DisclosedTable {
	d := DisclosedTable{Rows: make([][]PublicCell, len(t.Rows))}
	for r, row := range t.Rows {
		d.Rows[r] = publicCells(row)
	}
	if t.WithTotals {
		d.Totals = publicCells(columnSums(t.Rows))
	}
	for changed := true; changed; {
		changed = false
		for r := range d.Rows {
			changed = protectRow(d.Rows[r], t.Parts) || changed
		}
		if t.WithTotals {
			changed = protectRow(d.Totals, t.Parts) || changed
			changed = protectColumns(d) || changed
		}
	}
	return d
}

func publicCells(vals []int64) []PublicCell {
	out := make([]PublicCell, len(vals))
	for i, v := range vals {
		out[i] = PublicCell{Value: v, Missing: v < 0, Small: v >= 0 && v < MinPublicCount}
	}
	return out
}

// Sums returns the column sums of the table (-1 where nothing is recorded).
func (t CountTable) Sums() []int64 { return columnSums(t.Rows) }

// columnSums adds the recorded values of each column (-1 when none is).
func columnSums(rows [][]int64) []int64 {
	if len(rows) == 0 {
		return nil
	}
	sums := make([]int64, len(rows[0]))
	for c := range sums {
		sums[c] = -1
		for _, row := range rows {
			if c < len(row) && row[c] >= 0 {
				sums[c] = max(sums[c], 0) + row[c]
			}
		}
	}
	return sums
}

// protectRow hides a whole row whose total is hidden, and a second cell of
// any part with exactly one hidden cell. It reports whether it hid anything.
func protectRow(row []PublicCell, parts [][]int) bool {
	changed := false
	if len(row) > 0 && row[0].unknown() {
		for i := range row {
			if !row[i].Missing && !row[i].unknown() {
				row[i].Hidden, changed = true, true
			}
		}
		return changed
	}
	for _, part := range parts {
		cells := make([]*PublicCell, 0, len(part))
		for _, c := range part {
			if c < len(row) {
				cells = append(cells, &row[c])
			}
		}
		changed = protectEquation(cells) || changed
	}
	return changed
}

// protectColumns hides a second cell of the first column whose sum is shown
// with exactly one unknown (the column sum itself when no other cell is
// left). It stops after one change so the rows are protected again before
// the next column is judged: that hides no more than needed.
func protectColumns(d DisclosedTable) bool {
	for c := range d.Totals {
		cells := []*PublicCell{}
		for r := range d.Rows {
			if c < len(d.Rows[r]) && !d.Rows[r][c].Missing { // not recorded: not part of the sum
				cells = append(cells, &d.Rows[r][c])
			}
		}
		cells = append(cells, &d.Totals[c]) // last: hidden only when nothing else is left
		if protectEquation(cells) {
			return true
		}
	}
	return false
}

// protectEquation: cells add up (the last may be the sum). With exactly one
// unknown, hide the smallest visible other cell. Equations with a missing
// term are skipped: they do not hold.
func protectEquation(cells []*PublicCell) bool {
	unknown := 0
	for _, c := range cells {
		if c.Missing {
			return false
		}
		if c.unknown() {
			unknown++
		}
	}
	if unknown != 1 {
		return false
	}
	var pick *PublicCell
	for _, c := range cells {
		if !c.unknown() && (pick == nil || c.Value < pick.Value) {
			pick = c
		}
	}
	if pick == nil {
		return false
	}
	pick.Hidden = true
	return true
}
