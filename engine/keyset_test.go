package engine

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestKeySet checks the set against a map on random hashes, through many growths,
// with 0 and 1 (which share a slot value) and repeats.
func TestKeySet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &keySet{}
	want := map[uint64]bool{}
	hashes := []uint64{0, 1, 2, 1 << 63, ^uint64(0)}
	for range 50000 {
		hashes = append(hashes, rng.Uint64()>>uint(rng.IntN(64))) // small values too, clustered low bits
	}
	for round := range 2 {
		for _, h := range hashes {
			norm := h
			if norm == 0 {
				norm = 1
			}
			_, had := want[norm]
			if got := s.add(h); got == had {
				t.Fatalf("round %d: add(%#x) = %v, want %v", round, h, got, !had)
			}
			want[norm] = true
		}
	}
	if s.n != len(want) || s.n*4 > len(s.slots)*3 {
		t.Fatalf("%d keys in %d slots, want %d keys at most 3/4 full", s.n, len(s.slots), len(want))
	}
}

// TestKeySetMemory: the set of a million keys takes at most 21 bytes a key (a map took
// 38), which is what a run's memory grows by per record.
func TestKeySetMemory(t *testing.T) {
	const n = 1 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := &keySet{}
	rng := rand.New(rand.NewPCG(3, 4))
	for range n {
		s.add(rng.Uint64())
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if per := float64(after.HeapAlloc-before.HeapAlloc) / n; per > 21 {
		t.Errorf("%.1f bytes a key, want at most 21", per)
	}
	runtime.KeepAlive(s)
}

func BenchmarkKeySet(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	hashes := make([]uint64, 1<<20)
	for i := range hashes {
		hashes[i] = rng.Uint64()
	}
	b.Run("keySet", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := &keySet{}
			for _, h := range hashes {
				s.add(h)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := map[uint64]struct{}{}
			for _, h := range hashes {
				if _, ok := m[h]; !ok {
					m[h] = struct{}{}
				}
			}
		}
	})
}
