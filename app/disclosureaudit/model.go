// Package disclosureaudit is the attacker: it reads every public output of
// a running Pakt (the open-data JSON of every municipality, the regional
// page, the analyses, the report figures), writes down every published
// number as a bound on the true count behind it together with every
// identity an informed reader knows (women + men = total, the age bands add
// up to the total, sources add up to an indicator, a totals row is the sum
// of its rows, a cumulative figure the sum of its periods), and computes by
// linear programming (gonum's simplex) the smallest and largest value each
// published small count ("<5") can take. A small count the attacker can pin
// to one value from 1 to 4 is a leak (docs/disclosure.md).
//
// It reads outputs as published, so it audits any version of Pakt: exact
// numbers, "<5", "*", or bands ("10–14", {"min": 10, "max": 14}).
package disclosureaudit

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

var inf = math.Inf(1)

// Model is what the attacker knows: bounds on unknown counts and linear
// constraints lo ≤ Σ coef·x ≤ hi between them.
type Model struct {
	names  []string
	index  map[string]int
	lo, hi []float64
	rows   []row
	small  map[int]string // counts published as small: where
}

type row struct {
	vars   []int
	coefs  []float64
	lo, hi float64
}

// NewModel is an empty model.
func NewModel() *Model { return &Model{index: map[string]int{}, small: map[int]string{}} }

// Var is the unknown count called name (counts are never negative).
func (m *Model) Var(name string) int {
	if i, ok := m.index[name]; ok {
		return i
	}
	m.index[name] = len(m.names)
	m.names = append(m.names, name)
	m.lo, m.hi = append(m.lo, 0), append(m.hi, inf)
	return len(m.names) - 1
}

// Published records what an output printed for the count name: its bounds,
// and where, when it was printed as small.
func (m *Model) Published(name string, p Printed, where string) {
	if p.Missing {
		return
	}
	i := m.Var(name)
	m.lo[i], m.hi[i] = math.Max(m.lo[i], p.Lo), math.Min(m.hi[i], p.Hi)
	if p.Small {
		if _, ok := m.small[i]; !ok {
			m.small[i] = where
		}
	}
}

// PublishedSum records a printed total of several counts (a totals row).
func (m *Model) PublishedSum(names []string, p Printed) {
	if p.Missing || len(names) == 0 {
		return
	}
	r := row{lo: p.Lo, hi: p.Hi}
	for _, n := range names {
		r.vars, r.coefs = append(r.vars, m.Var(n)), append(r.coefs, 1)
	}
	m.rows = append(m.rows, r)
}

// Equal records total = Σ parts.
func (m *Model) Equal(total string, parts ...string) { m.relation(total, parts, 0, 0) }

// AtMost records Σ parts ≤ total.
func (m *Model) AtMost(total string, parts ...string) { m.relation(total, parts, 0, inf) }

// relation: lo ≤ total − Σ parts ≤ hi.
func (m *Model) relation(total string, parts []string, lo, hi float64) {
	r := row{vars: []int{m.Var(total)}, coefs: []float64{1}, lo: lo, hi: hi}
	for _, p := range parts {
		r.vars, r.coefs = append(r.vars, m.Var(p)), append(r.coefs, -1)
	}
	m.rows = append(m.rows, r)
}

// Printed is a published count as bounds: exact (Lo = Hi), a band, "<5"
// (Small), hidden (0 to ∞) or not recorded (Missing).
type Printed struct {
	Lo, Hi  float64
	Small   bool
	Missing bool
}

// Leak is a small count the attacker pins to one value.
type Leak struct {
	Where    string
	Count    string
	Min, Max float64
}

// Result is the audit of every published small count.
type Result struct {
	Counts, Small int
	Leaks         []Leak
	Narrowest     float64 // smallest max − min of a small count's range
}

// LPLimit is the largest group of linked counts whose ranges are computed
// by linear programming; larger groups (the whole region's focus groups)
// get interval reasoning alone, which is exact for what it concludes (a
// count it pins is pinned) but may miss a leak only a combination of
// several identities reveals.
var LPLimit = 160

// Audit computes the range of every count published as small and returns
// those pinned to one value from 1 to 4. Ranges come first from interval
// reasoning over integers (each constraint bounds each of its counts by the
// others' bounds, until nothing changes), then, within groups of at most
// LPLimit linked counts, from the simplex.
func (m *Model) Audit() (Result, error) {
	res := Result{Counts: len(m.names), Small: len(m.small), Narrowest: inf}
	if err := m.propagate(); err != nil {
		return res, err
	}
	comps := m.components()
	ids := make([]int, 0, len(m.small))
	for i := range m.small {
		ids = append(ids, i)
	}
	sort.Ints(ids)
	for _, i := range ids {
		lo, hi := m.lo[i], m.hi[i]
		if c := comps[i]; len(c.vars) <= LPLimit && lo < hi {
			var err error
			if lo, hi, err = m.rangeOf(i, c); err != nil {
				return res, fmt.Errorf("%s: %w", m.names[i], err)
			}
		}
		res.Narrowest = math.Min(res.Narrowest, hi-lo)
		a, b := math.Ceil(lo-1e-6), math.Floor(hi+1e-6)
		if a == b && a >= 1 && a <= 4 {
			res.Leaks = append(res.Leaks, Leak{Where: m.small[i], Count: m.names[i], Min: lo, Max: hi})
		}
	}
	return res, nil
}

