package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// sharedDir returns ../shared next to the repository root, or skips.
func sharedDir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// Tests run in engine/source, two levels below the root.
	dir := filepath.Clean(filepath.Join(wd, "..", "..", "..", "shared"))
	if _, err := os.Stat(filepath.Join(dir, "corpus")); err != nil {
		t.Skipf("shared captures not found: looked for %s (../shared next to the repository root): %v", dir, err)
	}
	return dir
}

// isCaptureName tells capture files from the corpus's text files.
func isCaptureName(name string) bool {
	return strings.HasSuffix(name, ".pcap") || strings.HasSuffix(name, ".pcapng") || strings.HasSuffix(name, ".pcap.gz")
}

// sharedCaptures lists every capture of ../shared/corpus and
// ../shared/captures.
func sharedCaptures(t testing.TB) []string {
	t.Helper()
	shared := sharedDir(t)
	var out []string
	for _, dir := range []string{"corpus", "captures"} {
		err := filepath.WalkDir(filepath.Join(shared, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "tshark" {
				return filepath.SkipDir
			}
			if !d.IsDir() && isCaptureName(d.Name()) {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatal("no captures found under ", shared)
	}
	return out
}

// frame is a copy of a Frame that outlives the reader's buffer.
type frame struct {
	Time     int64
	Len      int
	Data     []byte
	LinkType layers.LinkType
	Iface    int
	Offset   int64
}

// readAll reads every frame of r and the error that ended it (nil at EOF).
func readAll(r Reader) ([]frame, error) {
	var out []frame
	var f Frame
	for {
		err := r.Next(&f)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, frame{f.Time, f.Len, append([]byte(nil), f.Data...), f.LinkType, f.Iface, f.Offset})
	}
}

func readFile(t testing.TB, name string) ([]frame, error) {
	t.Helper()
	r, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readAll(r)
}

// readPcapgo reads a capture with gopacket's pcapgo, as the reference.
func readPcapgo(data []byte) ([]frame, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var out []frame
	if len(data) >= 4 && string(data[:4]) == "\x0a\x0d\x0d\x0a" {
		r, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, err
		}
		for {
			d, ci, err := r.ReadPacketData()
			if err != nil {
				return out, eofNil(err)
			}
			out = append(out, frame{ciTime(ci), ci.Length, d, ci.AncillaryData[0].(layers.LinkType), ci.InterfaceIndex, 0})
		}
	}
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	for {
		d, ci, err := r.ReadPacketData()
		if err != nil {
			return out, eofNil(err)
		}
		out = append(out, frame{ciTime(ci), ci.Length, d, r.LinkType(), 0, 0})
	}
}

func eofNil(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// ciTime is pcapgo's timestamp in nanoseconds; pcapng simple packets have
// none (the zero time), which the readers here give as 0.
func ciTime(ci gopacket.CaptureInfo) int64 {
	if ci.Timestamp.IsZero() {
		return 0
	}
	return ci.Timestamp.UnixNano()
}

// TestAgainstPcapgo reads every shared capture with these readers and with
// pcapgo and wants the same frames: times, lengths, bytes, link types.
func TestAgainstPcapgo(t *testing.T) {
	shared := sharedDir(t)
	for _, name := range sharedCaptures(t) {
		rel, _ := filepath.Rel(shared, name)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			want, wantErr := readPcapgo(data)
			got, gotErr := readFile(t, name)
			n := min(len(got), len(want))
			for i := 0; i < n; i++ {
				g, w := got[i], want[i]
				if g.Time != w.Time || g.Len != w.Len || g.LinkType != w.LinkType || g.Iface != w.Iface || !bytes.Equal(g.Data, w.Data) {
					t.Fatalf("frame %d: got time %d len %d caplen %d link %d iface %d, pcapgo time %d len %d caplen %d link %d iface %d (same bytes: %v)",
						i+1, g.Time, g.Len, len(g.Data), g.LinkType, g.Iface, w.Time, w.Len, len(w.Data), w.LinkType, w.Iface, bytes.Equal(g.Data, w.Data))
				}
			}
			if len(got) != len(want) || (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("%d frames, error %v; pcapgo %d frames, error %v", len(got), gotErr, len(want), wantErr)
			}
			if gotErr != nil {
				var fe *FormatError
				if !errors.As(gotErr, &fe) {
					t.Fatalf("error %v is not a *FormatError", gotErr)
				}
				t.Logf("both stop after %d frames: %v; pcapgo: %v", len(got), gotErr, wantErr)
			}
		})
	}
}
