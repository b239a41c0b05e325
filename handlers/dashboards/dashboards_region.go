package dashboards

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/views/charts"
	"pakt/web"
)

// The regional dashboard: every municipality a user may see side by side
// (plans adopted, budgets planned and spent, people reached), paginated,
// with totals over all of them.

// dashRegionRow is a municipality's row of the regional comparison, formatted.
type dashRegionRow struct {
	models.RegionalRow
	PlannedTxt, SpentTxt, ExecutionTxt string
	exec                               decimal.Decimal // ExecutionPercent, computed once (sorting compares it often)
}

// Regional table: 50 rows a page; the chart shows the 15 highest and the 15
// lowest budget executions (all of them when there are at most 30).
const (
	dashRegionPageSize = 50
	dashRegionChartEnd = 15
	dashRegionMaxPage  = 1000
)

// dashRegionSorts are the columns the regional table sorts by, each with its
// natural direction (names A–Z, figures highest first).
var dashRegionSorts = map[string]string{"name": "asc", "agreements": "desc", "execution": "desc", "people": "desc"}

// dashRegionQuery is the table's page and order, read from the query string
// and normalised: anything unknown falls back to the default, so odd URLs
// cannot fill the cache with variants.
type dashRegionQuery struct {
	Sort, Dir string
	Page      int
}

func dashRegionQueryOf(c *fiber.Ctx) dashRegionQuery {
	q := dashRegionQuery{Sort: c.Query("sort"), Dir: c.Query("dir"), Page: c.QueryInt("page", 1)}
	if _, ok := dashRegionSorts[q.Sort]; !ok {
		q.Sort = "name"
	}
	if q.Dir != "asc" && q.Dir != "desc" {
		q.Dir = dashRegionSorts[q.Sort]
	}
	q.Page = min(max(q.Page, 1), dashRegionMaxPage)
	return q
}

// dashRegionHref is the address of the regional page in an order at a page.
func dashRegionHref(sortBy, dir string, page int) string {
	v := url.Values{}
	if sortBy != "name" || dir != "asc" {
		v.Set("sort", sortBy)
		v.Set("dir", dir)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/region"
	}
	return "/region?" + v.Encode()
}

// dashSortHeader is a sortable column heading: where it leads and its aria-sort.
type dashSortHeader struct {
	Href, AriaSort, Arrow string
}

// dashPageLink is one link of the table's page navigation.
type dashPageLink struct {
	N       int
	Href    string
	Current bool
}

// dashboardRegionPage is the data of views/pages/dashboard_region.html:
// the cached comparison.
type dashboardRegionPage struct {
	Body template.HTML // partials/dash_region, cached
}

// dashRegionView is the data of the cached fragment
// views/partials/dash_region.html: the language and the comparison.
type dashRegionView struct {
	L    *i18n.Localizer
	Data dashRegionData
}

// dashRegionData is the regional comparison: totals over every
// municipality, the execution chart and one page of the table.
type dashRegionData struct {
	dashRegionTotals
	dashExecChart
	dashTablePage
}

// RegionDashboard compares every municipality the user may see: totals over
// all of them, a table of 50 a page in a chosen order, and a chart of the
// highest and lowest budget execution. Money is never added up across
// currencies. The page is a fragment cached under the region's revision
// (models.RegionRevision), the language, the date, the set of municipalities the caller
// sees and the table's order and page.
func (h *Handler) RegionDashboard(c *fiber.Ctx) error {
	ids := web.PrincipalOf(c).MunicipalityIDs()
	l := h.Localizer(c)
	q := dashRegionQueryOf(c)
	key, err := h.RegionKey(c, "region", l.Lang, models.Today(), dashVisible(ids), q.Sort, q.Dir, q.Page)
	if err != nil {
		return err
	}
	body, err := h.CachedFragment(c, key, "partials/dash_region", func() (any, error) {
		rows, err := h.regionRows(c, ids)
		if err != nil {
			return nil, err
		}
		return dashRegionView{L: l, Data: dashRegion(l, rows, q)}, nil
	})
	if err != nil {
		return err
	}
	return h.Render(c, 200, "dashboard_region", "dash.region.title", dashboardRegionPage{Body: body})
}

