package app

import (
	"context"
	"time"

	"pakt/models"
)

// The demo lives in the present: its dates are worked out from the day it
// is loaded, so right after `make run` the current reporting period is
// running, last year's report is published and a consultation is open.
// Given the same day the demo is the same, to the cent.

// demoClock is the day the demo is loaded and the calendar derived from it.
type demoClock struct {
	today models.Date
	year  int // this year: the plan's second year and the running period
}

type demoClockKey struct{}

// withDemoClock fixes the demo's day for the whole load (a load crossing
// midnight still tells one story).
func withDemoClock(ctx context.Context, today models.Date) context.Context {
	return context.WithValue(ctx, demoClockKey{}, demoClock{today: today, year: today.Year()})
}

func clockOf(ctx context.Context) demoClock {
	if c, ok := ctx.Value(demoClockKey{}).(demoClock); ok {
		return c
	}
	t := models.Today()
	return demoClock{today: t, year: t.Year()}
}

// day is a date of a year relative to this one (0 this year, -1 last year).
func (c demoClock) day(yearOffset int, month time.Month, d int) models.Date {
	return models.Date{Time: time.Date(c.year+yearOffset, month, d, 0, 0, 0, 0, time.UTC)}
}

// in is a date some days from today (negative: ago).
func (c demoClock) in(days int) models.Date {
	return models.Date{Time: c.today.AddDate(0, 0, days)}
}

// earliest is the earlier of two dates.
func earliest(a, b models.Date) models.Date {
	if b.Before(a.Time) {
		return b
	}
	return a
}
