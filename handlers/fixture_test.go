package handlers_test

import (
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// world is two municipalities with people of every role.
type world struct {
	*testkit.Env
	A, B                 *models.Municipality
	OrgA, OrgA2, OrgB    *models.Organisation
	Admin, CoordA, MemA  *models.User
	ViewA, CoordB, NoOne *models.User
}

func newWorld(t *testing.T) *world {
	e := testkit.NewEnv(t)
	w := &world{Env: e}
	w.A = e.Municipality("Bratunac")
	w.B = e.Municipality("Zvornik")
	w.OrgA = e.Organisation(w.A.ID, "Općina Bratunac", "municipality")
	w.OrgA2 = e.Organisation(w.A.ID, "Biro Bratunac", "pes")
	w.OrgB = e.Organisation(w.B.ID, "Općina Zvornik", "municipality")
	w.Admin = e.User("admin@test.ba", true, nil, 0, "")
	w.CoordA = e.User("coord.a@test.ba", false, &w.OrgA.ID, w.A.ID, models.RoleCoordinator)
	w.MemA = e.User("member.a@test.ba", false, &w.OrgA2.ID, w.A.ID, models.RoleMember)
	w.ViewA = e.User("viewer.a@test.ba", false, &w.OrgA.ID, w.A.ID, models.RoleViewer)
	w.CoordB = e.User("coord.b@test.ba", false, &w.OrgB.ID, w.B.ID, models.RoleCoordinator)
	w.NoOne = e.User("nobody@test.ba", false, nil, 0, "")
	return w
}
