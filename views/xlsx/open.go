package xlsx

import (
	"archive/zip"
	"bytes"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pakt/models"
)

// Upload limits. A workbook of a 200-measure plan is far below them.
const (
	// MaxUploadBytes is the largest workbook accepted (413 above).
	MaxUploadBytes = 5 << 20
	// maxUnzipped bounds the sum of the entries' uncompressed sizes, read
	// from the zip directory before anything is inflated: a zip bomb is
	// refused without being opened (archive/zip also refuses an entry that
	// inflates to more than its directory says).
	maxUnzipped = 25 << 20
	maxEntries  = 300
	// MaxRows is the most rows a sheet of an upload may have.
	MaxRows = 5000
	// maxAmount and maxCount bound amounts (numeric(14,2)) and counts.
	maxAmount = 999_999_999_999
	maxCount  = 100_000_000
)

// WorkbookField is the field of errors about the file as a whole.
const WorkbookField = "workbook"

// Upload is an opened workbook and its stamp.
type Upload struct {
	f     *excelize.File
	Stamp Stamp
}

// Open checks an uploaded workbook's size and zip directory, opens it and
// reads its stamp. Too big: models.TooLargeError (413); not a Pakt
// workbook: models.ValidationError on "workbook" (422).
func Open(body []byte) (*Upload, error) {
	if len(body) > MaxUploadBytes {
		return nil, models.TooLarge(WorkbookField, "xlsx.error.too_large")
	}
	if len(body) == 0 {
		return nil, models.Invalid(WorkbookField, "xlsx.error.empty")
	}
	if err := checkZip(body); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, models.Invalid(WorkbookField, "xlsx.error.not_xlsx")
	}
	u := &Upload{f: f}
	if err := u.readStamp(); err != nil {
		_ = f.Close()
		return nil, err
	}
	return u, nil
}

// Close releases the workbook.
func (u *Upload) Close() error { return u.f.Close() }

func checkZip(body []byte) error {
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return models.Invalid(WorkbookField, "xlsx.error.not_xlsx")
	}
	if len(z.File) > maxEntries {
		return models.TooLarge(WorkbookField, "xlsx.error.unzipped_too_large")
	}
	var total uint64
	workbook := false
	for _, e := range z.File {
		total += e.UncompressedSize64
		workbook = workbook || e.Name == "xl/workbook.xml"
	}
	if total > maxUnzipped {
		return models.TooLarge(WorkbookField, "xlsx.error.unzipped_too_large")
	}
	if !workbook {
		return models.Invalid(WorkbookField, "xlsx.error.not_xlsx")
	}
	return nil
}

func (u *Upload) readStamp() error {
	rows, err := u.f.GetRows(StampSheet, excelize.Options{RawCellValue: true})
	missing := models.Invalid(WorkbookField, "xlsx.error.no_stamp")
	if err != nil || len(rows) < 6 {
		return missing
	}
	head := map[string]string{}
	for _, r := range rows[:6] {
		if len(r) >= 2 {
			head[r[0]] = r[1]
		}
	}
	s := Stamp{Kind: head["kind"], Lang: head["lang"]}
	s.ID, _ = strconv.ParseInt(head["id"], 10, 64)
	s.Version, _ = strconv.Atoi(head["version"])
	if s.Kind == "" || s.ID == 0 || head["format"] != strconv.Itoa(formatVersion) {
		return missing
	}
	for _, r := range rows[6:] {
		if len(r) < 3 {
			continue
		}
		id, err1 := strconv.ParseInt(r[0], 10, 64)
		v, err2 := strconv.Atoi(r[1])
		if err1 != nil || err2 != nil {
			return missing
		}
		s.Items = append(s.Items, StampItem{ID: id, Version: v, Print: r[2]})
	}
	u.Stamp = s
	return nil
}

// check refuses a workbook of another kind, or of another object (key).
func (s Stamp) check(kind string, id int64, key string) error {
	switch {
	case s.Kind != kind:
		return models.Invalid(WorkbookField, "xlsx.error.wrong_kind")
	case s.ID != id:
		return models.Invalid(WorkbookField, key)
	}
	return nil
}

// Item is the stamp of row id (zero when it was not handed out).
func (s Stamp) Item(id int64) StampItem {
	for _, it := range s.Items {
		if it.ID == id {
			return it
		}
	}
	return StampItem{ID: id}
}

// Grid is a sheet's cells as written (numbers as their exact text), row 1
// being the header.
type Grid struct {
	u     *Upload
	Sheet string
	Rows  [][]string
}

// Grid reads a sheet: at most MaxRows rows (413 beyond); a missing sheet is
// an error on its first cell.
func (u *Upload) Grid(sheet string) (*Grid, error) {
	it, err := u.f.Rows(sheet)
	if err != nil {
		return nil, models.Invalid(sheet+"!A1", "xlsx.error.sheet_missing")
	}
	defer it.Close()
	g := &Grid{u: u, Sheet: sheet}
	for it.Next() {
		if len(g.Rows) >= MaxRows {
			return nil, models.TooLarge(WorkbookField, "xlsx.error.too_many_rows")
		}
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, models.Invalid(WorkbookField, "xlsx.error.not_xlsx")
		}
		g.Rows = append(g.Rows, cols)
	}
	return g, it.Error()
}

