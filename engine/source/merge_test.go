package source

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
)

// mergeRec is a record whose payload says which file and frame it is.
func mergeRec(file, i int, sec uint32) rec {
	return rec{sec, 0, payload(10*file+i, 40)}
}

func TestMergeOrder(t *testing.T) {
	// Equal times across files (4 s) come in the order of the files.
	files := [][]rec{
		{mergeRec(0, 0, 1), mergeRec(0, 1, 4), mergeRec(0, 2, 7)},
		{mergeRec(1, 0, 2), mergeRec(1, 1, 4), mergeRec(1, 2, 8)},
		{mergeRec(2, 0, 3), mergeRec(2, 1, 4), mergeRec(2, 2, 9)},
	}
	type want struct {
		file, i int
		sec     int64
	}
	order := []want{{0, 0, 1}, {1, 0, 2}, {2, 0, 3}, {0, 1, 4}, {1, 1, 4}, {2, 1, 4}, {0, 2, 7}, {1, 2, 8}, {2, 2, 9}}
	var names []string
	for i, recs := range files {
		names = append(names, writeTemp(t, "m"+string(rune('a'+i))+".pcap", pcapFile(recs...)))
	}
	m, err := OpenAll(names)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Format() != "pcap" {
		t.Errorf("format %q", m.Format())
	}
	var f Frame
	for n, w := range order {
		if err := m.Next(&f); err != nil {
			t.Fatalf("frame %d: %v", n+1, err)
		}
		if f.File != w.file || f.Time != w.sec*1e9 || !bytes.Equal(f.Data, payload(10*w.file+w.i, 40)) {
			t.Fatalf("frame %d: file %d time %d, want file %d time %d (frame %d of it)", n+1, f.File, f.Time, w.file, w.sec*1e9, w.i+1)
		}
	}
	if err := m.Next(&f); err != io.EOF {
		t.Fatalf("after the last frame: %v, want EOF", err)
	}
}

// Damage in one file stops that file only; its error comes once, after
// the frames of every file.
func TestMergeDamaged(t *testing.T) {
	a := []rec{mergeRec(0, 0, 1), mergeRec(0, 1, 5)}
	b := []rec{mergeRec(1, 0, 2), mergeRec(1, 1, 3), mergeRec(1, 2, 6)}
	c := []rec{mergeRec(2, 0, 4), mergeRec(2, 1, 7)}
	bData := pcapFile(b...)
	cut := pcapRecOff(b, 2) + 5 // in the third record's header
	names := []string{
		writeTemp(t, "a.pcap", pcapFile(a...)),
		writeTemp(t, "b.pcap", bData[:cut]),
		writeTemp(t, "c.pcap", pcapFile(c...)),
	}
	m, err := OpenAll(names)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var got []int64
	var f Frame
	var ferr error
	for {
		err := m.Next(&f)
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr != nil {
				t.Fatalf("second error %v after %v", err, ferr)
			}
			ferr = err
			continue
		}
		if ferr != nil {
			t.Fatalf("frame after the error")
		}
		got = append(got, f.Time/1e9)
	}
	if want := []int64{1, 2, 3, 4, 5, 7}; !slices.Equal(got, want) {
		t.Fatalf("times %v, want %v", got, want)
	}
	var fe *FormatError
	if !errors.As(ferr, &fe) || fe.File != names[1] || fe.Offset != pcapRecOff(b, 2) {
		t.Fatalf("error %v, want one for %s at byte %d", ferr, names[1], pcapRecOff(b, 2))
	}
}

func TestMergeOpenAllFails(t *testing.T) {
	good := writeTemp(t, "good.pcap", pcapFile(mergeRec(0, 0, 1)))
	bad := writeTemp(t, "bad.pcap", []byte("not a capture at all"))
	_, err := OpenAll([]string{good, bad})
	var fe *FormatError
	if !errors.As(err, &fe) || fe.File != bad {
		t.Fatalf("error %v, want a *FormatError for %s", err, bad)
	}
}

func TestMergeOne(t *testing.T) {
	recs := threeRecs()
	m := NewMerge([]Reader{mustOpen(t, writeTemp(t, "one.pcap", pcapFile(recs...)))})
	defer m.Close()
	got, err := readAll(m)
	if err != nil || len(got) != len(recs) {
		t.Fatalf("%d frames, %v", len(got), err)
	}
	for i, f := range got {
		if !bytes.Equal(f.Data, recs[i].data) || f.Offset != pcapRecOff(recs, i) {
			t.Errorf("frame %d differs", i+1)
		}
	}
	if NewMerge(nil).Next(&Frame{}) != io.EOF {
		t.Error("an empty merge is not at EOF")
	}
}

func mustOpen(t *testing.T, name string) Reader {
	t.Helper()
	r, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
