package models

import (
	"context"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
)

// RateWindow is a fixed window of a request counter shared by every
// instance through PostgreSQL (table api_rate_windows, migration 00013).
type RateWindow struct {
	Hits  int       // requests in the window, this one included
	Reset time.Time // when the window ends
}

// HitRate counts one request of bucket in the current window of length
// every (whole seconds) and returns the window's count. One statement: two
// instances counting at once both see their own hit.
func HitRate(ctx context.Context, db *gorm.DB, bucket string, every time.Duration) (RateWindow, error) {
	secs := max(int64(every/time.Second), 1)
	var row struct {
		Hits        int
		WindowStart time.Time
	}
	err := db.WithContext(ctx).Raw(`INSERT INTO api_rate_windows AS w (bucket, window_start)
		VALUES (?, to_timestamp(floor(extract(epoch FROM now()) / ?) * ?))
		ON CONFLICT (bucket, window_start) DO UPDATE SET hits = w.hits + 1
		RETURNING hits, window_start`, bucket, secs, secs).Scan(&row).Error
	if err != nil {
		return RateWindow{}, err
	}
	// Old windows are dropped now and then, by whichever request draws the
	// lot: no job to schedule, and one cheap indexed delete per hundred
	// requests.
	if rand.IntN(100) == 0 {
		db.WithContext(ctx).Exec(`DELETE FROM api_rate_windows WHERE window_start < now() - interval '1 hour'`)
	}
	return RateWindow{Hits: row.Hits, Reset: row.WindowStart.Add(time.Duration(secs) * time.Second)}, nil
}
