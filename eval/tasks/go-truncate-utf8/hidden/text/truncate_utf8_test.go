package text

import (
	"testing"
	"unicode/utf8"
)

func TestCountsRunesNotBytes(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"Größenänderung", 4, "Grö…"},
		{"Größenänderung der Datei", 7, "Größen…"},
		{"日本語のテキストです", 4, "日本語…"},
		{"naïve", 5, "naïve"},
		{"héllo wörld", 6, "héllo…"},
		{"abc", 1, "…"},
	}
	for _, c := range cases {
		got := Truncate(c.in, c.max)
		if got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) is not valid UTF-8: %q", c.in, c.max, got)
		}
		if n := utf8.RuneCountInString(got); n > c.max {
			t.Errorf("Truncate(%q, %d) has %d runes", c.in, c.max, n)
		}
	}
}
