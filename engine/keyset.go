package engine

// keySet is the set of record keys already written in a run, held as 64-bit hashes
// (keyHash). It is the one part of a run's memory that grows with the number of
// records, so it is compact: open addressing with linear probing over a power-of-two
// table kept at most 3/4 full, 11 to 21 bytes a key. A map[uint64]struct{} takes about
// 38 (its slots are padded to 16 bytes), which is 38 MB per million records.
type keySet struct {
	slots []uint64 // 0 marks an empty slot; a hash of 0 is stored as 1
	n     int
	shift uint // 64 - log2(len(slots))
}

// add puts h in the set and says whether it was new.
func (s *keySet) add(h uint64) bool {
	if h == 0 {
		h = 1 // 0 marks empty; taking 0 for 1 adds a 2^-64 chance of a false duplicate
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	mask := len(s.slots) - 1
	// Fibonacci hashing spreads the hash's high bits over the table, whatever its low
	// bits look like.
	for i := int((h * 0x9E3779B97F4A7C15) >> s.shift); ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
	}
}

// grow doubles the table (starting at 1024 slots) and places every hash again.
func (s *keySet) grow() {
	old := s.slots
	size := max(2*len(old), 1024)
	s.slots, s.n, s.shift = make([]uint64, size), 0, uint(64-log2(size))
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}

func log2(n int) int {
	b := 0
	for n > 1 {
		n >>= 1
		b++
	}
	return b
}
