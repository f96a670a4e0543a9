package config

import (
	"strings"
	"testing"
)

func TestIntIgnoresSpaces(t *testing.T) {
	t.Setenv("WORKERS", " 8 ")
	if got := Int("WORKERS", 4); got != 8 {
		t.Fatalf("Int(\" 8 \") = %d", got)
	}
}

func TestBadValuesGiveTheDefault(t *testing.T) {
	for _, bad := range []string{"eight", "8.5", "8x"} {
		t.Setenv("WORKERS", bad)
		if got := Int("WORKERS", 4); got != 4 {
			t.Errorf("Int(%q) = %d, want the default 4", bad, got)
		}
		got, err := IntOr("WORKERS", 4)
		if got != 4 || err == nil {
			t.Errorf("IntOr(%q) = %d, %v; want 4 and an error", bad, got, err)
		} else if !strings.Contains(err.Error(), "WORKERS") || !strings.Contains(err.Error(), bad) {
			t.Errorf("IntOr(%q)'s error %q should name the variable and the value", bad, err)
		}
	}
}

func TestIntOrWithoutProblems(t *testing.T) {
	t.Setenv("WORKERS", "12")
	if got, err := IntOr("WORKERS", 4); got != 12 || err != nil {
		t.Fatalf("IntOr(12) = %d, %v", got, err)
	}
	if got, err := IntOr("CONFIG_TEST_UNSET_VARIABLE", 4); got != 4 || err != nil {
		t.Fatalf("IntOr(unset) = %d, %v", got, err)
	}
}
