package models

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Search kinds, in the order results are grouped.
const (
	SearchAgreement    = "agreement"
	SearchActionPlan   = "action_plan"
	SearchMeasure      = "measure"
	SearchFinding      = "finding"
	SearchOrganisation = "organisation"
	SearchComment      = "comment"
)

// SearchKinds are the kinds of object search finds, in display order.
var SearchKinds = []string{SearchAgreement, SearchActionPlan, SearchMeasure, SearchFinding, SearchOrganisation, SearchComment}

// Search limits: a query of 2..200 characters, at most 50 results.
const (
	SearchMinLen = 2
	SearchMaxLen = 200
	SearchLimit  = 50
)

// SearchMunicipality names the municipality a result belongs to.
type SearchMunicipality struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language"`
}

// SearchHit is one object found: what it is, its title, a short snippet,
// its municipality and its page in the browser.
type SearchHit struct {
	Kind         string             `json:"kind"`
	ID           int64              `json:"id"`
	Title        string             `json:"title"`
	URL          string             `json:"url"`
	Snippet      string             `json:"snippet"`
	Municipality SearchMunicipality `json:"municipality"`
}

// SearchQuery checks a query (2..200 characters once spaces are squeezed)
// and answers it trimmed; a bad query is a ValidationError on "q".
func SearchQuery(q string) (string, error) {
	q = strings.Join(strings.Fields(q), " ")
	if n := utf8.RuneCountInString(q); n < SearchMinLen {
		return "", &ValidationError{Fields: map[string]string{"q": "search.error.short"}}
	} else if n > SearchMaxLen {
		return "", &ValidationError{Fields: map[string]string{"q": "search.error.long"}}
	}
	return q, nil
}

// likeEscape makes q a literal LIKE pattern (backslash is the escape).
func likeEscape(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}

// searchSQL is one SELECT per kind over the trigram-indexed expression of
// migration 00021 (the expression must stay identical to the index's). Each
// part is limited on its own so no kind can crowd the plan; the outer query
// orders by relevance (title starts with the query first), kind, recency.
const searchSQL = `
SELECT h.kind, h.id, h.title, h.url, h.snippet, m.id AS municipality_id, m.name AS municipality_name, m.language AS municipality_language FROM (
 (SELECT 'agreement' AS kind, 1 AS ko, a.id, a.municipality_id, a.title, '/agreements/' || a.id AS url, a.goal AS snippet,
   (search_fold(a.title) LIKE @pat || '%') AS prefix, a.updated_at AS at
  FROM agreements a WHERE (@all OR a.municipality_id = ANY(@munis))
   AND search_fold(a.title || ' ' || a.goal) LIKE '%' || @pat || '%' ORDER BY a.id DESC LIMIT @lim)
 UNION ALL
 (SELECT 'action_plan', 2, p.id, p.municipality_id, p.title, '/plans/' || p.id,
   to_char(p.period_start, 'YYYY-MM-DD') || ' – ' || to_char(p.period_end, 'YYYY-MM-DD'),
   (search_fold(p.title) LIKE @pat || '%'), p.updated_at
  FROM action_plans p WHERE (@all OR p.municipality_id = ANY(@munis))
   AND search_fold(p.title) LIKE '%' || @pat || '%' ORDER BY p.id DESC LIMIT @lim)
 UNION ALL
 (SELECT 'measure', 3, x.id, x.municipality_id, x.code || ' ' || x.title, '/plans/' || x.plan_id || '#measure-' || x.id,
   x.description, (search_fold(x.title) LIKE @pat || '%'), NULL::timestamptz
  FROM plan_measures x WHERE (@all OR x.municipality_id = ANY(@munis))
   AND search_fold(x.code || ' ' || x.title || ' ' || x.description) LIKE '%' || @pat || '%' ORDER BY x.id DESC LIMIT @lim)
 UNION ALL
 (SELECT 'finding', 4, f.id, f.municipality_id, f.statement, '/situation-analyses/' || f.situation_analysis_id || '#finding-' || f.id,
   s.title, (search_fold(f.statement) LIKE @pat || '%'), f.created_at
  FROM sitan_findings f JOIN situation_analyses s ON s.id = f.situation_analysis_id WHERE (@all OR f.municipality_id = ANY(@munis))
   AND search_fold(f.statement) LIKE '%' || @pat || '%' ORDER BY f.id DESC LIMIT @lim)
 UNION ALL
 (SELECT 'organisation', 5, o.id, o.municipality_id, o.name, '/municipalities/' || o.municipality_id || '#orgs',
   o.type, (search_fold(o.name) LIKE @pat || '%'), o.updated_at
  FROM organisations o WHERE (@all OR o.municipality_id = ANY(@munis))
   AND search_fold(o.name) LIKE '%' || @pat || '%' ORDER BY o.id DESC LIMIT @lim)
 UNION ALL
 (SELECT 'comment', 6, c.id, c.municipality_id, p.title, '/plans/' || c.plan_id || '#comments-h',
   c.text, false, c.created_at
  FROM plan_comments c JOIN action_plans p ON p.id = c.plan_id WHERE (@all OR c.municipality_id = ANY(@munis))
   AND c.moderation <> 'hidden'
   AND search_fold(c.text) LIKE '%' || @pat || '%' ORDER BY c.id DESC LIMIT @lim)
) h JOIN municipalities m ON m.id = h.municipality_id
ORDER BY h.prefix DESC, h.ko, h.at DESC NULLS LAST, h.id DESC
LIMIT @lim`

