package retry

import (
	"testing"
	"time"
)

func TestCappedAtMaxDelay(t *testing.T) {
	b := Backoff{Base: time.Second, MaxDelay: time.Minute}
	cases := map[int]time.Duration{1: time.Second, 6: 32 * time.Second, 7: time.Minute, 8: time.Minute, 40: time.Minute, 64: time.Minute, 65: time.Minute, 1000: time.Minute}
	for attempt, want := range cases {
		if got := b.Delay(attempt); got != want {
			t.Errorf("Delay(%d) = %v, want %v", attempt, got, want)
		}
	}
}

func TestNeverNegative(t *testing.T) {
	b := Backoff{Base: 3 * time.Second}
	for attempt := 1; attempt <= 200; attempt++ {
		if got := b.Delay(attempt); got < 0 {
			t.Fatalf("Delay(%d) = %v without MaxDelay", attempt, got)
		}
	}
	capped := Backoff{Base: 3 * time.Second, MaxDelay: 2 * time.Hour}
	if got := capped.Delay(100); got != 2*time.Hour {
		t.Fatalf("Delay(100) = %v, want 2h", got)
	}
}
