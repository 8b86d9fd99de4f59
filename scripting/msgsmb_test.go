package scripting

import (
	"strings"
	"testing"
)

// TestSMBRunStats checks run.smb against what tshark counts in the same
// captures: smb2.protocol_id is 0xfe534d42 in 98 messages of
// smb2_session.pcap and 6 of smb311.pcap, and 0xfd534d42 (the SMB3
// transform header of an encrypted message) in 28 of smb311.pcap; the
// first has two TCP connections, the second one.
func TestSMBRunStats(t *testing.T) {
	src := `
def on_smb(msg):
    pass
def on_end(run):
    s = run.smb
    print(s.smb1_messages, s.smb2_messages, s.encrypted, s.compressed, s.connections, s.conns_evicted, s.dropped)
`
	r := runSrc(t, src, []string{cap("smb2_session.pcap"), corpus("smb/smb311.pcap")})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got, want := strings.TrimSpace(r.out), "0 132 28 0 3 0 0"; got != want {
		t.Errorf("run.smb: %s, want %s", got, want)
	}
	r = runSrc(t, "def on_end(run):\n    print(run.smb)\n", []string{cap("smb2_session.pcap")})
	if r.err != nil || strings.TrimSpace(r.out) != "None" {
		t.Errorf("run.smb without on_smb: %q (%v), want None", r.out, r.err)
	}
}

// TestSMBConnsBounded checks that the SMB state of at most maxSMBConns
// connections is kept, the oldest forgotten and counted.
func TestSMBConnsBounded(t *testing.T) {
	tr := newSMBTracker()
	for i := 0; i < maxSMBConns+10; i++ {
		tr.conn(i)
	}
	if len(tr.conns) != maxSMBConns || len(tr.order) != maxSMBConns {
		t.Errorf("%d states held (%d in order), want %d", len(tr.conns), len(tr.order), maxSMBConns)
	}
	if tr.stats.ConnsEvicted != 10 || tr.stats.Conns != maxSMBConns+10 {
		t.Errorf("evicted %d of %d, want 10 of %d", tr.stats.ConnsEvicted, tr.stats.Conns, maxSMBConns+10)
	}
	if tr.conns[0] != nil || tr.conns[maxSMBConns+9] == nil {
		t.Errorf("the oldest state is kept or the newest forgotten")
	}
}
