package text

import "testing"

func TestShortTextIsUnchanged(t *testing.T) {
	if got := Truncate("hello", 10); got != "hello" {
		t.Fatalf("Truncate(hello, 10) = %q", got)
	}
	if got := Truncate("hello", 5); got != "hello" {
		t.Fatalf("Truncate(hello, 5) = %q", got)
	}
}

func TestLongTextIsCut(t *testing.T) {
	if got := Truncate("hello world", 6); got != "hello…" {
		t.Fatalf("Truncate(hello world, 6) = %q", got)
	}
}
