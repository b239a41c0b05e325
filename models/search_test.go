package models_test

import (
	"strings"
	"testing"

	"pakt/models"
)

// The fold is case-, accent- and script-insensitive, and the search keeps
// to the municipalities it is given.
func TestSearchFoldsAndScopes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	other := w.municipality("Зворник")
	w.org(other.ID, "Центар за социјални рад Зворник", "csw")
	w.org(w.muni.ID, "Udruženje Žena Ćuprija đak", "ngo")
	w.org(w.muni.ID, "Shoqata Shqiptare për Çështjet e Gruas", "ngo")
	for in, want := range map[string]string{"ČAČAK Đurđevac": "cacak durdevac", "Зворник": "zvornik",
		"Љубовија Њива џак Ѓорче Ќерка Ѕвезда": "ljubovija njiva dzak gjorce kjerka dzvezda", "ËÇ ëç": "ec ec"} {
		var got string
		w.must(w.db.Raw("SELECT search_fold(?)", in).Scan(&got).Error)
		if got != want {
			t.Errorf("search_fold(%q) = %q, want %q", in, got, want)
		}
	}
	find := func(q string, munis []int64, all bool) []models.SearchHit {
		t.Helper()
		hits, err := models.Search(w.ctx, w.db, q, munis, all)
		w.must(err)
		return hits
	}
	if hits := find("zena cuprija", []int64{w.muni.ID}, false); len(hits) != 1 || hits[0].Kind != "organisation" || hits[0].Municipality.ID != w.muni.ID {
		t.Fatalf("accents: %+v", hits)
	}
	if hits := find("ÇËSHTJET e gruas", []int64{w.muni.ID}, false); len(hits) != 1 {
		t.Fatalf("Albanian: %+v", hits)
	}
	if hits := find("socijalni", []int64{w.muni.ID}, false); len(hits) != 1 || !strings.Contains(hits[0].Title, "Centar") {
		t.Fatalf("other municipality leaked or own missing: %+v", hits)
	}
	if hits := find("СОЦИЈАЛНИ", nil, true); len(hits) != 2 {
		t.Fatalf("admin, Cyrillic: %+v", hits)
	}
	if hits := find("socijalni", nil, false); len(hits) != 0 {
		t.Fatalf("no municipalities, yet: %+v", hits)
	}
	if hits := find("%_", []int64{w.muni.ID}, false); len(hits) != 0 {
		t.Fatalf("wildcards not literal: %+v", hits)
	}
	if _, err := models.SearchQuery(" a "); err == nil {
		t.Fatal("one letter accepted")
	}
	if _, err := models.SearchQuery(strings.Repeat("ž", 201)); err == nil {
		t.Fatal("201 letters accepted")
	}
}

// A long text's snippet shows the part where the query is.
func TestSnippetAroundTheMatch(t *testing.T) {
	long := strings.Repeat("Opis mjere. ", 40) + "Prevoz do Ćuprije za žene iz Зворника. " + strings.Repeat("Kraj. ", 40)
	got := models.SnippetAround(long, "ZVORNIKA", 80)
	if !strings.Contains(got, "Зворника") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || len([]rune(got)) > 81 {
		t.Errorf("snippet %q", got)
	}
	if got := models.SnippetAround(long, "nowhere", 80); !strings.HasPrefix(got, "Opis mjere.") {
		t.Errorf("no match: %q", got)
	}
	if got := models.SnippetAround("Kratko   i\tjasno", "x", 80); got != "Kratko i jasno" {
		t.Errorf("short: %q", got)
	}
}