// propagate tightens every count's bounds from every constraint until
// nothing changes (counts are whole numbers). It fails when the published
// numbers contradict each other: the model of the outputs is wrong.
func (m *Model) propagate() error {
	for pass := 0; pass < 10000; pass++ {
		changed := false
		for _, r := range m.rows {
			for k, x := range r.vars {
				restLo, restHi := 0.0, 0.0 // bounds of Σ of the other terms
				for k2, y := range r.vars {
					if k2 == k {
						continue
					}
					a, b := r.coefs[k2]*m.lo[y], r.coefs[k2]*m.hi[y]
					restLo, restHi = restLo+math.Min(a, b), restHi+math.Max(a, b)
				}
				c := r.coefs[k]
				// lo_r − restHi ≤ c·x ≤ hi_r − restLo
				l, h := (r.lo-restHi)/c, (r.hi-restLo)/c
				if c < 0 {
					l, h = h, l
				}
				if l = math.Ceil(l - 1e-9); l > m.lo[x] && !math.IsNaN(l) {
					m.lo[x], changed = l, true
				}
				if h = math.Floor(h + 1e-9); h < m.hi[x] && !math.IsNaN(h) {
					m.hi[x], changed = h, true
				}
				if m.lo[x] > m.hi[x] {
					return fmt.Errorf("disclosureaudit: the published numbers contradict each other at %s", m.names[x])
				}
			}
		}
		if !changed {
			return nil
		}
	}
	return nil
}

// components groups the counts linked by constraints, so that each range
// is computed on a small problem.
func (m *Model) components() map[int]component {
	parent := make([]int, len(m.names))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, r := range m.rows {
		for _, v := range r.vars[1:] {
			parent[find(v)] = find(r.vars[0])
		}
	}
	byRoot := map[int]*component{}
	for i := range m.names {
		root := find(i)
		if byRoot[root] == nil {
			byRoot[root] = &component{}
		}
		byRoot[root].vars = append(byRoot[root].vars, i)
	}
	for _, r := range m.rows {
		c := byRoot[find(r.vars[0])]
		c.rows = append(c.rows, r)
	}
	out := map[int]component{}
	for _, c := range byRoot {
		for _, v := range c.vars {
			out[v] = *c
		}
	}
	return out
}

type component struct {
	vars []int
	rows []row
}

// rangeOf is the smallest and largest value of count v under everything in
// its component.
func (m *Model) rangeOf(v int, c component) (lo, hi float64, err error) {
	if len(c.rows) == 0 {
		return m.lo[v], m.hi[v], nil
	}
	lo, err = m.optimum(v, c, 1)
	if err != nil {
		return 0, 0, err
	}
	if lo < 1-1e-6 {
		return lo, m.hi[v], nil // can be 0: not pinned to 1–4, whatever its maximum
	}
	neg, err := m.optimum(v, c, -1)
	if errors.Is(err, lp.ErrUnbounded) {
		return lo, inf, nil
	}
	return lo, -neg, err
}

// optimum minimises sign·x_v. The counts are shifted to y = x − lo ≥ 0;
// every upper bound and every side of a constraint becomes a row with its
// own slack, so the matrix has full row rank as the simplex requires.
func (m *Model) optimum(v int, c component, sign float64) (float64, error) {
	col := map[int]int{}
	for k, x := range c.vars {
		col[x] = k
	}
	n := len(c.vars)
	type ineq struct { // Σ a·y ≤ b
		a map[int]float64
		b float64
	}
	var ins []ineq
	for _, x := range c.vars {
		if !math.IsInf(m.hi[x], 1) {
			ins = append(ins, ineq{map[int]float64{col[x]: 1}, m.hi[x] - m.lo[x]})
		}
	}
	for _, r := range c.rows {
		shift := 0.0
		a, neg := map[int]float64{}, map[int]float64{}
		for k, x := range r.vars {
			a[col[x]] += r.coefs[k]
			neg[col[x]] -= r.coefs[k]
			shift += r.coefs[k] * m.lo[x]
		}
		if !math.IsInf(r.hi, 1) {
			ins = append(ins, ineq{a, r.hi - shift})
		}
		if !math.IsInf(r.lo, -1) {
			ins = append(ins, ineq{neg, shift - r.lo})
		}
	}
	cols := n + len(ins)
	A := mat.NewDense(len(ins), cols, nil)
	b := make([]float64, len(ins))
	for i, in := range ins {
		for k, val := range in.a {
			A.Set(i, k, val)
		}
		A.Set(i, n+i, 1)
		b[i] = in.b
	}
	obj := make([]float64, cols)
	obj[col[v]] = sign
	f, _, err := lp.Simplex(obj, A, b, 1e-9, nil)
	if err != nil {
		return 0, err
	}
	return f + sign*m.lo[v], nil
}
