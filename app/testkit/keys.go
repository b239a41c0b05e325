package testkit

import (
	"encoding/json"
	"io/fs"
	"strings"
	"sync"

	"pakt/views"
)

var (
	prefixOnce sync.Once
	prefixSet  map[string]bool
)

// keyPrefixes are the first segments of every English catalog key ("plan",
// "validation", …); a text token starting with one of them is a missing message.
func keyPrefixes() map[string]bool {
	prefixOnce.Do(func() {
		prefixSet = map[string]bool{}
		files, _ := fs.Glob(views.FS, "locales/*.en.json")
		for _, f := range files {
			raw, _ := fs.ReadFile(views.FS, f)
			var m map[string]any
			_ = json.Unmarshal(raw, &m)
			for k := range m {
				first, _, ok := strings.Cut(k, ".")
				if ok {
					prefixSet[first] = true
				}
			}
		}
	})
	return prefixSet
}