// dashVisible names the municipalities a caller sees, for a cache key: "all"
// for an admin, else a hash of the sorted ids.
func dashVisible(ids []int64) string {
	if ids == nil {
		return "all"
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	var b strings.Builder
	for _, id := range slices.Compact(sorted) {
		fmt.Fprintf(&b, "%d,", id)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:12])
}

// regionRows returns the regional rows of ids (nil: all), by name: one
// query over the plans' aggregate rows (models.RegionalOverview), cheap
// enough that no row needs a cache of its own.
func (h *Handler) regionRows(c *fiber.Ctx, ids []int64) ([]models.RegionalRow, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	return models.RegionalOverview(ctx, h.DB, ids)
}

// dashRegion formats the regional comparison: totals over every row, one
// page of the table in the query's order, the chart.
func dashRegion(l *i18n.Localizer, rows []models.RegionalRow, q dashRegionQuery) dashRegionData {
	d := dashRegionData{dashRegionTotals: dashRegionTotalsOf(l, rows)}
	if len(rows) == 0 {
		return d
	}
	out := dashRegionRows(rows)
	d.dashExecChart = dashRegionChart(l, out)
	d.dashTablePage = dashRegionTable(l, out, q)
	return d
}

// dashRegionRows are the rows with their execution rates, for ordering;
// their texts are formatted only for the rows shown (format).
func dashRegionRows(rows []models.RegionalRow) []dashRegionRow {
	out := make([]dashRegionRow, len(rows))
	for i, r := range rows {
		out[i].RegionalRow = r
		if r.HasPlan() && !r.Planned.IsZero() {
			out[i].exec = r.ExecutionPercent()
		}
	}
	return out
}

// format fills a shown row's money and execution rate texts.
func (r *dashRegionRow) format(l *i18n.Localizer) {
	r.PlannedTxt, r.SpentTxt, r.ExecutionTxt = "—", "—", "—"
	if r.HasPlan() {
		r.PlannedTxt, r.SpentTxt = l.Money(r.Planned, r.Currency), l.Money(r.Spent, r.Currency)
		if !r.Planned.IsZero() {
			r.ExecutionTxt = l.Decimal(r.exec, 1) + " %"
		}
	}
}

// dashRegionTotals are the totals over every municipality shown, formatted.
type dashRegionTotals struct {
	NTxt                                                          string // how many municipalities
	People, Women, Men, Employed, Trained, Educated, SelfEmployed string
	Mixed                                                         bool           // several currencies
	Grand                                                         *dashMoneyRow  // one currency: the money totals
	PerCurrency                                                   []dashMoneyRow // several: per currency
}

func dashRegionTotalsOf(l *i18n.Localizer, rows []models.RegionalRow) dashRegionTotals {
	var people, women, men, employed, trained, educated, selfEmployed int64
	for _, r := range rows {
		people, women, men = people+r.PeopleTotal, women+r.PeopleWomen, men+r.PeopleMen
		employed, trained, educated, selfEmployed = employed+r.Employed, trained+r.Trained, educated+r.CompletedEducation, selfEmployed+r.SelfEmployed
	}
	t := dashRegionTotals{NTxt: l.Int(int64(len(rows))), People: l.Int(people), Women: l.Int(women), Men: l.Int(men),
		Employed: l.Int(employed), Trained: l.Int(trained), Educated: l.Int(educated), SelfEmployed: l.Int(selfEmployed)}
	if len(rows) > 0 {
		t.Mixed, t.Grand, t.PerCurrency = dashRegionMoney(l, rows)
	}
	return t
}

// dashRegionMoney adds up the plans' money: one total when every
// municipality keeps its books in one currency, else one per currency.
func dashRegionMoney(l *i18n.Localizer, rows []models.RegionalRow) (mixed bool, grand *dashMoneyRow, per []dashMoneyRow) {
	planned, spent := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	for _, r := range rows {
		if r.HasPlan() {
			planned[r.Currency], spent[r.Currency] = planned[r.Currency].Add(r.Planned), spent[r.Currency].Add(r.Spent)
		}
	}
	currencies := make([]string, 0, len(planned))
	for cur := range planned {
		currencies = append(currencies, cur)
	}
	sort.Strings(currencies)
	total := func(cur string) dashMoneyRow {
		return dashMoneyRow{cur, l.Money(planned[cur], cur), l.Money(spent[cur], cur),
			l.Decimal(dashExecution(planned[cur], spent[cur]), 1) + " %"}
	}
	single := dashSameCurrency(rows)
	if single && len(currencies) == 1 {
		g := total(currencies[0])
		grand = &g
	}
	if !single {
		for _, cur := range currencies {
			per = append(per, total(cur))
		}
	}
	return !single, grand, per
}

// dashRanked says whether a row has an execution rate to compare.
func dashRanked(r dashRegionRow) bool { return r.HasPlan() && !r.Planned.IsZero() }

// dashByExecution orders rows highest execution first (ties keep their order);
// rows without a rate go last.
func dashByExecution(rows []dashRegionRow, dir string) {
	slices.SortStableFunc(rows, func(a, b dashRegionRow) int {
		ra, rb := dashRanked(a), dashRanked(b)
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		if !ra {
			return 0
		}
		c := b.exec.Cmp(a.exec)
		if dir == "asc" {
			c = -c
		}
		return c
	})
}

// dashExecChart is the chart of the highest and lowest execution rates.
type dashExecChart struct {
	Chart        template.HTML // empty when no municipality has a rate
	ChartCaption string
	Unranked     string // how many municipalities have no rate
	HasUnranked  bool
}

// dashRegionChart draws the highest and the lowest execution rates: with
// hundreds of municipalities, a bar each is a chart nobody reads.
func dashRegionChart(l *i18n.Localizer, rows []dashRegionRow) dashExecChart {
	var ranked []dashRegionRow
	for _, r := range rows {
		if dashRanked(r) {
			ranked = append(ranked, r)
		}
	}
	out := dashExecChart{Unranked: l.Int(int64(len(rows) - len(ranked))), HasUnranked: len(rows) > len(ranked)}
	if len(ranked) == 0 {
		return out
	}
	dashByExecution(ranked, "desc")
	ch, caption := dashExecBars(l, ranked)
	out.Chart, out.ChartCaption = ch.SVG(), caption
	return out
}

// dashExecBars draws ranked rows (highest first): all of them, or the
// highest and the lowest with a gap between.
func dashExecBars(l *i18n.Localizer, ranked []dashRegionRow) (ch charts.Bar, caption string) {
	ch = charts.Bar{ID: "ch-exec", Title: l.T("dash.region.exec_chart"), Desc: l.T("dash.region.exec_desc"), Min: 100, Ref: 100,
		RefTxt: "100 %", Series: []charts.Series{{}}}
	add := func(r dashRegionRow) {
		r.format(l)
		ch.Cats, ch.Notes = append(ch.Cats, r.Name), append(ch.Notes, "")
		ch.Series[0].Values = append(ch.Series[0].Values, r.exec.InexactFloat64())
		ch.Series[0].Labels = append(ch.Series[0].Labels, r.ExecutionTxt)
	}
	n := l.Int(int64(len(ranked)))
	if len(ranked) <= 2*dashRegionChartEnd {
		for _, r := range ranked {
			add(r)
		}
		return ch, l.T("dash.region.exec_caption_all", "N", n)
	}
	for _, r := range ranked[:dashRegionChartEnd] {
		add(r)
	}
	between := len(ranked) - 2*dashRegionChartEnd
	ch.Cats, ch.Notes = append(ch.Cats, "…"), append(ch.Notes, l.T("dash.region.exec_between", "N", l.Int(int64(between))))
	ch.Series[0].Values, ch.Series[0].Labels = append(ch.Series[0].Values, 0), append(ch.Series[0].Labels, "")
	for _, r := range ranked[len(ranked)-dashRegionChartEnd:] {
		add(r)
	}
	ch.Title = l.T("dash.region.exec_chart_ends")
	return ch, l.T("dash.region.exec_caption_ends", "K", l.Int(dashRegionChartEnd), "N", n)
}

