package smb2_test

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"fmt"
	"math/rand"
	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// TestStateSession checks, message by message, what State tells of the
// first connections of smb2_session.pcap: a client that lists the shares
// over IPC$ (srvsvc), then maps \\192.168.1.60\share, lists it, reads two
// files, writes one, creates and deletes a directory, and logs off.
func TestStateSession(t *testing.T) {
	type row struct {
		frame    int
		cmd      string
		resp     bool
		tree     string
		filename string
		user     string
		paired   bool // a response linked to its request
	}
	const ipc, share = `\\192.168.1.60\IPC$`, `\\192.168.1.60\share`
	want := []row{
		{6, "NEGOTIATE_PROTOCOL", false, "", "", "", false},
		{8, "NEGOTIATE_PROTOCOL", true, "", "", "", true},
		{10, "SESSION_SETUP", false, "", "", "", false},
		{11, "SESSION_SETUP", true, "", "", "", true},
		{12, "SESSION_SETUP", false, "", "", `CORP\alice`, false},
		{13, "SESSION_SETUP", true, "", "", `CORP\alice`, true},
		{14, "TREE_CONNECT", false, ipc, "", `CORP\alice`, false},
		{15, "TREE_CONNECT", true, ipc, "", `CORP\alice`, true},
		{16, "CREATE", false, ipc, "srvsvc", `CORP\alice`, false},
		{18, "CREATE", true, ipc, "srvsvc", `CORP\alice`, true},
		{19, "IOCTL", false, ipc, "srvsvc", `CORP\alice`, false},
		{21, "IOCTL", true, ipc, "srvsvc", `CORP\alice`, true}, // STATUS_PENDING, async
		{23, "IOCTL", true, ipc, "srvsvc", `CORP\alice`, true}, // the final answer
		{25, "IOCTL", false, ipc, "srvsvc", `CORP\alice`, false},
		{26, "IOCTL", true, ipc, "srvsvc", `CORP\alice`, true},
		{27, "CLOSE", false, ipc, "srvsvc", `CORP\alice`, false},
		{28, "CLOSE", true, ipc, "srvsvc", `CORP\alice`, true},
		{29, "TREE_DISCONNECT", false, ipc, "", `CORP\alice`, false},
		{30, "TREE_DISCONNECT", true, ipc, "", `CORP\alice`, true},
	}
	got := map[int][]*Message{}
	states := map[int]*State{}
	for _, p := range capturePDUs(t, capturetest.Path(t, "captures/smb2_session.pcap")) {
		ms, _ := Parse(p.data)
		if states[p.stream] == nil {
			states[p.stream] = NewState(Limits{}, nil)
		}
		for i := range ms {
			states[p.stream].Track(&ms[i])
			got[p.frame] = append(got[p.frame], &ms[i])
		}
	}
	for _, w := range want {
		ms := got[w.frame]
		if len(ms) != 1 {
			t.Errorf("frame %d: %d messages", w.frame, len(ms))
			continue
		}
		m := ms[0]
		g := row{w.frame, m.Name(), m.IsResponse(), m.Tree, m.Filename, m.User.String(), m.Request != nil}
		if g != w {
			t.Errorf("frame %d:\n got %+v\nwant %+v", w.frame, g, w)
		}
	}
	// The rest of the capture: files by name on the data share.
	checks := []struct {
		frame    int
		filename string
		tree     string
	}{
		{55, "", share}, {56, "", share}, // the share's root is ""
		{71, "notes.txt", share}, {72, "notes.txt", share}, {73, "notes.txt", share},
		{81, "data.bin", share}, {156, "data.bin", share},
		{163, "upload.txt", share}, {164, "upload.txt", share},
		{173, "reports", share}, {175, "reports", share},
		{193, "", ""}, {194, "", ""},
	}
	for _, c := range checks {
		ms := got[c.frame]
		if len(ms) != 1 || ms[0].Filename != c.filename || ms[0].Tree != c.tree {
			t.Errorf("frame %d: %d messages, %+v", c.frame, len(ms), ms)
		}
	}
	if m := got[173][0]; m.Body.(*SetInfoRequest).DeletePending != true {
		t.Error("frame 173: delete on close not decoded")
	}
	if m := got[194][0]; m.User.String() != `CORP\alice` {
		t.Errorf("frame 194: LOGOFF response user %q", m.User.String())
	}
	if m := got[72][0]; !m.Pending || got[73][0].Request == nil || got[73][0].Request != got[71][0] {
		t.Error("frames 71-73: interim and final READ responses not paired with the request")
	}
	if d := got[56][0].Body.(*QueryDirectoryResponse); len(d.Entries) != 4 || d.Entries[2].Name != "data.bin" || d.Entries[2].EndOfFile != 102400 {
		t.Errorf("frame 56: directory entries %+v", d.Entries)
	}
	for id, st := range states {
		if n := st.Sizes().Pending; n != 0 {
			t.Errorf("stream %d: %d requests left pending", id, n)
		}
	}
}

