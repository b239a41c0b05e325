package models

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Milići":             "milici",
		"Зворник":            "zvornik",
		"Đakovica / Gjakovë": "djakovica-gjakove",
		"  Novi Grad  ":      "novi-grad",
		"Штип":               "stip",
		"!!!":                "",
	}
	for in, want := range cases {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("čćđšž-secret")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "secret") {
		t.Fatalf("hash %q", h)
	}
	if !CheckPassword(h, "čćđšž-secret") || CheckPassword(h, "cczsz-secret") || CheckPassword("garbage", "x") {
		t.Fatal("password check wrong")
	}
	h2, _ := HashPassword("čćđšž-secret")
	if h == h2 {
		t.Fatal("hashes must be salted")
	}
}

func TestRoleRank(t *testing.T) {
	t.Parallel()
	if !(RoleRank(RoleCoordinator) > RoleRank(RoleMember) && RoleRank(RoleMember) > RoleRank(RoleViewer) && RoleRank(RoleViewer) > RoleRank("")) {
		t.Fatal("role order wrong")
	}
}
