package smb2_test

// The differential test: every SMB2 message of the shared captures,
// reassembled and split as the engine will, decoded and tracked, against
// tshark's smb2.* fields for the same frames.

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// sharkFiles are the captures with SMB2 traffic.
var sharkFiles = []string{
	"captures/smb2_session.pcap",
	"captures/mixed_office.pcap",
	"corpus/kerberos/smb2_krb.pcap",
	"corpus/smb/SMBGhost.pcap",
	"corpus/smb/smb2-zero-byte-error-ioctl.pcapng",
	"corpus/smb/smb311.pcap",
	"corpus/smb/smb3_negotiate_context.pcap",
	"corpus/smb/smb_many_open_files_500.pcap.gz",
	"corpus/smb/smb_v2_only_non_zero_reserved1.pcap",
}

var sharkFields = []string{
	"frame.number", "tcp.stream", "tcp.srcport", "smb2.cmd", "smb2.msg_id",
	"smb2.nt_status", "smb2.flags.response", "smb2.sesid", "smb2.tid",
	"smb2.filename", "smb2.tree", "smb2.acct", "smb2.domain", "smb2.host",
}

// compared names the columns compared (sharkFields from tcp.stream on).
var compared = sharkFields[1:]

// expectedDiff is a difference from tshark that is understood: the file,
// frame and field, the value tshark shows, and why ours differs.
type expectedDiff struct {
	file, field string
	frame       int
	tshark      string
	why         string
}

// truncated: tshark decodes the header of a PDU whose frame the snapshot
// length cut short; the reassembled stream has a hole there, and the PDU
// it cannot complete is not handed to Parse.
const truncated = "frame cut by the snapshot length: the PDU never completes"

var expectedDiffs = []expectedDiff{
	{"corpus/kerberos/smb2_krb.pcap", "tcp.stream", 43, "0", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "tcp.srcport", 43, "445", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.cmd", 43, "14", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.msg_id", 43, "16", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.nt_status", 43, "0x00000000", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.flags.response", 43, "1", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.sesid", 43, "0x00000000d31a67cf", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.tid", 43, "0xe346c3f6", truncated},
	{"corpus/kerberos/smb2_krb.pcap", "smb2.tree", 43, `\\phxlabbal821\lustre`, truncated},
}

// frameRow renders what we decoded for the messages a frame completed as
// tshark's cells (every occurrence, comma-joined).
func frameRow(stream int, port uint16, ms []*Message, known map[*Message]bool) []string {
	var cmd, mid, status, resp, ses, tid, file, tree, acct, dom, host []string
	for _, m := range ms {
		if m.Kind == KindEncrypted {
			// tshark shows the transform header's session id as
			// smb2.sesid too, and the session's user.
			ses = append(ses, fmt.Sprintf("0x%016x", m.SessionID))
			if m.User != nil {
				acct, dom, host = append(acct, m.User.Name), append(dom, m.User.Domain), append(host, m.User.Workstation)
			}
		}
		if m.Kind != KindSMB2 {
			continue
		}
		cmd = append(cmd, strconv.Itoa(int(m.Command)))
		mid = append(mid, strconv.FormatUint(m.MessageID, 10))
		if m.IsResponse() {
			status = append(status, fmt.Sprintf("0x%08x", m.Status))
			resp = append(resp, "1")
		} else {
			resp = append(resp, "0")
		}
		ses = append(ses, fmt.Sprintf("0x%016x", m.SessionID))
		if !m.IsAsync() {
			tid = append(tid, fmt.Sprintf("0x%08x", m.TreeID))
		}
		file = append(file, sharkFilenames(m)...)
		// tshark names the tree of a sync header whose tree id it knows,
		// and the path of a TREE_CONNECT request. It learns a tree id
		// from the TREE_CONNECT response after dissecting that
		// response's header, so the response itself shows none.
		switch {
		case m.IsAsync():
		case m.Command == CmdTreeConnect && m.IsResponse():
		case m.Tree != "":
			tree = append(tree, m.Tree)
		}
		// tshark names the user of a session it has seen established;
		// the AUTHENTICATE request of a new session comes before that.
		if m.User != nil && (known[m] || m.Command != CmdSessionSetup || m.IsResponse()) {
			acct, dom, host = append(acct, m.User.Name), append(dom, m.User.Domain), append(host, m.User.Workstation)
		}
	}
	j := func(v []string) string { return strings.Join(v, ",") }
	return []string{strconv.Itoa(stream), strconv.Itoa(int(port)), j(cmd), j(mid), j(status), j(resp), j(ses), j(tid), j(file), j(tree), j(acct), j(dom), j(host)}
}