func TestStatePendingAndOpaque(t *testing.T) {
	st := NewState(Limits{}, nil)
	req := parseOne(t, msg(hb{cmd: CmdRead, mid: 4, tid: 1}, body{}.u16(49).zero(47)))
	req.Opaque = 1.5
	st.Track(req)
	if st.Pending(4) != req {
		t.Fatal("request not pending")
	}
	interim := parseOne(t, msg(hb{cmd: CmdRead, mid: 4, flags: rsp | FlagAsync, status: StatusPending, async: 1}, body{}.u16(9).zero(7)))
	st.Track(interim)
	if interim.Request != req || st.Pending(4) != req {
		t.Fatal("interim response ended the request")
	}
	final := parseOne(t, msg(hb{cmd: CmdRead, mid: 4, flags: rsp | FlagAsync, async: 1}, body{}.u16(17).zero(15)))
	st.Track(final)
	if final.Request != req || final.Request.Opaque != 1.5 || st.Pending(4) != nil {
		t.Fatal("final response not paired")
	}
	// A CANCEL reuses the message id of what it cancels and gets no
	// response: it must not replace the pending request.
	st.Track(parseOne(t, msg(hb{cmd: CmdChangeNotify, mid: 9}, body{}.u16(32).zero(30))))
	st.Track(parseOne(t, msg(hb{cmd: CmdCancel, mid: 9}, body{}.u16(4).u16(0))))
	if p := st.Pending(9); p == nil || p.Command != CmdChangeNotify {
		t.Fatalf("pending after cancel: %+v", p)
	}
}

func TestStateSetUser(t *testing.T) {
	st := NewState(Limits{}, nil)
	st.SetUser(7, User{Name: "bob@EXAMPLE.COM", Kerberos: true})
	m := parseOne(t, msg(hb{cmd: CmdEcho, session: 7}, body{}.u16(4).u16(0)))
	st.Track(m)
	if m.User == nil || m.User.Name != "bob@EXAMPLE.COM" || m.User.String() != "bob@EXAMPLE.COM" {
		t.Errorf("%+v", m.User)
	}
}

// TestStateBounds floods a State with sessions, trees, files and requests
// that never end, and checks that its tables stay within their limits and
// count what they forgot.
func TestStateBounds(t *testing.T) {
	lim := Limits{Sessions: 10, Trees: 20, Files: 30, Pending: 40}
	st := NewState(lim, nil)
	path := utf16le(`\\s\x`)
	name := utf16le("f")
	const n = 500
	for i := 0; i < n; i++ {
		mid := uint64(2 * i)
		ses := uint64(i + 1)
		st.SetUser(ses, User{Name: fmt.Sprint(i)})
		st.Track(parseOne(t, msg(hb{cmd: CmdTreeConnect, mid: mid, session: ses}, body{}.u16(9).u16(0).u16(72).u16(uint16(len(path))).raw(path))))
		st.Track(parseOne(t, msg(hb{cmd: CmdTreeConnect, mid: mid, session: ses, flags: rsp, tid: uint32(i)}, body{}.u16(16).u8(1).zero(13))))
		st.Track(parseOne(t, msg(hb{cmd: CmdCreate, mid: mid + 1, session: ses, tid: uint32(i)}, body{}.u16(57).zero(42).u16(120).u16(uint16(len(name))).u32(0).u32(0).raw(name))))
		st.Track(parseOne(t, msg(hb{cmd: CmdCreate, mid: mid + 1, session: ses, flags: rsp}, body{}.u16(89).zero(62).fid(FileID{uint64(i), 1}).zero(8))))
		// A request never answered.
		st.Track(parseOne(t, msg(hb{cmd: CmdEcho, mid: 1<<40 + uint64(i)}, body{}.u16(4).u16(0))))
	}
	sz, d := st.Sizes(), st.Dropped()
	if sz.Sessions > lim.Sessions || sz.Trees > lim.Trees || sz.Files > lim.Files || sz.Pending > lim.Pending {
		t.Fatalf("sizes %+v over limits %+v", sz, lim)
	}
	if d.Sessions != n-10 || d.Trees != n-20 || d.Files != n-30 || d.Pending != n-40 {
		t.Errorf("dropped %+v", d)
	}
	// The newest entries are kept.
	m := parseOne(t, msg(hb{cmd: CmdRead, mid: 1 << 50, session: n, tid: n - 1}, body{}.u16(49).zero(14).fid(FileID{n - 1, 1}).zero(17)))
	st.Track(m)
	if m.Tree != `\\s\x` || m.Filename != "f" || m.User == nil {
		t.Errorf("latest entries lost: %+v", m)
	}
}