// Problems collects the bad cells of an upload, keyed "Sheet!A1", each with
// a catalog key.
type Problems struct{ Fields map[string]string }

// Add records a problem at a cell (the first one per cell wins).
func (p *Problems) Add(cell, key string) {
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if _, dup := p.Fields[cell]; !dup {
		p.Fields[cell] = key
	}
}

// Err is a models.ValidationError of every problem, or nil.
func (p *Problems) Err() error {
	if len(p.Fields) == 0 {
		return nil
	}
	return &models.ValidationError{Fields: p.Fields}
}

// Ref names a cell: "Reports!F7" (col and row 1-based).
func Ref(sheet string, col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return sheet + "!" + name
}

// Cells reads one row of a grid (1-based row number n), reporting bad cells.
type Cells struct {
	g   *Grid
	n   int
	row []string
	p   *Problems
}

// Row returns the reader of row n (1-based).
func (g *Grid) Row(n int, p *Problems) Cells {
	return Cells{g: g, n: n, row: g.Rows[n-1], p: p}
}

// Ref names the row's cell in column col.
func (c Cells) Ref(col int) string { return Ref(c.g.Sheet, col, c.n) }

// Blank says whether the cells of the given columns are all empty.
func (c Cells) Blank(cols ...int) bool {
	for _, col := range cols {
		if c.raw(col) != "" {
			return false
		}
	}
	return true
}

func (c Cells) raw(col int) string {
	if col-1 < len(c.row) {
		return strings.TrimSpace(c.row[col-1])
	}
	return ""
}

// Text is a text cell of at most limit characters; a formula is refused
// (text from a workbook is stored as typed, never computed).
func (c Cells) Text(col, limit int) string {
	v := c.raw(col)
	if c.formula(col) {
		c.p.Add(c.Ref(col), "xlsx.error.formula")
		return ""
	}
	if len([]rune(v)) > limit {
		c.p.Add(c.Ref(col), "xlsx.error.too_long")
	}
	return v
}

// formula says whether the cell holds a formula.
func (c Cells) formula(col int) bool {
	name, _ := excelize.CoordinatesToCellName(col, c.n)
	f, _ := c.g.u.f.GetCellFormula(c.g.Sheet, name)
	return f != ""
}

// Number reads an exact number, nil when blank (a formula's computed value
// counts): never negative, at most
// two decimals and 12 digits before the point. A comma decimal separator
// typed as text ("12500,50") is read as well.
func (c Cells) Number(col int) *decimal.Decimal {
	v := c.raw(col)
	if v == "" {
		if c.formula(col) { // a formula never computed (no spreadsheet saved it)
			c.p.Add(c.Ref(col), "xlsx.error.formula_value")
		}
		return nil
	}
	if strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		v = strings.Replace(v, ",", ".", 1)
	}
	d, err := decimal.NewFromString(v)
	switch {
	case err != nil:
		c.p.Add(c.Ref(col), "xlsx.error.number")
	case d.IsNegative():
		c.p.Add(c.Ref(col), "xlsx.error.negative")
	case !d.Equal(d.Round(2)):
		c.p.Add(c.Ref(col), "xlsx.error.decimals")
	case d.GreaterThanOrEqual(decimal.NewFromInt(maxAmount + 1)): // numeric(14,2)
		c.p.Add(c.Ref(col), "xlsx.error.too_big")
	default:
		return &d
	}
	return nil
}

// Count reads a whole number between 0 and top (0 when blank; present
// says whether the cell held anything).
func (c Cells) Count(col, top int) (n int, present bool) {
	present = c.raw(col) != ""
	d := c.Number(col)
	if d == nil {
		return 0, present
	}
	switch {
	case !d.IsInteger():
		c.p.Add(c.Ref(col), "xlsx.error.whole")
	case d.GreaterThan(decimal.NewFromInt(int64(top))):
		c.p.Add(c.Ref(col), "xlsx.error.too_big")
	default:
		return int(d.IntPart()), true
	}
	return 0, true
}

// ID reads a positive whole id (0 when blank or bad: reported).
func (c Cells) ID(col int) int64 {
	v := c.raw(col)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		c.p.Add(c.Ref(col), "xlsx.error.id")
		return 0
	}
	return id
}

// Choice reads a cell of a drop-down list: a code or its label (in the
// workbook's language, any case); "" when blank.
func (c Cells) Choice(col int, labels map[string]string) string {
	v := c.raw(col)
	if v == "" {
		return ""
	}
	for code, label := range labels {
		if strings.EqualFold(v, code) || strings.EqualFold(v, label) {
			return code
		}
	}
	c.p.Add(c.Ref(col), "xlsx.error.choice")
	return ""
}
