package engine

// Suggest returns the option closest to name when it is close enough to be a likely
// misspelling (edit distance under 3, or a case-insensitive match), else "".
// It drives every "Did you mean ...?" in definitions, mappings and flags.
func Suggest(name string, options []string) string {
	best, bestDist := "", 3
	for _, o := range options {
		if d := distance(name, o); d < bestDist {
			best, bestDist = o, d
		}
	}
	return best
}

func suggest(name string, options []string) string { return Suggest(name, options) }

// Distance is the Levenshtein edit distance over bytes, case-insensitively.
func Distance(a, b string) int { return distance(a, b) }

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if lower(a[i-1]) == lower(b[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
