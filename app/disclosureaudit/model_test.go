package disclosureaudit

import "testing"

func TestPinnedByTotals(t *testing.T) {
	t.Parallel()
	m := NewModel()
	m.Published("t", Printed{Lo: 8, Hi: 8}, "page")
	m.Published("w", Printed{Lo: 0, Hi: 4, Small: true}, "page")
	m.Published("m", Printed{Lo: 0, Hi: 4, Small: true}, "page")
	m.Equal("t", "w", "m")
	res, err := m.Audit()
	if err != nil || len(res.Leaks) != 2 || res.Leaks[0].Min != 4 {
		t.Fatalf("8 = <5 + <5 pins both to 4: %+v %v", res, err)
	}
	b := NewModel()
	b.Published("t", Printed{Lo: 5, Hi: 9}, "page")
	b.Published("w", Printed{Lo: 0, Hi: 4, Small: true}, "page")
	b.Published("m", Printed{Lo: 5, Hi: 9}, "page")
	b.Equal("t", "w", "m")
	b.PublishedSum([]string{"t"}, Printed{Lo: 5, Hi: 9})
	res, err = b.Audit()
	if err != nil || len(res.Leaks) != 0 || res.Narrowest < 4-1e-6 {
		t.Fatalf("bands: %+v %v", res, err)
	}
}

func TestPinnedAcrossSums(t *testing.T) {
	t.Parallel()
	// four parts at the top of 5–9 and a total at the bottom of 40–44 pin
	// the fifth part at 4 when the total is printed as its own band
	m := NewModel()
	parts := []string{"a", "b", "c", "d", "x"}
	for _, p := range parts[:4] {
		m.Published(p, Printed{Lo: 5, Hi: 9}, "page")
	}
	m.Published("x", Printed{Lo: 0, Hi: 4, Small: true}, "page")
	m.PublishedSum(parts, Printed{Lo: 40, Hi: 44})
	res, err := m.Audit()
	if err != nil || len(res.Leaks) != 1 || res.Leaks[0].Count != "x" {
		t.Fatalf("own band of a total: %+v %v", res, err)
	}
}