// Search finds objects whose text contains q, case-, accent- and
// script-insensitively, in the given municipalities only (all of them when
// all is true: a platform admin). q must have passed SearchQuery.
func Search(ctx context.Context, db *gorm.DB, q string, munis []int64, all bool) ([]SearchHit, error) {
	if !all && len(munis) == 0 {
		return []SearchHit{}, nil
	}
	if munis == nil {
		munis = []int64{}
	}
	var rows []struct {
		Kind, Title, URL, Snippet string
		ID                        int64
		MunicipalityID            int64
		MunicipalityName          string
		MunicipalityLanguage      string
	}
	// The pattern is folded by the same function as the text, then its LIKE
	// wildcards escaped (folding keeps % _ \ as they are).
	var pat string
	if err := db.WithContext(ctx).Raw(`SELECT search_fold(?)`, q).Scan(&pat).Error; err != nil {
		return nil, err
	}
	err := db.WithContext(ctx).Raw(searchSQL, map[string]any{"pat": likeEscape(pat),
		"munis": Int64s(munis), "all": all, "lim": SearchLimit}).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	hits := make([]SearchHit, 0, len(rows))
	for _, r := range rows {
		hits = append(hits, SearchHit{Kind: r.Kind, ID: r.ID, Title: clipRunes(r.Title, 160), URL: r.URL,
			Snippet:      snippetAround(r.Snippet, q, 200),
			Municipality: SearchMunicipality{ID: r.MunicipalityID, Name: r.MunicipalityName, Language: r.MunicipalityLanguage}})
	}
	return hits, nil
}

// clipRunes shortens s to at most n runes, marking the cut with an ellipsis.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// foldRunes is search_fold's map for the letters of the region, for finding
// the match in a snippet (the database decides what matches; this only
// picks which part of a long text to show).
var foldRunes = map[rune]string{'č': "c", 'ć': "c", 'š': "s", 'ž': "z", 'đ': "d", 'ë': "e", 'ç': "c",
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'é': "e", 'è': "e", 'ê': "e", 'í': "i", 'î': "i", 'ó': "o", 'ö': "o",
	'ô': "o", 'ú': "u", 'ü': "u", 'û': "u",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "z", 'з': "z", 'и': "i", 'ј': "j", 'к': "k",
	'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "h",
	'ц': "c", 'ч': "c", 'ш': "s", 'ђ': "d", 'ћ': "c", 'й': "j", 'љ': "lj", 'њ': "nj", 'џ': "dz", 'ѓ': "gj",
	'ќ': "kj", 'ѕ': "dz"}

func foldRune(r rune) string {
	r = unicode.ToLower(r)
	if f, ok := foldRunes[r]; ok {
		return f
	}
	return string(r)
}

// snippetAround is at most n runes of text (spaces squeezed) around the
// first place the query occurs in it, or its start when it does not.
func snippetAround(text, q string, n int) string {
	runes := []rune(strings.Join(strings.Fields(text), " "))
	if len(runes) <= n {
		return string(runes)
	}
	var folded, fq strings.Builder
	owner := make([]int, 0, len(runes)) // folded byte -> rune index
	for i, r := range runes {
		f := foldRune(r)
		folded.WriteString(f)
		for range len(f) {
			owner = append(owner, i)
		}
	}
	for _, r := range q {
		fq.WriteString(foldRune(r))
	}
	start := 0
	if at := strings.Index(folded.String(), fq.String()); at > 0 {
		start = max(0, min(owner[at]-n/3, len(runes)-n+1))
	}
	out := strings.TrimSpace(string(runes[start : start+n-1]))
	if start > 0 {
		out = "…" + out
	}
	if start+n-1 < len(runes) {
		out += "…"
	}
	return out
}