// TestStateRandomFlood tracks random, mostly damaged messages and checks
// the bounds hold (FuzzState does the same with the fuzzer's input).
func TestStateRandomFlood(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	lim := Limits{Sessions: 5, Trees: 5, Files: 5, Pending: 5}
	st := NewState(lim, nil)
	seeds := seedPDUs(t)
	for i := 0; i < 20000; i++ {
		b := append([]byte(nil), seeds[rng.Intn(len(seeds))]...)
		for j := rng.Intn(4); j > 0 && len(b) > 0; j-- {
			b[rng.Intn(len(b))] = byte(rng.Intn(256))
		}
		ms, _ := Parse(b)
		for k := range ms {
			st.Track(&ms[k])
		}
		checkBounds(t, st)
	}
}

func checkBounds(t testing.TB, st *State) {
	sz, lim := st.Sizes(), st.Limits()
	if sz.Sessions > lim.Sessions || sz.Trees > lim.Trees || sz.Files > lim.Files || sz.Pending > lim.Pending {
		t.Fatalf("sizes %+v over limits %+v", sz, lim)
	}
}

// TestStateShared: with SMB3 multichannel a tree connected and a file
// opened on one connection are used on another of the same session.
func TestStateShared(t *testing.T) {
	shared := NewSessions(Limits{})
	a, b := NewState(Limits{}, shared), NewState(Limits{}, shared)
	path, name := utf16le(`\\s\data`), utf16le("old.txt")
	a.SetUser(9, User{Name: "carol", Domain: "EX"})
	a.Track(parseOne(t, msg(hb{cmd: CmdTreeConnect, mid: 1, session: 9}, body{}.u16(9).u16(0).u16(72).u16(uint16(len(path))).raw(path))))
	a.Track(parseOne(t, msg(hb{cmd: CmdTreeConnect, mid: 1, session: 9, flags: rsp, tid: 4}, body{}.u16(16).u8(ShareDisk).zero(13))))
	a.Track(parseOne(t, msg(hb{cmd: CmdCreate, mid: 2, session: 9, tid: 4}, body{}.u16(57).zero(42).u16(120).u16(uint16(len(name))).u32(0).u32(0).raw(name))))
	a.Track(parseOne(t, msg(hb{cmd: CmdCreate, mid: 2, session: 9, tid: 4, flags: rsp}, body{}.u16(89).zero(62).fid(fidA).zero(8))))

	// Rename on the second channel: the handle keeps its new name.
	newName := utf16le(`dir\new.txt`)
	ren := parseOne(t, msg(hb{cmd: CmdSetInfo, mid: 1, session: 9, tid: 4}, body{}.u16(33).u8(InfoFile).u8(FileRenameInfo).u32(uint32(20+len(newName))).u16(96).u16(0).u32(0).fid(fidA).u8(0).zero(7).u64(0).u32(uint32(len(newName))).raw(newName)))
	b.Track(ren)
	if ren.Tree != `\\s\data` || ren.ShareType != ShareDisk || ren.Filename != "old.txt" || ren.User.String() != `EX\carol` {
		t.Fatalf("second channel: %+v", ren)
	}
	b.Track(parseOne(t, msg(hb{cmd: CmdSetInfo, mid: 1, session: 9, tid: 4, flags: rsp}, body{}.u16(2))))
	rd := parseOne(t, msg(hb{cmd: CmdRead, mid: 3, session: 9, tid: 4}, body{}.u16(49).zero(14).fid(fidA).zero(17)))
	a.Track(rd)
	if rd.Filename != `dir\new.txt` || !rd.HasFile {
		t.Errorf("after rename: %q", rd.Filename)
	}
	a.Track(parseOne(t, msg(hb{cmd: CmdRead, mid: 3, session: 9, tid: 4, flags: rsp}, body{}.u16(17).zero(15))))
	// Closing forgets the handle; disconnecting forgets the tree.
	a.Track(parseOne(t, msg(hb{cmd: CmdClose, mid: 4, session: 9, tid: 4}, body{}.u16(24).zero(6).fid(fidA))))
	a.Track(parseOne(t, msg(hb{cmd: CmdClose, mid: 4, session: 9, tid: 4, flags: rsp}, body{}.u16(60).zero(58))))
	a.Track(parseOne(t, msg(hb{cmd: CmdTreeDisconnect, mid: 5, session: 9, tid: 4}, body{}.u16(4).u16(0))))
	a.Track(parseOne(t, msg(hb{cmd: CmdTreeDisconnect, mid: 5, session: 9, tid: 4, flags: rsp}, body{}.u16(4).u16(0))))
	if sz := a.Sizes(); sz.Files != 0 || sz.Trees != 0 || sz.Sessions != 1 || sz.Pending != 0 {
		t.Errorf("sizes after close and disconnect: %+v", sz)
	}
}
