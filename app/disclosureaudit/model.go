// Package disclosureaudit is the attacker: it reads every public output of
// a running Pakt as an anonymous visitor (the open-data JSON of every
// municipality, the regional page, every published report's PDF, every
// public plan's PDF and IATI file, every published analysis's PDF), writes
// down every published number as a bound on the true count behind it
// together with every identity an informed reader knows (women + men =
// total, the age bands add up to the total, sources add up to an
// indicator, a totals row is the sum of its rows, a report's measures add
// up to the plan's figures of the period, a cumulative figure is the sum of
// its periods), and computes by interval reasoning and linear programming
// (gonum's simplex, in every group of linked counts) the smallest and
// largest value each published small count ("<5") can take. A small count
// the attacker can pin to one value from 1 to 4 is a leak
// (docs/disclosure.md).
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

	// Read counts the outputs read, by kind ("json", "page", "report pdf",
	// "iati").
	Read map[string]int
}

type row struct {
	vars   []int
	coefs  []float64
	lo, hi float64
}

// NewModel is an empty model.
func NewModel() *Model {
	return &Model{index: map[string]int{}, small: map[int]string{}, Read: map[string]int{}}
}

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
	Narrowest     float64 // smallest max − min of a small count whose range was solved in full
	Groups        int     // groups of linked counts holding a small count
	LargestGroup  int     // counts in the largest of them
	Solves        int     // linear programs solved
	Implied       int     // constraints implied by the counts' bounds (left out of the programs)
}

