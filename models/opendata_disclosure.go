package models

// The tables of counts that public pages and the open-data API publish,
// built once here so that both hide exactly the same cells (see
// sitan_disclosure.go for the rules).

// FocusCountTable is the focus groups' participants as "what we heard"
// shows them: total, women, men and the age bands 15–29, 30–49, 50+ (the
// two parts of the total), one row per focus group, with a totals row.
func FocusCountTable(fgs []FocusGroup) CountTable {
	tab := CountTable{Parts: [][]int{{1, 2}, {3, 4, 5}}, WithTotals: true}
	for _, fg := range fgs {
		a := fg.Ages()
		tab.Rows = append(tab.Rows, []int64{int64(fg.ParticipantsTotal), int64(fg.ParticipantsWomen),
			int64(fg.ParticipantsMen), a[0], a[1], a[2]})
	}
	return tab
}

// DiscloseIndicator protects a baseline indicator of a published analysis
// as one row: its value, women and men (parts of the value) and the
// counted sources (which add up to it). Sources not counted in the value
// stand alone. It returns value, women and men, and one cell per source in
// the order of v.Values.
func DiscloseIndicator(v IndicatorValue) ([3]PublicCell, []PublicCell) {
	row := []int64{v.Value, int64OrMissing(v.Women), int64OrMissing(v.Men)}
	var counted []int
	for _, s := range v.Values {
		if s.Counted {
			counted = append(counted, len(row))
			row = append(row, s.Value)
		}
	}
	d := CountTable{Rows: [][]int64{row}, Parts: [][]int{{1, 2}, counted}}.Disclose().Rows[0]
	sources := make([]PublicCell, len(v.Values))
	k := 3
	for j, s := range v.Values {
		if s.Counted {
			sources[j] = d[k]
			k++
		} else {
			sources[j] = CountTable{Rows: [][]int64{{s.Value}}}.Disclose().Rows[0][0]
		}
	}
	return [3]PublicCell{d[0], d[1], d[2]}, sources
}

// DiscloseGroupSize protects a vulnerable group's estimated size with its
// women and men (parts of the size).
func DiscloseGroupSize(g VulnerableGroup) [3]PublicCell {
	row := []int64{int64(g.EstimatedSize), intOrMissing(g.Women), intOrMissing(g.Men)}
	d := CountTable{Rows: [][]int64{row}, Parts: [][]int{{1, 2}}}.Disclose().Rows[0]
	return [3]PublicCell{d[0], d[1], d[2]}
}

func int64OrMissing(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

func intOrMissing(p *int) int64 {
	if p == nil {
		return -1
	}
	return int64(*p)
}
