package conformance

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// sweepTotals is what TestSweep reports.
type sweepTotals struct {
	files, captures, rejected int
	frames, bytes             int64
	values                    int64
	malformed                 int
	malformedBy               map[string]int
	damaged                   []string // "file: error (N frames before)"
}

// TestSweep reads every file of ../shared/corpus and ../shared/captures
// to the end through the readers, the decoder, every registered field and
// the protocol path. Nothing may panic; damage must be a *source.FormatError
// naming the file and a byte offset after every frame delivered; files
// that are no captures (the tables, READMEs, licenses) must be rejected at
// byte 0.
func TestSweep(t *testing.T) {
	shared := sharedDir(t)
	var files []string
	for _, dir := range []string{"corpus", "captures"} {
		err := filepath.WalkDir(filepath.Join(shared, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(files)
	fields := packet.Fields.All()
	tot := &sweepTotals{malformedBy: map[string]int{}}
	for _, name := range files {
		rel, _ := filepath.Rel(shared, name)
		tot.files++
		capture := strings.HasSuffix(name, ".pcap") || strings.HasSuffix(name, ".pcapng") || strings.HasSuffix(name, ".pcap.gz")
		if !capture {
			_, err := source.Open(name)
			var fe *source.FormatError
			if !errors.As(err, &fe) || fe.Offset != 0 || !strings.HasPrefix(err.Error(), name+": byte 0: ") {
				t.Errorf("%s is no capture: opening it gave %v, want a *source.FormatError at byte 0", rel, err)
			}
			tot.rejected++
			continue
		}
		tot.captures++
		sweepFile(t, name, rel, fields, tot)
	}
	var by []string
	for k, v := range tot.malformedBy {
		by = append(by, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(by)
	line := fmt.Sprintf("sweep: %d files (%d captures, %d other files rejected at byte 0), %d frames, %d bytes, %d field values, %d malformed packets (%s), %d damaged files: %s",
		tot.files, tot.captures, tot.rejected, tot.frames, tot.bytes, tot.values, tot.malformed, strings.Join(by, " "), len(tot.damaged), strings.Join(tot.damaged, "; "))
	t.Log(line)
	fmt.Println(line)
}

func sweepFile(t *testing.T, name, rel string, fields []*packet.Field, tot *sweepTotals) {
	r, err := source.Open(name)
	if err != nil {
		// Only a file with no packets at all may fail to open, and then
		// as damage.
		checkDamage(t, rel, name, err, -1)
		tot.damaged = append(tot.damaged, fmt.Sprintf("%s: %v (at open)", rel, err))
		return
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f source.Frame
	var vals []packet.Value
	var text []byte
	lastOff := int64(-1)
	n := 0
	for {
		err := r.Next(&f)
		if err == io.EOF {
			return
		}
		if err != nil {
			checkDamage(t, rel, name, err, lastOff)
			tot.damaged = append(tot.damaged, fmt.Sprintf("%s: %v (%d frames before)", rel, err, n))
			return
		}
		n++
		lastOff = f.Offset
		tot.frames++
		tot.bytes += int64(len(f.Data))
		field := ""
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Errorf("%s: frame %d: panic in %s: %v\n%s", rel, n, field, e, debug.Stack())
				}
			}()
			field = "decoding"
			p := dec.Decode(&f)
			for _, fl := range fields {
				field = fl.Name
				vals = fl.Values(p, vals[:0])
				for _, v := range vals {
					text = fl.AppendValue(text[:0], v)
				}
				tot.values += int64(len(vals))
			}
			field = "ProtocolPath"
			if p.ProtocolPath() == "" {
				t.Errorf("%s: frame %d: empty protocol path", rel, n)
			}
			if p.Malformed != "" {
				tot.malformed++
				tot.malformedBy[p.Malformed]++
			}
		}()
	}
}

// checkDamage checks a reader's error: a *source.FormatError that names
// the file and a byte offset past the last frame delivered (lastOff, -1
// if none).
func checkDamage(t *testing.T, rel, name string, err error, lastOff int64) {
	t.Helper()
	var fe *source.FormatError
	if !errors.As(err, &fe) {
		t.Errorf("%s: error %v is not a *source.FormatError", rel, err)
		return
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("%s: byte %d: ", name, fe.Offset)) {
		t.Errorf("%s: message %q does not name the file and byte offset", rel, err)
	}
	if fe.Offset <= lastOff {
		t.Errorf("%s: damage at byte %d, not after the last frame delivered at byte %d", rel, fe.Offset, lastOff)
	}
}