// Audit computes the range of every count published as small and returns
// those pinned to one value from 1 to 4. Ranges come first from interval
// reasoning over integers (each constraint bounds each of its counts by the
// others' bounds, until nothing changes), then, in every group of linked
// counts, however large (the whole region's focus groups are one), from the
// simplex: the smallest and, when that is 1 or more, the largest value of
// each small count under all the group's constraints at once.
//
// To keep this fast on a large group its constraint matrix is built once
// and only the objective changes; two first programs (all its small counts
// as low, then as high as they can be together) give every count two
// values it can take, and a count seen at two values at least 1 apart can
// be pinned by nothing, so it needs no program of its own ("pruned").
func (m *Model) Audit() (Result, error) {
	res := Result{Counts: len(m.names), Small: len(m.small), Narrowest: inf}
	if err := m.propagate(); err != nil {
		return res, err
	}
	type found struct{ lo, hi float64 }
	ranges := map[int]found{}
	comps, implied := m.componentList()
	res.Implied = implied
	for _, c := range comps {
		var small []int
		for _, v := range c.vars {
			if _, ok := m.small[v]; ok {
				small = append(small, v)
			}
		}
		if len(small) == 0 {
			continue
		}
		res.Groups++
		res.LargestGroup = max(res.LargestGroup, len(c.vars))
		var p *program
		if len(c.rows) > 0 {
			p = m.newProgram(c)
			if err := p.spread(small, &res.Solves); err != nil {
				return res, err
			}
		}
		for _, i := range small {
			lo, hi := m.lo[i], m.hi[i]
			if p != nil && lo < hi {
				if p.seenApart(i) {
					ranges[i] = found{math.Max(lo, p.seenLo[p.col[i]]), math.Min(hi, p.seenHi[p.col[i]])}
					continue // two values at least 1 apart: not pinned
				}
				var err error
				if lo, hi, err = p.rangeOf(i, &res.Solves); err != nil {
					return res, fmt.Errorf("%s: %w", m.names[i], err)
				}
				lo, hi = math.Max(lo, m.lo[i]), math.Min(hi, m.hi[i])
			}
			res.Narrowest = math.Min(res.Narrowest, hi-lo)
			ranges[i] = found{lo, hi}
		}
	}
	ids := make([]int, 0, len(ranges))
	for i := range ranges {
		ids = append(ids, i)
	}
	sort.Ints(ids)
	for _, i := range ids {
		lo, hi := ranges[i].lo, ranges[i].hi
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

// componentList groups the counts linked by constraints that are not
// implied by the counts' bounds, so that each range is computed on the
// smallest problem that holds everything known about it.
func (m *Model) componentList() (_ []*component, implied int) {
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
	var rows []row
	for _, r := range m.rows {
		if m.implied(r) {
			implied++
		} else {
			rows = append(rows, r)
		}
	}
	for _, r := range rows {
		for _, v := range r.vars[1:] {
			parent[find(v)] = find(r.vars[0])
		}
	}
	byRoot := map[int]*component{}
	var out []*component
	for i := range m.names {
		root := find(i)
		if byRoot[root] == nil {
			byRoot[root] = &component{}
			out = append(out, byRoot[root])
		}
		byRoot[root].vars = append(byRoot[root].vars, i)
	}
	for _, r := range rows {
		c := byRoot[find(r.vars[0])]
		c.rows = append(c.rows, r)
	}
	return out, implied
}

// implied says whether a constraint holds for every count within its own
// bounds (a total printed as the sum of its parts' bands): it can narrow
// nothing, so the programs leave it out (the usual presolve). This is what
// splits the region's focus groups, linked by the regional totals, into
// groups the simplex solves quickly; nothing known is lost.
func (m *Model) implied(r row) bool {
	lo, hi := 0.0, 0.0
	for k, x := range r.vars {
		a, b := r.coefs[k]*m.lo[x], r.coefs[k]*m.hi[x]
		lo, hi = lo+math.Min(a, b), hi+math.Max(a, b)
	}
	return lo >= r.lo-1e-9 && hi <= r.hi+1e-9
}

type component struct {
	vars []int
	rows []row
}

// program is a group's linear program in the simplex's standard form,
// built once: the counts are shifted to y = x − lo ≥ 0 and every upper
// bound and every side of a constraint becomes a row with its own slack,
// so the matrix has full row rank as the simplex requires. seenLo and
// seenHi are the lowest and highest value each count took in a solution.
type program struct {
	m              *Model
	col            map[int]int
	vars           []int
	a              *mat.Dense
	b              []float64
	seenLo, seenHi []float64
}

func (m *Model) newProgram(c *component) *program {
	p := &program{m: m, col: map[int]int{}, vars: c.vars}
	for k, x := range c.vars {
		p.col[x] = k
	}
	n := len(c.vars)
	type ineq struct { // Σ a·y ≤ b
		a map[int]float64
		b float64
	}
	var ins []ineq
	for _, x := range c.vars {
		if !math.IsInf(m.hi[x], 1) {
			ins = append(ins, ineq{map[int]float64{p.col[x]: 1}, m.hi[x] - m.lo[x]})
		}
	}
	for _, r := range c.rows {
		shift := 0.0
		a, neg := map[int]float64{}, map[int]float64{}
		for k, x := range r.vars {
			a[p.col[x]] += r.coefs[k]
			neg[p.col[x]] -= r.coefs[k]
			shift += r.coefs[k] * m.lo[x]
		}
		if !math.IsInf(r.hi, 1) {
			ins = append(ins, ineq{a, r.hi - shift})
		}
		if !math.IsInf(r.lo, -1) {
			ins = append(ins, ineq{neg, shift - r.lo})
		}
	}
	p.a = mat.NewDense(len(ins), n+len(ins), nil)
	p.b = make([]float64, len(ins))
	for i, in := range ins {
		for k, val := range in.a {
			p.a.Set(i, k, val)
		}
		p.a.Set(i, n+i, 1)
		p.b[i] = in.b
	}
	p.seenLo, p.seenHi = make([]float64, n), make([]float64, n)
	for k := range p.seenLo {
		p.seenLo[k], p.seenHi[k] = inf, -inf
	}
	return p
}

// solve minimises Σ obj·x over the group and notes the value every count
// takes in the solution.
func (p *program) solve(obj map[int]float64, solves *int) (float64, error) {
	_, cols := p.a.Dims()
	c := make([]float64, cols)
	shift := 0.0
	for x, w := range obj {
		c[p.col[x]] = w
		shift += w * p.m.lo[x]
	}
	*solves++
	f, y, err := lp.Simplex(c, p.a, p.b, 1e-9, nil)
	if err != nil {
		return 0, err
	}
	for k, x := range p.vars {
		v := y[k] + p.m.lo[x]
		p.seenLo[k], p.seenHi[k] = math.Min(p.seenLo[k], v), math.Max(p.seenHi[k], v)
	}
	return f + shift, nil
}

// spread solves the two first programs: the small counts all as low, then
// all as high as they can be at once.
func (p *program) spread(small []int, solves *int) error {
	for _, sign := range []float64{1, -1} {
		obj := map[int]float64{}
		for _, v := range small {
			obj[v] = sign
		}
		if _, err := p.solve(obj, solves); err != nil && !errors.Is(err, lp.ErrUnbounded) {
			return err
		}
	}
	return nil
}

// seenApart says whether count v took two values at least 1 apart.
func (p *program) seenApart(v int) bool {
	k := p.col[v]
	return p.seenHi[k]-p.seenLo[k] >= 1-1e-6
}

// rangeOf is the smallest and largest value of count v under everything in
// its group.
func (p *program) rangeOf(v int, solves *int) (lo, hi float64, err error) {
	lo, err = p.solve(map[int]float64{v: 1}, solves)
	if err != nil {
		return 0, 0, err
	}
	if lo < 1-1e-6 {
		return lo, p.m.hi[v], nil // can be 0: not pinned to 1–4, whatever its maximum
	}
	neg, err := p.solve(map[int]float64{v: -1}, solves)
	if errors.Is(err, lp.ErrUnbounded) {
		return lo, inf, nil
	}
	return lo, -neg, err
}
