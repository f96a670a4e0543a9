package config

import "testing"

func TestInt(t *testing.T) {
	t.Setenv("WORKERS", "8")
	if got := Int("WORKERS", 4); got != 8 {
		t.Fatalf("Int = %d", got)
	}
	t.Setenv("WORKERS", "")
	if got := Int("WORKERS", 4); got != 4 {
		t.Fatalf("Int of empty = %d", got)
	}
	if got := Int("CONFIG_TEST_UNSET_VARIABLE", 3); got != 3 {
		t.Fatalf("Int of unset = %d", got)
	}
}

func TestString(t *testing.T) {
	t.Setenv("MODE", "fast")
	if got := String("MODE", "slow"); got != "fast" {
		t.Fatalf("String = %q", got)
	}
}
