package disclosureaudit

import (
	"fmt"
	"testing"
)

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

// A count only linear programming pins (interval reasoning leaves a in
// 2–4) inside a long chain of linked counts: every group gets the simplex,
// whatever its size (the region's focus groups used to get interval
// reasoning alone), and the constraints the chain adds are not implied by
// the bounds, so they stay in the program.
func TestPinnedInLargeGroupBySimplex(t *testing.T) {
	t.Parallel()
	m := NewModel()
	small := Printed{Lo: 0, Hi: 4, Small: true}
	for _, v := range []string{"a", "b", "c"} {
		m.Published(v, small, "page")
	}
	m.PublishedSum([]string{"a", "b"}, Printed{Lo: 5, Hi: 5})
	m.PublishedSum([]string{"b", "c"}, Printed{Lo: 5, Hi: 5})
	m.PublishedSum([]string{"a", "c"}, Printed{Lo: 6, Hi: 6})
	prev := "a"
	for i := 0; i < 80; i++ {
		v := fmt.Sprintf("chain %d", i)
		m.Published(v, small, "page")
		m.PublishedSum([]string{prev, v}, Printed{Lo: 1, Hi: 8}) // not implied by the bounds: it stays in the group
		prev = v
	}
	res, err := m.Audit()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, l := range res.Leaks {
		got[l.Count] = l.Min
	}
	if len(res.Leaks) != 3 || got["a"] != 3 || got["b"] != 2 || got["c"] != 3 || res.LargestGroup < 80 {
		t.Fatalf("%+v", res)
	}
	t.Logf("%d linear programs", res.Solves)
}
