package conformance

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Pseudo-fields of the allow-list that describe a whole file rather than
// one field of a frame.
const (
	// allowFrames: wirelark and tshark count a different number of frames.
	allowFrames = "#frames"
	// allowExtra: the listed tshark rows are not packets of the file (tshark
	// shows some pcapng blocks as frames); they are left out and the other
	// rows are matched to wirelark's frames in order.
	allowExtra = "#extra"
	// allowError: the capture reader stops with an error on this file.
	allowError = "#error"
)

// allowEntry is one line of testdata/allow.tsv:
//
//	file-glob <TAB> field-glob <TAB> frames <TAB> reason
//
// file-glob (where * matches any characters, / included) matches the
// file's name as the test reports it (path relative
// to the corpus, or "captures/NAME"); field-glob a field name or one of the
// pseudo-fields above; frames is "*" or a list of tshark frame numbers and
// ranges ("3,7-9").
type allowEntry struct {
	line   int
	file   string
	field  string
	frames []frameRange // nil means every frame
	reason string
	// notDecodedOnly: the entry covers missing fields only.
	notDecodedOnly bool
	hits           int
}

type frameRange struct{ lo, hi int }

type allowList struct {
	entries []*allowEntry
}

func loadAllowList(name string) (*allowList, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	al := &allowList{}
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated columns (file, field, frames, reason), got %d", name, n, len(cols))
		}
		e := &allowEntry{line: n, file: cols[0], field: cols[1], reason: strings.TrimSpace(cols[3])}
		e.notDecodedOnly = strings.HasPrefix(e.reason, "not decoded")
		if len(e.reason) < 12 {
			return nil, fmt.Errorf("%s:%d: the reason %q is too short to explain anything", name, n, e.reason)
		}
		if cols[2] != "*" {
			for _, part := range strings.Split(cols[2], ",") {
				lo, hi, isRange := strings.Cut(part, "-")
				a, err1 := strconv.Atoi(lo)
				b := a
				var err2 error
				if isRange {
					b, err2 = strconv.Atoi(hi)
				}
				if err1 != nil || err2 != nil || a < 1 || b < a {
					return nil, fmt.Errorf("%s:%d: bad frame list %q", name, n, cols[2])
				}
				e.frames = append(e.frames, frameRange{a, b})
			}
		}
		al.entries = append(al.entries, e)
	}
	return al, sc.Err()
}

// match returns the entry that allows a difference in field of frame (a
// tshark frame number; 0 for file-wide pseudo-fields), or nil. notDecoded
// says wirelark does not register the field.
func (al *allowList) match(file, field string, frame int, notDecoded bool) *allowEntry {
	for _, e := range al.entries {
		if e.notDecodedOnly && !notDecoded {
			continue
		}
		if !glob(e.file, file) || !glob(e.field, field) {
			continue
		}
		if e.frames != nil && !e.hasFrame(frame) {
			continue
		}
		e.hits++
		return e
	}
	return nil
}

func (e *allowEntry) hasFrame(n int) bool {
	for _, r := range e.frames {
		if n >= r.lo && n <= r.hi {
			return true
		}
	}
	return false
}

// frameList returns the tshark frame numbers listed for field in file,
// for the #extra pseudo-field.
func (al *allowList) frameList(file, field string) (map[int]bool, *allowEntry) {
	for _, e := range al.entries {
		if !glob(e.file, file) || e.field != field {
			continue
		}
		m := map[int]bool{}
		for _, r := range e.frames {
			for i := r.lo; i <= r.hi; i++ {
				m[i] = true
			}
		}
		e.hits++
		return m, e
	}
	return nil, nil
}

// unused lists the entries that matched nothing, which are stale.
func (al *allowList) unused() []*allowEntry {
	var out []*allowEntry
	for _, e := range al.entries {
		if e.hits == 0 {
			out = append(out, e)
		}
	}
	return out
}

// compactFrames writes sorted frame numbers as "1,3-5".
func compactFrames(fs []int) string {
	var b strings.Builder
	for i := 0; i < len(fs); {
		j := i
		for j+1 < len(fs) && fs[j+1] == fs[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(fs[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(fs[j]))
		}
		i = j + 1
	}
	return b.String()
}

// glob matches s against a pattern in which '*' stands for any run of
// characters, '/' included (so "*" is every file, "tcp.*" every tcp field).
func glob(pattern, s string) bool {
	for len(pattern) > 0 {
		if pattern[0] == '*' {
			pattern = pattern[1:]
			for i := len(s); i >= 0; i-- {
				if glob(pattern, s[i:]) {
					return true
				}
			}
			return false
		}
		if len(s) == 0 || s[0] != pattern[0] {
			return false
		}
		pattern, s = pattern[1:], s[1:]
	}
	return len(s) == 0
}
