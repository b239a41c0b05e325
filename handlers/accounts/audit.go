package accounts

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// auditPageSize is how many rows one page of the audit log shows.
const auditPageSize = 50

type auditPage struct {
	web.FormState
	Municipality *models.Municipality
	Rows         []auditRow
	People       []models.AuditPerson
	Types        []auditOption
	Next         string // link to the next (older) page, "" on the last
	First        string // link back to the newest page, "" on it
}

type auditOption struct {
	Value, Label string
}

// auditRow is one audit entry as a clerk reads it.
type auditRow struct {
	ID      int64
	At      time.Time
	Summary template.HTML // the sentence, the object's own name marked with the municipality's language
	Link    string
	History string // the log filtered to this object
	Changes []auditChangeView
	Raw     string
	IP      string
}

type auditChangeView struct {
	Field, Before, After string
	HasBefore            bool
}

// auditFilterOf reads the filter of the query string; bad values are
// reported by field (the catalog key of the message).
func auditFilterOf(c *fiber.Ctx, api bool) (models.AuditFilter, map[string]string) {
	f := models.AuditFilter{Limit: auditPageSize}
	bad := map[string]string{}
	id := func(name string, dst *int64) {
		if v := strings.TrimSpace(c.Query(name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				bad[name] = "validation.audit_id"
			}
			*dst = n
		}
	}
	date := func(name string, dst **models.Date) {
		if v := strings.TrimSpace(c.Query(name)); v != "" {
			d, err := models.ParseDate(v)
			if err != nil {
				bad[name] = "validation.date"
				return
			}
			*dst = &d
		}
	}
	id("user_id", &f.UserID)
	id("object_id", &f.ObjectID)
	f.ObjectType = strings.TrimSpace(c.Query("object_type"))
	if len(f.ObjectType) > 50 {
		bad["object_type"] = "validation.max"
	}
	date("from", &f.From)
	date("to", &f.To)
	if f.From != nil && f.To != nil && f.To.Before(f.From.Time) {
		bad["to"] = "validation.period_order"
	}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			bad["cursor"] = "validation.cursor"
		}
		f.Before = n
	}
	if v := c.Query("limit"); api && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			bad["limit"] = "validation.limit"
		}
		f.Limit = n
	}
	return f, bad
}

// AuditPage shows a municipality's audit log to its coordinators: who did
// what to which object, in words, with filters and pages.
func (h *Handler) AuditPage(c *fiber.Ctx) error {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	id := web.ScopeOf(c).MunicipalityID
	m, err := models.GetMunicipality(ctx, h.DB, id)
	if err != nil {
		return err
	}
	l := h.Localizer(c)
	f, bad := auditFilterOf(c, false)
	pg := auditPage{Municipality: m, FormState: web.FormState{Form: map[string]string{}, Errors: map[string]string{}}}
	for _, k := range []string{"user_id", "object_type", "object_id", "from", "to"} {
		pg.Form[k] = c.Query(k)
	}
	if pg.People, err = models.AuditPeople(ctx, h.DB, id); err != nil {
		return err
	}
	types, err := models.AuditObjectTypes(ctx, h.DB, id)
	if err != nil {
		return err
	}
	for _, t := range types {
		pg.Types = append(pg.Types, auditOption{t, auditKindName(l, t)})
	}
	sort.Slice(pg.Types, func(i, j int) bool { return pg.Types[i].Label < pg.Types[j].Label })
	status := fiber.StatusOK
	if len(bad) > 0 {
		for k, v := range bad {
			pg.Errors[k] = l.T(v)
		}
		return h.Render(c, fiber.StatusUnprocessableEntity, "audit", "audit.title", pg)
	}
	rows, next, err := models.ListAuditPage(ctx, h.DB, id, f)
	if err != nil {
		return err
	}
	fm := h.auditFormatter(c, m, rows)
	for _, r := range rows {
		row := fm.row(r)
		if r.ObjectID != nil && (f.ObjectID != *r.ObjectID || f.ObjectType != r.ObjectType) {
			row.History = fmt.Sprintf("/municipalities/%d/audit?%s", id,
				url.Values{"object_type": {r.ObjectType}, "object_id": {strconv.FormatInt(*r.ObjectID, 10)}}.Encode())
		}
		pg.Rows = append(pg.Rows, row)
	}
	q := url.Values{}
	for k, v := range pg.Form {
		if v != "" {
			q.Set(k, v)
		}
	}
	base := fmt.Sprintf("/municipalities/%d/audit", id)
	if f.Before != 0 {
		pg.First = base + "?" + q.Encode()
	}
	if next != 0 {
		q.Set("cursor", strconv.FormatInt(next, 10))
		pg.Next = base + "?" + q.Encode()
	}
	return h.Render(c, status, "audit", "audit.title", pg)
}

