// Package xlsx writes and reads Pakt's workbooks (progress reports,
// questionnaires, plan exports) with excelize: the big sheets are streamed,
// editable columns are unlocked on protected sheets, choices come from
// drop-down lists, and a hidden sheet stamps what was handed out so an
// upload can be checked against it. No XML is written by hand.
package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pakt/i18n"
)

// ContentType is the media type of an XLSX workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Kind is how a column's cells are written and read.
type Kind int

// Column kinds.
const (
	Text Kind = iota
	Int
	Money
	Dec
	Date
)

// Column is one column of a sheet: its header, width and kind; Edit columns
// are unlocked (the rest of a protected sheet is not).
type Column struct {
	Head  string
	Width float64
	Kind  Kind
	Edit  bool
	Max   int // for an editable Int column: the largest value (0: any)
}

// Book is a workbook being written.
type Book struct {
	f      *excelize.File
	L      *i18n.Localizer // headers and texts
	styles map[styleKey]int
	head   int
	sheets int
}

type styleKey struct {
	kind   Kind
	edit   bool
	locked bool // an Edit column's cell in a read-only row
}

// NewBook starts a workbook whose texts are in l's language and whose
// numbers and dates are formatted the way the municipality writes them
// (format: its language; currency: its ISO code).
func NewBook(l, format *i18n.Localizer, currency string) (*Book, error) {
	b := &Book{f: excelize.NewFile(), L: l, styles: map[styleKey]int{}}
	var err error
	b.head, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
		Alignment:  &excelize.Alignment{WrapText: true, Vertical: "top"},
		Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return nil, err
	}
	formats := numberFormats(format, currency)
	for _, k := range []Kind{Text, Int, Money, Dec, Date} {
		for _, key := range []styleKey{{k, false, false}, {k, true, false}, {k, true, true}} {
			if b.styles[key], err = b.newStyle(key, formats[k]); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

func (b *Book) newStyle(key styleKey, format string) (int, error) {
	s := &excelize.Style{Protection: &excelize.Protection{Locked: !key.edit || key.locked},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: key.kind == Text}}
	if format != "" {
		s.CustomNumFmt = &format
	}
	if key.edit && !key.locked {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFDE7"}}
	}
	return b.f.NewStyle(s)
}

// numberFormats are the number formats of each kind in a municipality's
// locale: its currency symbol and its way of writing dates. The digit
// separators are the reader's own spreadsheet settings.
func numberFormats(l *i18n.Localizer, currency string) map[Kind]string {
	zero := l.Decimal(decimal.Zero, 2)
	symbol := strings.TrimSpace(strings.TrimPrefix(l.Money(decimal.Zero, currency), zero))
	date := "dd.mm.yyyy"
	switch l.Lang {
	case "en":
		date = "d mmm yyyy"
	case "bs", "sr", "sr-Latn":
		date = `dd.mm.yyyy\.`
	}
	return map[Kind]string{Text: "@", Int: "#,##0", Money: `#,##0.00\ "` + strings.ReplaceAll(symbol, `"`, "") + `"`,
		Dec: "#,##0.##", Date: date}
}

// Write sends the workbook.
func (b *Book) Write(w io.Writer) error {
	defer b.f.Close()
	_, err := b.f.WriteTo(w)
	return err
}

// Sheet is one streamed sheet: header row first, then Row per row.
type Sheet struct {
	b    *Book
	Name string
	cols []Column
	sw   *excelize.StreamWriter
	row  int
}

// Sheet starts a sheet (the first one replaces the blank sheet of a new
// file) with its header row frozen and its column widths set. Call Done
// when its rows are written.
func (b *Book) Sheet(name string, cols []Column) (*Sheet, error) {
	if err := b.addSheet(name); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &Sheet{b: b, Name: name, cols: cols, sw: sw, row: 1}
	if err := s.layout(); err != nil {
		return nil, err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: b.head, Value: c.Head}
	}
	// Streamed rows get no automatic height: room for two wrapped lines.
	return s, s.write(head, excelize.RowOpts{Height: 32})
}

// addSheet makes a sheet unless Layout made it already.
func (b *Book) addSheet(name string) error {
	if i, err := b.f.GetSheetIndex(name); err != nil || i >= 0 {
		return err
	}
	b.sheets++
	if b.sheets == 1 {
		return b.f.SetSheetName(b.f.GetSheetName(0), name)
	}
	_, err := b.f.NewSheet(name)
	return err
}

