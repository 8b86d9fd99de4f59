package smb2_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// seedPDUs are the SMB2 PDUs of smb2_session.pcap and smb311.pcap
// (encrypted messages), plus hand-made ones for the transform headers and
// compounds.
func seedPDUs(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, f := range []string{"captures/smb2_session.pcap", "corpus/smb/smb311.pcap"} {
		for _, p := range capturePDUs(t, capturetest.Path(t, f)) {
			seeds = append(seeds, p.data)
		}
	}
	echo := msg(hb{cmd: CmdEcho}, body{}.u16(4).u16(0))
	seeds = append(seeds, compound(echo, echo, echo),
		append([]byte{0xfc, 'S', 'M', 'B'}, body{}.u32(100).u16(1).u16(0).u32(0).zero(20)...))
	return seeds
}

func FuzzParse(f *testing.F) {
	for _, s := range seedPDUs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, err := Parse(b)
		for i := range ms {
			m := &ms[i]
			if m.Offset < 0 || m.Offset+m.Len > len(b) {
				t.Fatalf("message %d at %d+%d outside %d bytes", i, m.Offset, m.Len, len(b))
			}
			_ = m.Name()
			m.FileID()
			if d, ok := m.Body.(*QueryDirectoryResponse); ok {
				for _, c := range DirLayouts() {
					DirectoryEntries(c, d.Buffer)
				}
			}
			if q, ok := m.Body.(*QueryInfoResponse); ok {
				QueryInfoFileName(InfoFile, FileAllInfo, q.Buffer)
			}
		}
		if err == nil && len(ms) == 0 {
			t.Fatal("no message and no error")
		}
	})
}

// FuzzState feeds the messages of a sequence of PDUs (cut from the input
// at 0xFE 'S' 'M' 'B' markers) to one State with small limits and checks
// its bounds after each.
func FuzzState(f *testing.F) {
	seeds := seedPDUs(f)
	// One sequence of whole sessions, kept small for the fuzzer's sake.
	var all []byte
	for _, s := range seeds {
		if len(all)+len(s) > 16<<10 {
			continue
		}
		all = append(all, s...)
	}
	f.Add(all)
	for _, s := range seeds[:min(len(seeds), 20)] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st := NewState(Limits{Sessions: 3, Trees: 3, Files: 3, Pending: 3}, nil)
		for _, p := range splitAtMarkers(b) {
			ms, _ := Parse(p)
			for i := range ms {
				st.Track(&ms[i])
				_ = ms[i].User.String()
			}
			checkBounds(t, st)
		}
	})
}

// splitAtMarkers cuts b before every SMB2 protocol id after the first
// byte.
func splitAtMarkers(b []byte) [][]byte {
	var out [][]byte
	start := 0
	for i := 1; i+4 <= len(b); i++ {
		if b[i] == 0xfe && b[i+1] == 'S' && b[i+2] == 'M' && b[i+3] == 'B' {
			out = append(out, b[start:i])
			start = i
		}
	}
	return append(out, b[start:])
}
