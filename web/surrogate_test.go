package web

import "testing"

func TestHasLoneSurrogate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		`{"a":"\ud800"}`:        true,
		`{"a":"\udc00"}`:        true,
		`{"a":"\ud800x"}`:       true,
		`{"a":"\ud800\u0041"}`:  true,
		`{"a":"\ud800\ud800"}`:  true,
		`{"a":"\ud83d\ude00"}`:  false, // 😀 as a pair
		`{"a":"\\ud800"}`:       false, // a backslash, then text
		`{"a":"plain č ž"}`:     false,
		`{"a":"\u0161\n\"x\""}`: false,
	} {
		if got := hasLoneSurrogate([]byte(in)); got != want {
			t.Errorf("hasLoneSurrogate(%s) = %v, want %v", in, got, want)
		}
	}
}
