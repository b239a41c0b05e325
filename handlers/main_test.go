package handlers_test

import (
	"testing"

	"pakt/app/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }
