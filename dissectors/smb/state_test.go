package smb_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// TestStateUsers checks the user State gives the messages after a session
// setup against the NTLMSSP AUTHENTICATE (or clear account) tshark shows.
func TestStateUsers(t *testing.T) {
	bin := tsharktest.Path(t)
	compared := 0
	for _, name := range smb1Captures {
		file, ok := capturetest.Lookup(name)
		if !ok {
			continue
		}
		rows, err := tsharktest.Fields(bin, file, []string{"tcp.stream", "ntlmssp.auth.username", "ntlmssp.auth.domain", "ntlmssp.auth.hostname", "smb.account", "smb.primary_domain"}, "-Y", "smb && (ntlmssp.auth.username || smb.account)")
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]Session{}
		for _, r := range rows {
			st, _ := strconv.Atoi(r[0])
			if r[1] != "" {
				want[st] = Session{User: r[1], Domain: r[2], Host: r[3]}
			} else {
				want[st] = Session{User: r[4], Domain: r[5]}
			}
		}
		if len(want) == 0 {
			continue
		}
		_, pdus, _ := readCapture(t, name)
		got := map[int]Session{}
		for _, p := range pdus {
			for _, m := range p.msgs {
				if m.User != "" {
					got[p.stream] = Session{User: m.User, Domain: m.Domain, Host: m.Host}
				}
			}
		}
		for st, w := range want {
			compared++
			if got[st] != w {
				t.Errorf("%s stream %d: user %+v, tshark %+v", name, st, got[st], w)
			}
		}
	}
	if compared == 0 {
		t.Skip("no SMB1 session setup in the shared captures")
	}
	t.Logf("%d sessions' users compared with tshark", compared)
}

// TestStateTrack follows a hand-built session: tree connect in an AndX
// chain, create, read, close, tree disconnect.
func TestStateTrack(t *testing.T) {
	s := NewState(Limits{})
	track := func(b []byte, tm int64) []Message {
		msgs, err := Parse(b)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		for i := range msgs {
			msgs[i].Time = tm
			s.Track(&msgs[i])
		}
		return msgs
	}
	// SESSION_SETUP (clear account) + TREE_CONNECT request, mid 1.
	req := newPDU(CmdSessionSetupAndX, 0, Flags2NTStatus, 0, 0, 10, 0, 1)
	ss := req.block(w{uint8(CmdTreeConnectAndX), uint8(0), uint16(0), uint16(4356), uint16(50), uint16(0), uint32(0),
		uint16(0), uint16(0), uint32(0), uint32(0)}.bytes(), []byte("bob\x00WORK\x00Unix\x00Samba\x00"))
	req.link(ss)
	req.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0), uint16(0)}.bytes(), []byte(`\\SRV\DATA`+"\x00A:\x00"))
	track(req.b, 100)
	resp := newPDU(CmdSessionSetupAndX, FlagResponse, Flags2NTStatus, 0, 7, 10, 42, 1)
	rs := resp.block(w{uint8(CmdTreeConnectAndX), uint8(0), uint16(0), uint16(0)}.bytes(), []byte("Unix\x00Samba\x00WORK\x00"))
	resp.link(rs)
	resp.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(1)}.bytes(), []byte("A:\x00NTFS\x00"))
	msgs := track(resp.b, 250)
	if len(msgs) != 2 || msgs[1].Tree != `\\SRV\DATA` || msgs[1].Service != "A:" || msgs[1].User != "bob" || msgs[1].Domain != "WORK" {
		t.Fatalf("chain response: %+v", msgs)
	}
	if msgs[0].Request == nil || msgs[0].Request.Command != CmdSessionSetupAndX || msgs[0].Time-msgs[0].Request.Time != 150 ||
		msgs[1].Request == nil || msgs[1].Request.Command != CmdTreeConnectAndX {
		t.Errorf("requests not paired: %+v / %+v", msgs[0].Request, msgs[1].Request)
	}
	// NT_CREATE \a.txt -> fid 0x4001.
	cr := newPDU(CmdNTCreateAndX, 0, Flags2NTStatus, 0, 7, 10, 42, 2)
	cr.block(w{uint8(0xFF), uint8(0), uint16(0), uint8(0), uint16(6), uint32(0), uint32(0),
		uint32(0x120089), uint64(0), uint32(0), uint32(7), uint32(1), uint32(0), uint32(2), uint8(0)}.bytes(), []byte(`\a.txt`+"\x00"))
	track(cr.b, 300)
	crr := newPDU(CmdNTCreateAndX, FlagResponse, Flags2NTStatus, 0, 7, 10, 42, 2)
	words := make([]byte, 68)
	words[0] = 0xFF
	words[5], words[6] = 0x01, 0x40
	crr.block(words, nil)
	msgs = track(crr.b, 310)
	if msgs[0].Filename != `\a.txt` || msgs[0].FID != 0x4001 {
		t.Errorf("create response: file %q fid %#x", msgs[0].Filename, msgs[0].FID)
	}
	// READ_ANDX on the fid, then CLOSE.
	rd := newPDU(CmdReadAndX, 0, Flags2NTStatus, 0, 7, 10, 42, 3)
	rd.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0x4001), uint32(0), uint16(100), uint16(0), uint32(0), uint16(0)}.bytes(), nil)
	msgs = track(rd.b, 400)
	if msgs[0].Filename != `\a.txt` || msgs[0].Tree != `\\SRV\DATA` || msgs[0].User != "bob" {
		t.Errorf("read: %+v", msgs[0])
	}
	rdr := newPDU(CmdReadAndX, FlagResponse, Flags2NTStatus, 0, 7, 10, 42, 3)
	rdr.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(5), uint16(59), uint16(0), uint64(0)}.bytes(), []byte("hello"))
	msgs = track(rdr.b, 410)
	if msgs[0].Filename != `\a.txt` || msgs[0].Length != 5 || !msgs[0].HasFID || msgs[0].FID != 0x4001 {
		t.Errorf("read response: %+v", msgs[0])
	}
	cl := newPDU(CmdClose, 0, Flags2NTStatus, 0, 7, 10, 42, 4)
	cl.block(w{uint16(0x4001), uint32(0)}.bytes(), nil)
	track(cl.b, 500)
	clr := newPDU(CmdClose, FlagResponse, Flags2NTStatus, 0, 7, 10, 42, 4)
	clr.block(nil, nil)
	msgs = track(clr.b, 510)
	if msgs[0].Filename != `\a.txt` {
		t.Errorf("close response: file %q", msgs[0].Filename)
	}
	if _, ok := s.File(0x4001); ok {
		t.Errorf("fid still known after close")
	}
	// TREE_DISCONNECT forgets the tree.
	td := newPDU(CmdTreeDisconnect, 0, Flags2NTStatus, 0, 7, 10, 42, 5)
	td.block(nil, nil)
	track(td.b, 600)
	tdr := newPDU(CmdTreeDisconnect, FlagResponse, Flags2NTStatus, 0, 7, 10, 42, 5)
	tdr.block(nil, nil)
	msgs = track(tdr.b, 610)
	if msgs[0].Tree != "" {
		t.Errorf("tree after disconnect: %q", msgs[0].Tree)
	}
	if _, _, _, pending := s.Sizes(); pending != 0 {
		t.Errorf("%d requests still pending", pending)
	}
	// An error to a chained request ends the whole chain.
	track(req.b, 700)
	er := newPDU(CmdSessionSetupAndX, FlagResponse, Flags2NTStatus, 0xC000006D, 0, 10, 0, 1)
	er.block(nil, nil)
	msgs = track(er.b, 710)
	if msgs[0].Header.StatusName() != "STATUS_LOGON_FAILURE" || msgs[0].Request == nil {
		t.Errorf("error response: %+v", msgs[0])
	}
	if _, _, _, pending := s.Sizes(); pending != 0 {
		t.Errorf("%d requests pending after an error to the chain", pending)
	}
}

// TestStateBounds floods a State with opens, tree connects, sessions and
// unanswered requests and checks that it stays within its limits and
// counts what it dropped.
func TestStateBounds(t *testing.T) {
	lim := Limits{MaxSessions: 4, MaxTrees: 8, MaxFiles: 16, MaxPending: 32}
	s := NewState(lim)
	const n = 5000
	for i := 0; i < n; i++ {
		mid, id := uint16(i), uint16(i)
		// Unanswered echo requests.
		e := newPDU(CmdEcho, 0, Flags2NTStatus, 0, 1, 1, 1, mid)
		e.block(w{uint16(1)}.bytes(), nil)
		// A tree connect answered with a new tid.
		tc := newPDU(CmdTreeConnectAndX, 0, Flags2NTStatus, 0, 0, 2, 1, mid)
		tc.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0), uint16(0)}.bytes(), []byte(`\\S\share`+strconv.Itoa(i)+"\x00?????\x00"))
		tcr := newPDU(CmdTreeConnectAndX, FlagResponse, Flags2NTStatus, 0, id, 2, 1, mid)
		tcr.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0)}.bytes(), []byte("A:\x00"))
		// An open answered with a new fid.
		cr := newPDU(CmdOpenAndX, 0, Flags2NTStatus, 0, 1, 3, 1, mid)
		cr.block(make([]byte, 30), []byte(`\f`+strconv.Itoa(i)+"\x00"))
		crw := make([]byte, 30)
		crw[0] = 0xFF
		crw[4], crw[5] = byte(id), byte(id>>8)
		crr := newPDU(CmdOpenAndX, FlagResponse, Flags2NTStatus, 0, 1, 3, 1, mid)
		crr.block(crw, nil)
		// A session setup answered with a new uid.
		ss := newPDU(CmdSessionSetupAndX, 0, Flags2NTStatus, 0, 0, 4, 0, mid)
		ss.block(make([]byte, 26), []byte("u"+strconv.Itoa(i)+"\x00D\x00\x00\x00"))
		ssr := newPDU(CmdSessionSetupAndX, FlagResponse, Flags2NTStatus, 0, 0, 4, id, mid)
		ssr.block(w{uint8(0xFF), uint8(0), uint16(0), uint16(0)}.bytes(), nil)
		for _, b := range [][]byte{e.b, tc.b, tcr.b, cr.b, crr.b, ss.b, ssr.b} {
			msgs, _ := Parse(b)
			for j := range msgs {
				s.Track(&msgs[j])
			}
		}
		sessions, trees, files, pending := s.Sizes()
		if sessions > lim.MaxSessions || trees > lim.MaxTrees || files > lim.MaxFiles || pending > lim.MaxPending ||
			s.OrderCap() > 3*lim.MaxPending+1 {
			t.Fatalf("after %d rounds: %d sessions, %d trees, %d files, %d pending (%d ordered)", i, sessions, trees, files, pending, s.OrderCap())
		}
	}
	c := s.Counters
	_, _, _, pending := s.Sizes()
	// Only the echoes go unanswered: each is either still pending or
	// was evicted; every other response found its request.
	if c.SessionsDropped != n-int64(lim.MaxSessions) || c.TreesDropped != n-int64(lim.MaxTrees) ||
		c.FilesDropped != n-int64(lim.MaxFiles) || c.PendingEvicted+int64(pending) != n || c.Unanswered != 0 {
		t.Errorf("counters %+v, %d pending", c, pending)
	}
	// What was kept is still right.
	if tr, ok := s.TreeOf(3); !ok || !strings.HasSuffix(tr.Path, "share3") {
		t.Errorf("tree 3: %+v %v", tr, ok)
	}
}

