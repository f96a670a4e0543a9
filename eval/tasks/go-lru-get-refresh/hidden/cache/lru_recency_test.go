package cache

import "testing"

func TestGetMakesAnEntryRecent(t *testing.T) {
	c := NewLRU(2)
	c.Put("logo", []byte("L"))
	c.Put("old", []byte("O"))
	c.Get("logo")
	c.Put("new", []byte("N"))
	if _, ok := c.Get("logo"); !ok {
		t.Fatal("logo was read last and should still be cached")
	}
	if _, ok := c.Get("old"); ok {
		t.Fatal("old was least recently used and should have been evicted")
	}
}

func TestMissingGetChangesNothing(t *testing.T) {
	c := NewLRU(2)
	c.Put("a", []byte("1"))
	c.Put("b", []byte("2"))
	c.Get("zzz")
	c.Put("c", []byte("3"))
	if _, ok := c.Get("a"); ok {
		t.Fatal("a should have been evicted")
	}
	if v, ok := c.Get("b"); !ok || string(v) != "2" {
		t.Fatalf("Get(b) = %q, %v", v, ok)
	}
}