// Layout makes the sheets in order, the hidden ones (Lists) and the very
// hidden stamp last, before anything is written: hiding a sheet makes
// excelize parse every sheet, which would undo the streaming of sheets
// already written (measured: half the time of a 200-measure workbook).
func (b *Book) Layout(visible []string, hidden, veryHidden string) error {
	for _, name := range append(visible, hidden, veryHidden) {
		if err := b.addSheet(name); err != nil {
			return err
		}
	}
	if err := b.f.SetSheetVisible(hidden, false); err != nil {
		return err
	}
	return b.f.SetSheetVisible(veryHidden, false, true)
}

// layout sets widths and column styles (so rows added by hand below the
// written ones are editable in the same columns) and freezes the header.
func (s *Sheet) layout() error {
	for i, c := range s.cols {
		if err := s.sw.SetColWidth(i+1, i+1, max(c.Width, 6)); err != nil {
			return err
		}
		if err := s.sw.SetColStyle(i+1, i+1, s.b.styles[styleKey{c.Kind, c.Edit, false}]); err != nil {
			return err
		}
	}
	return s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// Next is the number of the row Row writes next.
func (s *Sheet) Next() int { return s.row }

// Row writes the next row: values in column order, nil for a blank cell.
// Text is always written as text, never as a formula, whatever it starts
// with (= + - @). With readOnly the editable columns are locked too.
func (s *Sheet) Row(readOnly bool, values ...any) error {
	cells := make([]any, len(s.cols))
	for i, c := range s.cols {
		var v any
		lock := readOnly
		if i < len(values) {
			v = values[i]
		}
		if l, ok := v.(Locked); ok {
			v, lock = l.V, true
		}
		cells[i] = excelize.Cell{StyleID: s.b.styles[styleKey{c.Kind, c.Edit, lock && c.Edit}], Value: cellValue(v)}
	}
	return s.write(cells)
}

// Locked is a value whose cell is locked although its column is editable.
type Locked struct{ V any }

// cellValue turns exact decimals into numbers (amounts have at most 14
// digits, which a spreadsheet's double holds exactly) and dates into dates.
func cellValue(v any) any {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.InexactFloat64()
	case *decimal.Decimal:
		if x == nil {
			return nil
		}
		return x.InexactFloat64()
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

func (s *Sheet) write(cells []any, opts ...excelize.RowOpts) error {
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	s.row++
	return s.sw.SetRow(cell, cells, opts...)
}

// Done protects the sheet when it has locked columns (formatting and
// adding rows stay allowed), adds its drop-down lists and flushes it.
func (s *Sheet) Done(protect bool, lists ...List) error {
	for _, l := range lists {
		if err := s.b.dropDown(s.Name, l); err != nil {
			return err
		}
	}
	if err := s.numberChecks(); err != nil {
		return err
	}
	if protect {
		err := s.b.f.ProtectSheet(s.Name, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
			FormatColumns: true, FormatRows: true, FormatCells: true, InsertRows: true, AutoFilter: true})
		if err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

// List is a drop-down on one column (from row 2 down) whose choices are a
// column of the hidden Lists sheet (ListsSheet).
type List struct {
	Col    int    // 1-based column of the sheet
	Source string // e.g. "Lists!$A$1:$A$5", from Lists.Add
	Row    int    // one cell of that row only (0: the whole column)
}

func (b *Book) dropDown(sheet string, l List) error {
	col, err := excelize.ColumnNumberToName(l.Col)
	if err != nil {
		return err
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows))
	if l.Row > 0 {
		dv.SetSqref(fmt.Sprintf("%s%d", col, l.Row))
	}
	dv.SetSqrefDropList(l.Source)
	dv.SetError(excelize.DataValidationErrorStyleStop, "", b.L.T("xlsx.pick_from_list"))
	return b.f.AddDataValidation(sheet, dv)
}

// numberChecks make the spreadsheet refuse negative numbers (and whole
// numbers over a column's Max, or with decimals) while typing; the upload
// checks them again.
func (s *Sheet) numberChecks() error {
	for i, c := range s.cols {
		if !c.Edit || c.Kind == Text || c.Kind == Date {
			continue
		}
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows))
		typ, top := excelize.DataValidationTypeDecimal, float64(maxAmount)+0.99
		if c.Kind == Int {
			typ, top = excelize.DataValidationTypeWhole, float64(maxCount)
			if c.Max > 0 {
				top = float64(c.Max)
			}
		}
		if err := dv.SetRange(0, top, typ, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "", s.b.L.T("xlsx.number_hint"))
		if err := s.b.f.AddDataValidation(s.Name, dv); err != nil {
			return err
		}
	}
	return nil
}
