package jobs

import (
	"testing"

	"pakt/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
