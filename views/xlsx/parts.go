package xlsx

import (
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names that uploads are read by: fixed in every language, so
// error keys ("Reports!F7") mean the same to every caller.
const (
	ListsSheet = "Lists"
	StampSheet = "Pakt"
)

// formatVersion is the layout of the stamped workbooks; an upload of
// another layout is refused.
const formatVersion = 1

// Lists collects the choices of the drop-down lists, one column each, on a
// hidden sheet (a list written into the validation itself is limited to
// 255 characters).
type Lists struct {
	b    *Book
	cols [][]string
}

// Lists starts the hidden sheet of choices.
func (b *Book) Lists() *Lists { return &Lists{b: b} }

// Add keeps a list and returns the range a drop-down refers to.
func (l *Lists) Add(values []string) string {
	l.cols = append(l.cols, values)
	col, _ := excelize.ColumnNumberToName(len(l.cols))
	return fmt.Sprintf("%s!$%s$1:$%s$%d", ListsSheet, col, col, max(len(values), 1))
}

// Done writes the lists (Layout hid their sheet).
func (l *Lists) Done() error {
	if err := l.b.addSheet(ListsSheet); err != nil {
		return err
	}
	for i, values := range l.cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		cells := make([]any, len(values))
		for j, v := range values {
			cells[j] = v
		}
		if err := l.b.f.SetSheetCol(ListsSheet, col+"1", &cells); err != nil {
			return err
		}
	}
	return nil
}

// Instructions writes a sheet explaining the workbook: a title, paragraphs,
// then one row per column (header, what to enter).
func (b *Book) Instructions(title string, paragraphs []string, columns [][2]string) error {
	name := b.L.T("xlsx.sheet.instructions")
	if err := b.addSheet(name); err != nil {
		return err
	}
	if err := b.f.SetColWidth(name, "A", "A", 32); err != nil {
		return err
	}
	if err := b.f.SetColWidth(name, "B", "B", 90); err != nil {
		return err
	}
	rows := [][]any{{title}}
	for _, p := range paragraphs {
		rows = append(rows, []any{p})
	}
	rows = append(rows, nil, []any{b.L.T("xlsx.instructions.column"), b.L.T("xlsx.instructions.meaning")})
	for _, c := range columns {
		rows = append(rows, []any{c[0], c[1]})
	}
	for i, r := range rows {
		if err := b.f.SetSheetRow(name, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	head := strconv.Itoa(len(paragraphs) + 3)
	if err := b.f.SetCellStyle(name, "A1", "A1", b.head); err != nil {
		return err
	}
	return b.f.SetCellStyle(name, "A"+head, "B"+head, b.head)
}

// Stamp is what a workbook was made from, kept on a very hidden sheet: the
// kind of workbook, the object, the language of its texts, and per row
// (measure or question) the version and fingerprint handed out.
type Stamp struct {
	Kind    string
	ID      int64
	Lang    string
	Version int
	Items   []StampItem
}

// StampItem is one row's stamp.
type StampItem struct {
	ID      int64
	Version int
	Print   string
}

// Stamp writes the stamp sheet (Layout hid it from the spreadsheet's menus).
func (b *Book) Stamp(s Stamp) error {
	if err := b.addSheet(StampSheet); err != nil {
		return err
	}
	rows := [][]any{{"kind", s.Kind}, {"id", s.ID}, {"lang", s.Lang}, {"version", s.Version},
		{"format", formatVersion}, {"generated", time.Now().UTC().Format(time.RFC3339)}, nil}
	for _, it := range s.Items {
		rows = append(rows, []any{it.ID, it.Version, it.Print})
	}
	for i, r := range rows {
		if err := b.f.SetSheetRow(StampSheet, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	return nil
}