// dashTablePage is one page of the regional table in the asked order.
type dashTablePage struct {
	Rows       []dashRegionRow
	Showing    string // "from–to of N"
	Sort       dashSortHeaders
	Pages      []dashPageLink // nil when everything fits on one page
	Prev, Next string         // "" on the first, the last page
}

// dashSortHeaders are the table's sortable column headings.
type dashSortHeaders struct {
	Name, Agreements, Execution, People dashSortHeader
}

// dashRegionTable sorts the rows as asked and keeps one page of them.
func dashRegionTable(l *i18n.Localizer, rows []dashRegionRow, q dashRegionQuery) dashTablePage {
	rows = dashRegionSorted(rows, q)
	pages := (len(rows) + dashRegionPageSize - 1) / dashRegionPageSize
	page := min(q.Page, pages)
	from := (page - 1) * dashRegionPageSize
	to := min(from+dashRegionPageSize, len(rows))
	shown := rows[from:to] // rows is the sorted copy: formatting in place is fine
	for i := range shown {
		shown[i].format(l)
	}
	t := dashTablePage{Rows: shown, Sort: dashSortHeadersOf(q),
		Showing: l.T("dash.region.showing", "From", l.Int(int64(from+1)), "To", l.Int(int64(to)), "N", l.Int(int64(len(rows))))}
	if pages > 1 {
		t.Pages = make([]dashPageLink, pages)
		for i := range t.Pages {
			t.Pages[i] = dashPageLink{N: i + 1, Href: dashRegionHref(q.Sort, q.Dir, i+1), Current: i+1 == page}
		}
		if page > 1 {
			t.Prev = dashRegionHref(q.Sort, q.Dir, page-1)
		}
		if page < pages {
			t.Next = dashRegionHref(q.Sort, q.Dir, page+1)
		}
	}
	return t
}

// dashRegionSorted returns the rows (by name, as read) in the query's order.
func dashRegionSorted(rows []dashRegionRow, q dashRegionQuery) []dashRegionRow {
	rows = slices.Clone(rows)
	switch q.Sort {
	case "name":
		if q.Dir == "desc" {
			slices.Reverse(rows)
		}
	case "execution":
		dashByExecution(rows, q.Dir)
	case "agreements", "people":
		val := func(r dashRegionRow) int64 {
			if q.Sort == "people" {
				return r.PeopleTotal
			}
			return r.AgreementsInForce
		}
		slices.SortStableFunc(rows, func(a, b dashRegionRow) int {
			if q.Dir == "asc" {
				return cmp.Compare(val(a), val(b))
			}
			return cmp.Compare(val(b), val(a))
		})
	}
	return rows
}

// dashSortHeadersOf links each sortable column to its natural order, and
// the column sorted by to the other direction.
func dashSortHeadersOf(q dashRegionQuery) dashSortHeaders {
	header := func(col string) dashSortHeader {
		if col != q.Sort {
			return dashSortHeader{Href: dashRegionHref(col, dashRegionSorts[col], 1)}
		}
		hd := dashSortHeader{AriaSort: "ascending", Arrow: "▲", Href: dashRegionHref(col, "desc", 1)}
		if q.Dir == "desc" {
			hd = dashSortHeader{AriaSort: "descending", Arrow: "▼", Href: dashRegionHref(col, "asc", 1)}
		}
		return hd
	}
	return dashSortHeaders{Name: header("name"), Agreements: header("agreements"),
		Execution: header("execution"), People: header("people")}
}

// dashSameCurrency says whether every municipality shown uses one currency.
func dashSameCurrency(rows []models.RegionalRow) bool {
	for _, r := range rows {
		if r.Currency != rows[0].Currency {
			return false
		}
	}
	return len(rows) > 0
}

func dashExecution(planned, spent decimal.Decimal) decimal.Decimal {
	if planned.IsZero() {
		return decimal.Zero
	}
	return spent.Mul(decimal.NewFromInt(100)).Div(planned).Round(1)
}
