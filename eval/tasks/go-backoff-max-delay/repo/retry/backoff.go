// Package retry decides when a failed delivery is tried again.
package retry

import "time"

// Backoff doubles the wait after each failed attempt, starting at Base and
// never waiting longer than MaxDelay (when MaxDelay > 0).
type Backoff struct {
	Base     time.Duration
	MaxDelay time.Duration
}

// Delay is the wait before attempt number attempt (1 for the first retry).
func (b Backoff) Delay(attempt int) time.Duration {
	if attempt < 1 {
		return 0
	}
	return b.Base << (attempt - 1)
}
