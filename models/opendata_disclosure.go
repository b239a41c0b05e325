package models

// The counts that public pages and the open-data API publish, built once
// here so that both print exactly the same bands (see sitan_disclosure.go
// and package disclosure).

// FocusCountTable is the focus groups' participants as "what we heard"
// shows them: total, women, men and the age bands 15–29, 30–49, 50+, one
// row per focus group, with a totals row.
func FocusCountTable(fgs []FocusGroup) CountTable {
	tab := CountTable{WithTotals: true}
	for _, fg := range fgs {
		a := fg.Ages()
		tab.Rows = append(tab.Rows, []int64{int64(fg.ParticipantsTotal), int64(fg.ParticipantsWomen),
			int64(fg.ParticipantsMen), a[0], a[1], a[2]})
	}
	return tab
}

// DiscloseIndicator is a baseline indicator of a published analysis as the
// public sees it: value, women and men, and one cell per source in the
// order of v.Values. The value is summed from its counted sources, so it
// is printed as the sum of their bands.
func DiscloseIndicator(v IndicatorValue) ([3]PublicCell, []PublicCell) {
	sources := make([]PublicCell, len(v.Values))
	var counted []PublicCell
	for j, s := range v.Values {
		sources[j] = BandCell(s.Value)
		if s.Counted {
			counted = append(counted, sources[j])
		}
	}
	value := BandCell(v.Value)
	if len(counted) > 0 {
		value = SumCell(counted)
	}
	return [3]PublicCell{value, BandCell(int64OrMissing(v.Women)), BandCell(int64OrMissing(v.Men))}, sources
}

// DiscloseGroupSize is a vulnerable group's estimated size with its women
// and men as the public sees them.
func DiscloseGroupSize(g VulnerableGroup) [3]PublicCell {
	return [3]PublicCell{BandCell(int64(g.EstimatedSize)), BandCell(intOrMissing(g.Women)), BandCell(intOrMissing(g.Men))}
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
