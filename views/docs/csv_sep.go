package docs

import "encoding/csv"

// CSVOption changes how a CSV export is written.
type CSVOption func(*csv.Writer)

// Separator separates fields with r: ';' is what Excel expects in the
// region's locales, where ',' is the decimal separator.
func Separator(r rune) CSVOption { return func(w *csv.Writer) { w.Comma = r } }

func applyCSV(w *csv.Writer, opts []CSVOption) {
	for _, o := range opts {
		o(w)
	}
}
