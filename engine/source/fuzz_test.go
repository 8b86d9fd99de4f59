package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// maxSeed bounds the corpus bytes used as one seed: the start of a file is
// what exercises the headers, and short seeds keep mutation fast.
const maxSeed = 4 << 10

// corpusSeeds returns the first bytes of the shared captures whose names
// match, if the corpus is there.
func corpusSeeds(f *testing.F, keep func(name string, data []byte) bool) [][]byte {
	wd, err := os.Getwd()
	if err != nil {
		return nil
	}
	shared := filepath.Join(wd, "..", "..", "..", "shared")
	var out [][]byte
	for _, dir := range []string{"corpus", "captures"} {
		filepath.WalkDir(filepath.Join(shared, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !isCaptureName(d.Name()) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil || !keep(d.Name(), data) {
				return nil
			}
			out = append(out, data[:min(len(data), maxSeed)])
			return nil
		})
	}
	return out
}

func isPcapng(data []byte) bool { return bytes.HasPrefix(data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) }

func FuzzPcap(f *testing.F) {
	recs := threeRecs()
	good := pcapFile(recs...)
	f.Add(good)
	f.Add(gzipped(good))
	f.Add(good[:len(good)-7])
	f.Add(pcapFile())
	nano := bytes.Clone(good)
	copy(nano, []byte{0x4d, 0x3c, 0xb2, 0xa1})
	f.Add(nano)
	huge := bytes.Clone(good)
	binary.LittleEndian.PutUint32(huge[24+8:], 1<<30)
	f.Add(huge)
	for _, s := range corpusSeeds(f, func(name string, data []byte) bool { return !isPcapng(data) }) {
		f.Add(s)
	}
	f.Fuzz(checkReader)
}

func FuzzPcapng(f *testing.F) {
	ng, offs := ngThree()
	f.Add(ng)
	f.Add(gzipped(ng))
	f.Add(ng[:offs[2]+9])
	ns := append(ngSHB(), ngIDB(layers.LinkTypeRaw, 9)...)
	f.Add(append(ns, ngEPB(0, 1<<62, payload(0, 20))...))
	bin := append(ngSHB(), ngIDB(layers.LinkTypeEthernet, 0x80|30)...)
	f.Add(append(bin, ngEPB(0, 1<<40, payload(0, 20))...))
	spb := append(ngSHB(), ngIDB(layers.LinkTypeEthernet, 0)...)
	f.Add(append(spb, ngBlock(ngSimplePacket, append([]byte{60, 0, 0, 0}, payload(0, 60)...))...))
	for _, s := range corpusSeeds(f, func(name string, data []byte) bool { return isPcapng(data) }) {
		f.Add(s)
	}
	f.Fuzz(checkReader)
}

// checkReader reads arbitrary bytes to the end: no panic, no hang, every
// frame after the one before it, and damage reported as a *FormatError
// naming the input.
func checkReader(t *testing.T, data []byte) {
	const name = "fuzz.cap"
	r, err := NewReader(name, io.NopCloser(bytes.NewReader(data)))
	if err != nil {
		checkFuzzError(t, err, name)
		return
	}
	defer r.Close()
	gz := strings.HasSuffix(r.Format(), "+gzip")
	var f Frame
	last := int64(-1)
	for n := 0; ; n++ {
		err := r.Next(&f)
		if err == io.EOF {
			return
		}
		if err != nil {
			checkFuzzError(t, err, name)
			var fe *FormatError
			if errors.As(err, &fe) && !gz && fe.Offset > int64(len(data)) {
				t.Fatalf("error at byte %d of %d: %v", fe.Offset, len(data), err)
			}
			return
		}
		// Every record takes at least 12 bytes, so offsets grow; a reader
		// that stops moving would loop forever.
		if f.Offset <= last {
			t.Fatalf("frame %d at byte %d, not after the previous one at %d", n+1, f.Offset, last)
		}
		last = f.Offset
		if !gz && (f.Offset+int64(len(f.Data)) > int64(len(data))) {
			t.Fatalf("frame %d at byte %d with %d bytes lies past the end of %d", n+1, f.Offset, len(f.Data), len(data))
		}
		if len(f.Data) > maxBlockLen || f.Len < len(f.Data) {
			t.Fatalf("frame %d: %d bytes captured, %d on the wire", n+1, len(f.Data), f.Len)
		}
	}
}

func checkFuzzError(t *testing.T, err error, name string) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) || fe.File != name || fe.Offset < 0 {
		t.Fatalf("error %v (%T): want a *FormatError naming %s", err, err, name)
	}
}
