package disclosure

import "testing"

func TestBands(t *testing.T) {
	t.Parallel()
	want := map[int64]string{-1: "—", 0: "<5", 1: "<5", 4: "<5", 5: "5–9", 9: "5–9", 10: "10–14", 1340: "1340–1344"}
	for n, w := range want {
		b := Of(n)
		if got := b.String(); got != w {
			t.Errorf("Of(%d) reads %q, want %q", n, got, w)
		}
		if n >= 0 && !b.Contains(n) {
			t.Errorf("Of(%d) = %+v does not hold it", n, b)
		}
		if back, ok := Parse(b.String()); !ok || back != b {
			t.Errorf("Parse(%q) = %+v %v", b.String(), back, ok)
		}
	}
	if Base != 5 || Small != "<5" {
		t.Fatalf("the threshold is 5 (DOMAIN.md)")
	}
}

func TestSum(t *testing.T) {
	t.Parallel()
	s := Sum(Of(3), Of(12), Of(-1), Of(7))
	if s != (Band{Lo: 15, Hi: 27}) || s.String() != "15–27" || SumOf(15, 3) != s {
		t.Fatalf("sum of <5, 10–14, 5–9 = %+v", s)
	}
	if z := Sum(); z.String() != "<5" || !z.IsSmall() {
		t.Fatalf("empty sum %+v", z)
	}
	if b := Sum(Of(1), Of(2)); b.String() != "0–8" || b.IsSmall() {
		t.Fatalf("two small parts read %q: a sum wider than 0–4 is not \"<5\"", b.String())
	}
	if _, ok := Parse("12"); ok {
		t.Fatal("an exact number is not a band")
	}
	if b, ok := Parse("1.230–1.234"); !ok || b != (Band{Lo: 1230, Hi: 1234}) {
		t.Fatalf("grouped digits: %+v %v", b, ok)
	}
}
