// Package suggest finds the name a user most likely meant, for "did you
// mean" hints on misspelt field, protocol and handler names.
package suggest

import "strings"

// Nearest returns the candidate nearest to name, or "" if none is close
// (more edits than a third of its length, plus one). It counts a swap of
// neighbouring characters as one edit (ip.dts is one edit from ip.dst) and
// breaks ties by the longer common prefix, then alphabetically, so the
// answer does not depend on the candidates' order.
func Nearest(name string, candidates []string) string {
	limit := len(name)/3 + 1
	best, bestD, bestP := "", limit+1, -1
	for _, cand := range candidates {
		d := osaDistance(name, cand, limit)
		if d > limit {
			continue
		}
		p := commonPrefix(name, cand)
		if d < bestD || d == bestD && (p > bestP || p == bestP && cand < best) {
			best, bestD, bestP = cand, d, p
		}
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// osaDistance is the optimal-string-alignment edit distance (Levenshtein
// plus transpositions of neighbours), or limit+1 once it exceeds limit.
func osaDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if strings.EqualFold(a, b) {
		return 0
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			c := min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				c = min(c, prev2[j-2]+1)
			}
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