// TestNegotiatedDialect checks that State names the dialect the server
// chose: smb1_session.pcap's server picks index 0, "NT LANMAN 1.0".
func TestNegotiatedDialect(t *testing.T) {
	_, pdus, ok := readCapture(t, "captures/smb1_session.pcap")
	if !ok {
		t.Skip("smb1_session.pcap is absent")
	}
	n := 0
	for _, p := range pdus {
		for _, m := range p.msgs {
			if r, ok := m.Body.(*NegotiateResponse); ok {
				n++
				if r.DialectIndex != 0 || r.Dialect != "NT LANMAN 1.0" || m.Request == nil {
					t.Errorf("frame %d: dialect %d %q", p.frame, r.DialectIndex, r.Dialect)
				}
			}
		}
	}
	if n != 2 {
		t.Errorf("%d negotiate responses, want 2", n)
	}
}

// TestStateMultipleResponses checks requests answered in several parts:
// a transaction's interim response, its secondary request and final
// response; an echo asked to repeat twice.
func TestStateMultipleResponses(t *testing.T) {
	s := NewState(Limits{})
	track := func(b []byte) *Message {
		msgs, _ := Parse(b)
		for i := range msgs {
			s.Track(&msgs[i])
		}
		return &msgs[0]
	}
	trans := func(flags uint8, wc []byte) []byte {
		p := newPDU(CmdTransaction2, flags, Flags2NTStatus, 0, 1, 1, 1, 9)
		p.block(wc, nil)
		return p.b
	}
	req := w{uint16(0), uint16(100), uint16(0), uint16(100), uint8(0), uint8(0), uint16(0), uint32(0),
		uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint8(1), uint8(0), uint16(Trans2SetFileInfo)}.bytes()
	track(trans(0, req))
	if m := track(trans(FlagResponse, nil)); m.Request == nil {
		t.Fatal("interim response not paired")
	}
	sec := newPDU(CmdTransaction2Secondary, 0, Flags2NTStatus, 0, 1, 1, 1, 9)
	sec.block(make([]byte, 18), nil)
	track(sec.b)
	final := w{uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint8(0), uint8(0)}.bytes()
	m := track(trans(FlagResponse, final))
	if m.Request == nil || m.SubCommandName() != "SET_FILE_INFORMATION" {
		t.Errorf("final response: request %v, sub-command %q", m.Request != nil, m.SubCommandName())
	}
	if _, _, _, pending := s.Sizes(); pending != 0 {
		t.Errorf("%d pending after the transaction", pending)
	}
	echo := newPDU(CmdEcho, 0, Flags2NTStatus, 0, 1, 1, 1, 10)
	echo.block(w{uint16(2)}.bytes(), []byte("hi"))
	track(echo.b)
	for seq := uint16(1); seq <= 2; seq++ {
		r := newPDU(CmdEcho, FlagResponse, Flags2NTStatus, 0, 1, 1, 1, 10)
		r.block(w{seq}.bytes(), []byte("hi"))
		if m := track(r.b); m.Request == nil {
			t.Errorf("echo response %d not paired", seq)
		}
	}
	if _, _, _, pending := s.Sizes(); pending != 0 || s.Counters.Unanswered != 0 {
		t.Errorf("%d pending, %d unanswered after the echoes", pending, s.Counters.Unanswered)
	}
}
