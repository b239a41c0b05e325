package docs

import (
	"sort"
	"strconv"
)

// Small-count suppression for public figures (DOMAIN.md: never publish a
// small count that could identify someone). These are pure functions so the
// PDF report and the web pages hide exactly the same cells.
//
// Primary suppression: a count of people from 1 to SuppressBelow-1 prints
// SmallMark ("<5"); zero is not identifying and prints as 0.
//
// Secondary suppression: a count that is not small itself but is hidden so
// that a small count cannot be worked out from a published total prints
// HiddenMark. A set of cells that adds up to a published total (the
// beneficiaries by group, a column of a table) never has exactly one hidden
// cell; a women/men pair never has exactly one of the two hidden.

// SuppressBelow is the smallest count of people that is published as is.
const SuppressBelow = 5

// SmallMark replaces a count of 1 to 4 people.
const SmallMark = "<5"

// HiddenMark replaces a count hidden only to protect a small count next to it.
const HiddenMark = "*"

// IsSmall says whether a count of people must not be published (1 to 4).
func IsSmall(n int) bool { return n > 0 && n < SuppressBelow }

// Masked prints a count: format(n) when visible, SmallMark when n itself is
// small, HiddenMark when it is hidden to protect another cell.
func Masked(n int, hidden bool, format func(int) string) string {
	switch {
	case !hidden:
		return format(n)
	case IsSmall(n):
		return SmallMark
	default:
		return HiddenMark
	}
}

// Suppress prints one count of people, "<5" when it is small.
func Suppress(n int) string { return Masked(n, IsSmall(n), strconv.Itoa) }

// PairMask says which cells of a total/women/men triple to hide: the small
// ones and, when exactly one of women and men is hidden, the other one too
// (else it could be worked out as total minus the visible one).
func PairMask(total, women, men int) (hideTotal, hideWomen, hideMen bool) {
	h := [3]bool{IsSmall(total), IsSmall(women), IsSmall(men)}
	completeTriple([3]int{total, women, men}, &h)
	return h[0], h[1], h[2]
}

// SuppressPair prints a total/women/men triple with PairMask applied.
func SuppressPair(total, women, men int) (string, string, string) {
	ht, hw, hm := PairMask(total, women, men)
	return Masked(total, ht, strconv.Itoa), Masked(women, hw, strconv.Itoa), Masked(men, hm, strconv.Itoa)
}

// completeTriple closes a total = women + men relation: exactly one of
// women/men hidden hides the other; a total hidden alone (possible only
// after secondary suppression) hides the smaller positive of women/men and
// with it the other one.
func completeTriple(v [3]int, h *[3]bool) bool {
	changed := false
	if h[0] && !h[1] && !h[2] && v[1]+v[2] > 0 {
		if v[1] > 0 && (v[1] <= v[2] || v[2] == 0) {
			h[1] = true
		} else {
			h[2] = true
		}
		changed = true
	}
	if h[1] != h[2] {
		h[1], h[2] = true, true
		changed = true
	}
	return changed
}

// LineMask says which of a set of counts adding up to a published total to
// hide: the small ones and, when exactly one is hidden, also the smallest
// visible positive one (the first of equals; a zero when no other count is
// positive), so the hidden one is not the total minus the visible ones.
func LineMask(values []int) []bool {
	h := make([]bool, len(values))
	for i, n := range values {
		h[i] = IsSmall(n)
	}
	completeLine(values, h)
	return h
}

// completeLine hides a second cell when exactly one is hidden; it reports
// whether it changed anything.
func completeLine(values []int, h []bool) bool {
	hidden := 0
	for _, x := range h {
		if x {
			hidden++
		}
	}
	if hidden != 1 {
		return false
	}
	pick := -1
	for i, n := range values {
		if h[i] {
			continue
		}
		switch {
		case pick < 0:
			pick = i
		case n > 0 && (values[pick] == 0 || n < values[pick]):
			pick = i
		}
	}
	if pick < 0 {
		return false // a single cell: nothing to pair it with
	}
	h[pick] = true
	return true
}

// GroupMask applies LineMask to counts by vulnerable group; groups are
// taken in code order so that ties always resolve the same way.
func GroupMask(groups map[string]int) map[string]bool {
	codes := make([]string, 0, len(groups))
	for g := range groups {
		codes = append(codes, g)
	}
	sort.Strings(codes)
	values := make([]int, len(codes))
	for i, g := range codes {
		values[i] = groups[g]
	}
	out := make(map[string]bool, len(codes))
	for i, h := range LineMask(values) {
		out[codes[i]] = h
	}
	return out
}

// SuppressGroups prints counts by vulnerable group with GroupMask applied.
func SuppressGroups(groups map[string]int) map[string]string {
	out := make(map[string]string, len(groups))
	for g, h := range GroupMask(groups) {
		out[g] = Masked(groups[g], h, strconv.Itoa)
	}
	return out
}

// GridMask says which cells of a table of counts to hide when every column
// adds up to a published total (e.g. one row per measure, the plan totals
// printed elsewhere). With triple, columns 0, 1 and 2 of each row are a
// total/women/men triple. The line rules are applied to every column and
// triple until nothing changes, so a secondary suppression never leaves a
// line with a single hidden cell.
func GridMask(rows [][]int, triple bool) [][]bool {
	h := make([][]bool, len(rows))
	cols := 0
	for i, r := range rows {
		h[i] = make([]bool, len(r))
		for j, n := range r {
			h[i][j] = IsSmall(n)
		}
		cols = max(cols, len(r))
	}
	for changed := true; changed; {
		changed = false
		if triple {
			for i, r := range rows {
				if len(r) < 3 {
					continue
				}
				t := [3]bool{h[i][0], h[i][1], h[i][2]}
				if completeTriple([3]int{r[0], r[1], r[2]}, &t) {
					h[i][0], h[i][1], h[i][2] = t[0], t[1], t[2]
					changed = true
				}
			}
		}
		for j := 0; j < cols; j++ {
			var values []int
			var idx []int
			for i, r := range rows {
				if j < len(r) {
					values, idx = append(values, r[j]), append(idx, i)
				}
			}
			col := make([]bool, len(values))
			for k, i := range idx {
				col[k] = h[i][j]
			}
			if completeLine(values, col) {
				for k, i := range idx {
					h[i][j] = col[k]
				}
				changed = true
			}
		}
	}
	return h
}
