// Package cache holds rendered thumbnails in memory.
package cache

import "container/list"

type entry struct {
	key   string
	value []byte
}

// LRU is a cache of at most Capacity entries that evicts the least recently used one.
type LRU struct {
	capacity int
	order    *list.List // front: most recently used
	items    map[string]*list.Element
}

// NewLRU returns an empty cache; capacity must be at least 1.
func NewLRU(capacity int) *LRU {
	return &LRU{capacity: capacity, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value cached for key.
func (c *LRU) Get(key string) ([]byte, bool) {
	element, ok := c.items[key]
	if !ok {
		return nil, false
	}
	return element.Value.(*entry).value, true
}

// Put caches value for key, evicting the least recently used entry when full.
func (c *LRU) Put(key string, value []byte) {
	if element, ok := c.items[key]; ok {
		element.Value.(*entry).value = value
		c.order.MoveToFront(element)
		return
	}
	c.items[key] = c.order.PushFront(&entry{key: key, value: value})
	if c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*entry).key)
	}
}

// Len is the number of cached entries.
func (c *LRU) Len() int { return c.order.Len() }
