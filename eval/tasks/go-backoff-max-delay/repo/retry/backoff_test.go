package retry

import (
	"testing"
	"time"
)

func TestDoubles(t *testing.T) {
	b := Backoff{Base: time.Second}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := b.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := b.Delay(0); got != 0 {
		t.Errorf("Delay(0) = %v", got)
	}
}