// sharkFilenames are the names tshark shows as smb2.filename for a
// message: a CREATE request's name, the entries of a directory listing,
// and the name in a file-information answer.
func sharkFilenames(m *Message) []string {
	switch b := m.Body.(type) {
	case *CreateRequest:
		if b.Name != "" {
			return []string{b.Name}
		}
	case *QueryDirectoryResponse:
		var v []string
		for _, e := range b.Entries {
			v = append(v, e.Name)
		}
		return v
	case *QueryInfoResponse:
		if b.FileName != "" {
			return []string{b.FileName}
		}
	}
	return nil
}

func TestTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	var frames, values, equal, expected int
	for _, rel := range sharkFiles {
		t.Run(rel, func(t *testing.T) {
			file, rows := capturetest.SharkFields(t, bin, rel, sharkFields, "smb2")
			want := map[int][]string{}
			for _, r := range rows {
				n, _ := strconv.Atoi(r[0])
				want[n] = r[1:]
			}
			got := map[int][]string{}
			states := map[int]*State{}
			shared := NewSessions(Limits{})
			known := map[*Message]bool{} // messages of a session already established
			byFrame := map[int][]*Message{}
			var order []int
			key := map[int][2]int{}
			for _, p := range capturePDUs(t, file) {
				ms, err := Parse(p.data)
				if err != nil && err != ErrSMB1 {
					t.Logf("frame %d: %v", p.frame, err)
				}
				st := states[p.stream]
				if st == nil {
					st = NewState(Limits{}, shared)
					states[p.stream] = st
				}
				for i := range ms {
					if shared.HasUser(ms[i].SessionID) {
						known[&ms[i]] = true
					}
					st.Track(&ms[i])
					if _, ok := byFrame[p.frame]; !ok {
						order = append(order, p.frame)
					}
					byFrame[p.frame] = append(byFrame[p.frame], &ms[i])
					key[p.frame] = [2]int{p.stream, int(p.srcPort)}
				}
			}
			for _, f := range order {
				got[f] = frameRow(key[f][0], uint16(key[f][1]), byFrame[f], known)
			}
			var all []int
			for f := range want {
				all = append(all, f)
			}
			for f := range got {
				if _, ok := want[f]; !ok {
					all = append(all, f)
				}
			}
			sort.Ints(all)
			for _, f := range all {
				w, g := want[f], got[f]
				frames++
				for i, field := range compared {
					var wv, gv string
					if w != nil {
						wv = w[i]
					}
					if g != nil {
						gv = g[i]
					}
					values++
					if wv == gv {
						equal++
						continue
					}
					if why := lookupDiff(rel, f, field, wv); why != "" {
						expected++
						continue
					}
					t.Errorf("frame %d %s: tshark %q, wirelark %q", f, field, wv, gv)
				}
			}
		})
	}
	t.Logf("%d frames, %d values compared: %d equal, %d expected differences", frames, values, equal, expected)
}

func lookupDiff(file string, frame int, field, tshark string) string {
	for _, d := range expectedDiffs {
		if d.file == file && d.frame == frame && d.field == field && d.tshark == tshark {
			return d.why
		}
	}
	return ""
}
