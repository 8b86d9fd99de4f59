package smb2

import "container/list"

// bounded is a map that keeps at most max entries, forgetting the oldest
// insertion when a new key would exceed it, and counting what it forgot.
// Its loop-free operations keep Track O(1) whatever the traffic.
type bounded[K comparable, V any] struct {
	max     int
	m       map[K]*list.Element
	order   list.List // of *entry[K, V], oldest first
	evicted int64
}

type entry[K comparable, V any] struct {
	k K
	v V
}

func newBounded[K comparable, V any](max int) *bounded[K, V] {
	b := &bounded[K, V]{max: max, m: map[K]*list.Element{}}
	b.order.Init()
	return b
}

func (b *bounded[K, V]) get(k K) (V, bool) {
	if e, ok := b.m[k]; ok {
		return e.Value.(*entry[K, V]).v, true
	}
	var zero V
	return zero, false
}

func (b *bounded[K, V]) put(k K, v V) {
	if e, ok := b.m[k]; ok {
		e.Value.(*entry[K, V]).v = v
		return
	}
	if len(b.m) >= b.max {
		old := b.order.Front()
		delete(b.m, old.Value.(*entry[K, V]).k)
		b.order.Remove(old)
		b.evicted++
	}
	b.m[k] = b.order.PushBack(&entry[K, V]{k, v})
}

func (b *bounded[K, V]) del(k K) {
	if e, ok := b.m[k]; ok {
		delete(b.m, k)
		b.order.Remove(e)
	}
}

func (b *bounded[K, V]) len() int { return len(b.m) }
