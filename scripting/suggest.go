package scripting

import (
	"fmt"
	"strings"

	"github.com/wirelark/wirelark/internal/suggest"
)

// nearest returns the candidate closest to name, or "" when none is close
// enough to be a likely typo.
func nearest(name string, cands []string) string { return suggest.Nearest(name, cands) }

// noSuch reports an unknown attribute, suggesting the nearest known one.
func noSuch(owner, name string, cands []string) error {
	msg := fmt.Sprintf("%s has no attribute .%s", owner, name)
	if n := nearest(name, cands); n != "" {
		msg += fmt.Sprintf(" (did you mean .%s?)", n)
	}
	return fmt.Errorf("%s", msg)
}

// quoteList writes names as "a, b and c".
func quoteList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
