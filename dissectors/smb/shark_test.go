package smb_test

// The differential test: every SMB1 PDU of the shared captures, found by
// reassembling TCP and splitting NetBIOS session messages as the engine
// does, against tshark's fields for the frame that completes it.

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

var sharkFields = []string{
	"frame.number", "tcp.stream", "tcp.srcport",
	"smb.cmd", "smb.mid", "smb.nt_status", "smb.flags.response",
	"smb.tid", "smb.uid", "smb.trans2.cmd", "smb.file", "smb.path",
	// Directory commands name their directory in smb.dir_name; it
	// counts as the file name.
	"smb.dir_name",
}

// sharkRow is what tshark or this package says of one frame's SMB1 PDUs,
// each field's values joined by commas as tshark aggregates them.
type sharkRow struct {
	cmd, mid, status, response, tid, uid, trans2 string
	files, paths                                 []string
}

// ourRow builds the row tshark would print for the PDUs completed by one
// frame. inherited lists the file names a response took from its request
// rather than from a fid: tshark does not repeat those.
func ourRow(pdus []capPDU) (r sharkRow, inherited map[string]bool) {
	inherited = map[string]bool{}
	var cmd, mid, status, resp, tid, uid, t2 []string
	for _, p := range pdus {
		if len(p.msgs) == 0 {
			continue
		}
		h := p.msgs[0].Header
		mid = append(mid, strconv.Itoa(int(h.MID)))
		if h.NTStatus() {
			status = append(status, fmt.Sprintf("0x%08x", h.Status))
		}
		resp = append(resp, b2s(h.IsResponse()))
		tid = append(tid, strconv.Itoa(int(h.TID)))
		uid = append(uid, strconv.Itoa(int(h.UID)))
		for _, m := range p.msgs {
			cmd = append(cmd, fmt.Sprintf("0x%02x", m.Command))
			if m.Last && m.HasAndX {
				cmd = append(cmd, fmt.Sprintf("0x%02x", m.AndX))
			}
			if (m.Command == CmdTransaction2 || m.Command == CmdTransaction2Secondary) && m.HasSubCommand {
				t2 = append(t2, fmt.Sprintf("0x%04x", m.SubCommand))
			}
			if m.Filename != "" {
				r.files = append(r.files, m.Filename)
				if m.IsResponse() && m.Request != nil && m.Filename == m.Request.Name {
					inherited[m.Filename] = true
				}
			}
			if m.Tree != "" {
				r.paths = append(r.paths, m.Tree)
			}
		}
	}
	j := func(s []string) string { return strings.Join(s, ",") }
	r.cmd, r.mid, r.status, r.response, r.tid, r.uid, r.trans2 = j(cmd), j(mid), j(status), j(resp), j(tid), j(uid), j(t2)
	return r, inherited
}

func b2s(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// splitList splits an aggregated tshark cell. File and path names may
// hold commas themselves; the comparison only asks whether our name is
// among tshark's, so a name is also looked for in the whole cell.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func contains(cell string, list []string, v string) bool {
	return slices.Contains(list, v) || strings.Contains(","+cell+",", ","+v+",")
}

func TestTsharkDifferential(t *testing.T) {
	bin := tsharktest.Path(t)
	var total, values, equal, explained, frames int
	missedFiles := map[string]int{}
	for _, name := range smb1Captures {
		file, pdus, ok := readCapture(t, name)
		if !ok {
			continue
		}
		ours := byFrame(pdus)
		for _, p := range pdus {
			total += len(p.msgs)
		}
		rows, err := tsharktest.Fields(bin, file, sharkFields, "-Y", "smb")
		if err != nil {
			t.Fatal(err)
		}
		theirs := map[frameKey][]string{}
		for _, row := range rows {
			if row[1] == "" {
				continue // SMB over UDP (browser mailslots): not ours
			}
			fr, _ := strconv.Atoi(row[0])
			st, _ := strconv.Atoi(row[1])
			if row[12] != "" {
				row[10] = strings.Trim(row[10]+","+row[12], ",")
			}
			theirs[frameKey{st, row[2], fr}] = row
		}
		for k, row := range theirs {
			p, ok := ours[k]
			if !ok {
				t.Errorf("%s frame %d: tshark shows SMB %s, we found no PDU", name, k.frame, row[3])
				continue
			}
			frames++
			r, inherited := ourRow(p)
			check := func(field, got, want string) {
				values++
				if got == want {
					equal++
					return
				}
				// A Trans2 response whose request tshark did not see:
				// tshark shows sub-command 0xffff ("<UNKNOWN>"), we
				// none.
				if field == "smb.trans2.cmd" && got == "" && strings.Trim(want, "0xf,") == "" {
					explained++
					return
				}
				t.Errorf("%s frame %d %s: got %q, tshark %q", name, k.frame, field, got, want)
			}
			check("smb.cmd", r.cmd, row[3])
			check("smb.mid", r.mid, row[4])
			check("smb.nt_status", r.status, row[5])
			check("smb.flags.response", r.response, row[6])
			check("smb.tid", r.tid, row[7])
			check("smb.uid", r.uid, row[8])
			check("smb.trans2.cmd", r.trans2, row[9])
			for _, f := range r.files {
				values++
				switch {
				case contains(row[10], splitList(row[10]), f):
					equal++
				case inherited[f]:
					// A response to a path-based request (an error
					// to NT Create, a Trans2 QUERY_PATH_INFO answer):
					// we repeat the request's name, tshark only
					// names files it knows by fid.
					explained++
				default:
					t.Errorf("%s frame %d smb.file: %q not among tshark's %q", name, k.frame, f, row[10])
				}
			}
			for _, f := range splitList(row[10]) {
				if !slices.Contains(r.files, f) {
					missedFiles[f]++
				}
			}
			for _, f := range r.paths {
				values++
				if contains(row[11], splitList(row[11]), f) {
					equal++
				} else {
					t.Errorf("%s frame %d smb.path: %q not among tshark's %q", name, k.frame, f, row[11])
				}
			}
		}
		for k := range ours {
			if _, ok := theirs[k]; !ok {
				t.Errorf("%s frame %d: we found an SMB1 PDU tshark does not show", name, k.frame)
			}
		}
	}
	if total == 0 {
		t.Skip("no SMB1 capture under " + capturetest.Dir())
	}
	t.Logf("tshark file names we do not give: %v", missedFiles)
	t.Logf("%d messages in %d frames; %d values compared, %d equal, %d explained", total, frames, values, equal, explained)
}
