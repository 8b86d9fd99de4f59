package source

import (
	"io"
)

// Merge yields the frames of several readers in time order, as mergecap
// does; frames with equal times come in the order of the readers.
type Merge struct {
	rs    []Reader
	heads []Frame
	live  []bool
	last  int // reader whose frame was handed out last, -1 if none
	errs  []error
}

// NewMerge merges rs. With one reader it only passes frames through.
func NewMerge(rs []Reader) *Merge {
	m := &Merge{rs: rs, heads: make([]Frame, len(rs)), live: make([]bool, len(rs)), last: -1, errs: make([]error, len(rs))}
	for i := range rs {
		m.advance(i)
	}
	return m
}

func (m *Merge) advance(i int) {
	err := m.rs[i].Next(&m.heads[i])
	m.heads[i].File = i
	m.live[i] = err == nil
	if err != nil && err != io.EOF {
		m.errs[i] = err
	}
}

// Next fills f with the earliest pending frame. Damage in one file stops
// only that file and the other files go on; its error is returned once,
// after the frames of every file (errors of several files in the order of
// the files), so a caller that stops at the first error has still seen
// every good frame.
func (m *Merge) Next(f *Frame) error {
	if m.last >= 0 {
		m.advance(m.last)
		m.last = -1
	}
	best := -1
	for i := range m.rs {
		if m.live[i] && (best < 0 || m.heads[i].Time < m.heads[best].Time) {
			best = i
		}
	}
	if best < 0 {
		for i, err := range m.errs {
			if err != nil {
				m.errs[i] = nil
				return err
			}
		}
		return io.EOF
	}
	*f = m.heads[best]
	m.last = best
	return nil
}

// Close closes every reader.
func (m *Merge) Close() error {
	var first error
	for _, r := range m.rs {
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Format names the format of the first reader.
func (m *Merge) Format() string {
	if len(m.rs) == 0 {
		return ""
	}
	return m.rs[0].Format()
}

// OpenAll opens every named capture and merges them in time order. On
// error the files already opened are closed.
func OpenAll(names []string) (*Merge, error) {
	var rs []Reader
	for _, n := range names {
		r, err := Open(n)
		if err != nil {
			for _, o := range rs {
				o.Close()
			}
			return nil, err
		}
		rs = append(rs, r)
	}
	return NewMerge(rs), nil
}