// auditItem is one entry of GET /api/v1/municipalities/{id}/audit.
type auditItem struct {
	ID         int64                `json:"id"`
	At         time.Time            `json:"at"`
	User       *auditUser           `json:"user"`
	Action     string               `json:"action"`
	ObjectType string               `json:"object_type"`
	ObjectID   *int64               `json:"object_id"`
	Summary    string               `json:"summary"`
	Changes    []models.FieldChange `json:"changes"`
}

type auditUser struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// APIAudit is GET /api/v1/municipalities/{id}/audit: the audit log, newest
// first, with the page's filters, ?limit= and ?cursor=.
func (h *Handler) APIAudit(c *fiber.Ctx) error {
	f, bad := auditFilterOf(c, true)
	if len(bad) > 0 {
		return &models.ValidationError{Fields: bad}
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	id := web.ScopeOf(c).MunicipalityID
	m, err := models.GetMunicipality(ctx, h.DB, id)
	if err != nil {
		return err
	}
	rows, next, err := models.ListAuditPage(ctx, h.DB, id, f)
	if err != nil {
		return err
	}
	fm := h.auditFormatter(c, m, rows)
	items := []auditItem{}
	for _, r := range rows {
		it := auditItem{ID: r.ID, At: r.CreatedAt, Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID,
			Summary: fm.summary(r), Changes: models.AuditChanges(r.Changes)}
		if r.UserID != nil {
			it.User = &auditUser{*r.UserID, r.UserName}
		}
		items = append(items, it)
	}
	var cursor any
	if next != 0 {
		cursor = strconv.FormatInt(next, 10)
	}
	return c.JSON(fiber.Map{"items": items, "next_cursor": cursor})
}

// auditFormatter turns audit rows into sentences and readable values in the
// reader's language, with the municipality's currency and organisation names.
type auditFormatter struct {
	l        *i18n.Localizer
	currency string
	orgs     map[int64]string
	goals    map[int64]string // plan objectives
	objects  map[string]models.AuditObject
	lang     string                    // the municipality's language, of the objects' names
	mark     func(label string) string // set while summaryHTML builds a sentence
}

func (h *Handler) auditFormatter(c *fiber.Ctx, m *models.Municipality, rows []models.AuditEntry) *auditFormatter {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	fm := &auditFormatter{l: h.Localizer(c), currency: m.Currency, orgs: map[int64]string{}, lang: m.Language,
		objects: models.AuditLabels(ctx, h.DB, m.ID, rows)}
	fm.goals, _ = models.AuditObjectives(ctx, h.DB, m.ID)
	if orgs, err := models.ListOrganisations(ctx, h.DB, m.ID); err == nil {
		for _, o := range orgs {
			fm.orgs[o.ID] = o.Name
		}
	}
	return fm
}

func (fm *auditFormatter) row(r models.AuditEntry) auditRow {
	out := auditRow{ID: r.ID, At: r.CreatedAt, Summary: fm.summaryHTML(r), Link: fm.link(r), IP: r.IP}
	var pretty []byte
	var v any
	if json.Unmarshal(r.Changes, &v) == nil {
		pretty, _ = json.MarshalIndent(v, "", "  ")
	}
	out.Raw = string(pretty)
	for _, ch := range models.AuditChanges(r.Changes) {
		out.Changes = append(out.Changes, auditChangeView{Field: fm.fieldName(ch.Field), HasBefore: ch.Before != nil,
			Before: fm.value(r.ObjectType, snakeCase(ch.Field), ch.Before), After: fm.value(r.ObjectType, snakeCase(ch.Field), ch.After)})
	}
	return out
}

// labelMark stands for the object's label while the sentence is escaped.
const labelMark = "\x00label\x00"

// summaryHTML is summary with the object's label (authored text) marked
// with the municipality's language; everything else is escaped.
func (fm *auditFormatter) summaryHTML(r models.AuditEntry) template.HTML {
	label := ""
	fm.mark = func(l string) string { label = l; return labelMark }
	s := fm.summary(r)
	fm.mark = nil
	out := template.HTMLEscapeString(s)
	if label != "" {
		out = strings.Replace(out, template.HTMLEscapeString(labelMark),
			"<span "+string(web.Authored(fm.lang))+">"+template.HTMLEscapeString(label)+"</span>", 1)
	}
	return template.HTML(out) //nolint:gosec // every part is escaped above
}

// summary is the row in one sentence: who did what to which object.
func (fm *auditFormatter) summary(r models.AuditEntry) string {
	who := r.UserName
	if who == "" {
		who = fm.l.T("audit.someone")
	}
	verb := fm.l.T("audit.verb." + r.Action)
	if verb == "audit.verb."+r.Action {
		verb = fm.l.T("audit.verb.other")
	}
	return fm.l.T("audit.sentence", "Who", who, "Verb", verb, "Object", fm.object(r))
}

// object names the row's object: its kind and today's label (or the one the
// write stored, for an object deleted since), else its number.
func (fm *auditFormatter) object(r models.AuditEntry) string {
	kind := auditTypeName(fm.l, r.ObjectType)
	if r.ObjectID == nil {
		return kind
	}
	label := fm.objects[r.ObjectType+":"+strconv.FormatInt(*r.ObjectID, 10)].Label
	switch {
	case label == "" && r.ObjectType == "user" && r.UserID != nil && *r.UserID == *r.ObjectID:
		label = r.UserName
	case label == "":
		label = storedLabel(r.Changes)
	case r.ObjectType == "vulnerable_group":
		label = fm.l.T("sitan.group." + label)
	case r.ObjectType == "questionnaire":
		label = fm.l.T("orgtype." + label)
	}
	if label == "" {
		return fmt.Sprintf("%s #%d", kind, *r.ObjectID)
	}
	if authored := r.ObjectType != "user" && r.ObjectType != "vulnerable_group" && r.ObjectType != "questionnaire"; fm.mark != nil && authored {
		label = fm.mark(label)
	}
	return kind + " «" + label + "»"
}

// storedLabel finds a title, code or name among what a write stored.
func storedLabel(raw json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	if a, ok := m["after"].(map[string]any); ok {
		m = a
	} else if b, ok := m["before"].(map[string]any); ok {
		m = b
	}
	code, _ := m["code"].(string)
	for _, k := range []string{"title", "name", "email", "statement", "label"} {
		if s, ok := m[k].(string); ok && s != "" {
			return strings.TrimSpace(code + " " + s)
		}
	}
	return code
}

func (fm *auditFormatter) link(r models.AuditEntry) string {
	if r.ObjectID == nil {
		return ""
	}
	return fm.objects[r.ObjectType+":"+strconv.FormatInt(*r.ObjectID, 10)].Link
}

func auditTypeName(l *i18n.Localizer, typ string) string {
	if s := l.T("audit.type." + typ); s != "audit.type."+typ {
		return s
	}
	return strings.ReplaceAll(typ, "_", " ")
}

// auditKindName is a kind of object as a list offers it.
func auditKindName(l *i18n.Localizer, typ string) string {
	if s := l.T("audit.kind." + typ); s != "audit.kind."+typ {
		return s
	}
	return strings.ReplaceAll(typ, "_", " ")
}

// fieldName is a field in words; an unknown field is shown without its
// underscores rather than as a catalog key.
func (fm *auditFormatter) fieldName(field string) string {
	field = snakeCase(field)
	if s := fm.l.T("audit.field." + field); s != "audit.field."+field {
		return s
	}
	return strings.ReplaceAll(field, "_", " ")
}

// snakeCase turns the Go field names some writes store (PeriodStart) into
// the JSON names the others use (period_start).
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// enumPrefix is the catalog prefix of a field's enum values, by object type
// ("" for any type).
func enumPrefix(objType, field string) string {
	switch field {
	case "level":
		return "level."
	case "type", "template":
		return "orgtype."
	case "role":
		return "role."
	case "source":
		return "plandoc.source."
	case "groups", "group", "group_code":
		return "sitan.group."
	case "barrier", "barriers":
		return "sitan.barrier."
	case "decision":
		return "consultation.decision."
	case "moderation":
		return "consultation.moderation."
	case "status":
		switch objType {
		case "action_plan":
			return "plandoc.status."
		case "agreement":
			return "agreement.status."
		case "commitment":
			return "commitment.status."
		case "measure":
			return "dash.status."
		}
	}
	return ""
}

var (
	dateRe  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	moneyRe = regexp.MustCompile(`^-?\d+(\.\d{1,2})?$`)
)

// value is one stored value in words: enum values translated, money and
// dates formatted as the pages format them, organisations by name.
func (fm *auditFormatter) value(objType, field string, v any) string {
	l := fm.l
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return l.T("audit.yes")
		}
		return l.T("audit.no")
	case float64:
		if strings.HasSuffix(field, "organisation_id") || strings.HasSuffix(field, "organisation_ids") {
			if n, ok := fm.orgs[int64(x)]; ok {
				return n
			}
		}
		if field == "objective_id" {
			if n, ok := fm.goals[int64(x)]; ok {
				return n
			}
		}
		if x == float64(int64(x)) {
			if strings.HasSuffix(field, "_id") || field == "year" {
				return strconv.FormatInt(int64(x), 10)
			}
			return l.Int(int64(x))
		}
		return l.Decimal(decimal.NewFromFloat(x), 2)
	case string:
		if p := enumPrefix(objType, field); p != "" {
			if s := l.T(p + x); s != p+x {
				return s
			}
		}
		switch {
		case (field == "amount" || field == "budget" || field == "spent") && moneyRe.MatchString(x):
			d, _ := decimal.NewFromString(x)
			return l.Money(d, fm.currency)
		case dateRe.MatchString(x):
			if d, err := models.ParseDate(x); err == nil {
				return l.Date(d.Time)
			}
		case len(x) > 19 && dateRe.MatchString(x[:10]):
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return l.DateTime(t)
			}
		}
		if x == "" {
			return "—"
		}
		return x
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, fm.value(objType, field, e))
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		return fm.object2(objType, x)
	}
	return fmt.Sprint(v)
}

// object2 writes a nested object (a budget line, an indicator, a party) on
// one line.
func (fm *auditFormatter) object2(objType string, m map[string]any) string {
	if _, ok := m["amount"]; ok {
		return fmt.Sprintf("%s · %s · %s: %s", fm.value(objType, "year", m["year"]), fm.value(objType, "source", m["source"]),
			fm.value(objType, "funder", m["funder"]), fm.value(objType, "amount", m["amount"]))
	}
	if _, ok := m["target"]; ok {
		return fmt.Sprintf("%s: %s → %s %s", fm.value(objType, "name", m["name"]), fm.value(objType, "baseline", m["baseline"]),
			fm.value(objType, "target", m["target"]), fm.value(objType, "unit", m["unit"]))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fm.fieldName(k)+": "+fm.value(objType, k, m[k]))
	}
	return strings.Join(parts, ", ")
}
