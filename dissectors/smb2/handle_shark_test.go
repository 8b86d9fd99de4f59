package smb2_test

// State's file names against Wireshark's: tshark's detail view (PDML)
// names each message's file handle ("GUID handle File: notes.txt") from
// the CREATE that opened it, which is the name State gives the message.

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// sharkHandle is what tshark's detail view shows of one SMB2 message.
type sharkHandle struct {
	cmd    string
	handle bool   // the body has a file handle
	named  bool   // tshark knows the handle's file
	name   string // and its name
}

// pdmlHandles runs tshark -T pdml and returns, per frame, the SMB2
// messages in order with their file handle's name.
func pdmlHandles(t *testing.T, bin, file string) map[int][]sharkHandle {
	cmd := exec.Command(bin, "-n", "-r", file, "-Y", "smb2", "-T", "pdml")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	res := map[int][]sharkHandle{}
	dec := xml.NewDecoder(out)
	frame := 0
	var cur *sharkHandle
	flush := func() {
		if cur != nil && cur.cmd != "" {
			res[frame] = append(res[frame], *cur)
		}
		cur = nil
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := map[string]string{}
		for _, a := range se.Attr {
			attr[a.Name.Local] = a.Value
		}
		switch {
		case se.Name.Local == "packet":
			flush()
		case se.Name.Local == "proto" && attr["name"] == "smb2":
			flush()
			cur = &sharkHandle{}
		case se.Name.Local == "field" && attr["name"] == "num" && cur == nil:
			frame, _ = strconv.Atoi(attr["show"])
		case cur == nil || se.Name.Local != "field":
		case attr["name"] == "smb2.cmd" && cur.cmd == "":
			cur.cmd = attr["show"]
		case strings.HasPrefix(attr["show"], "GUID handle") && !cur.handle:
			cur.handle = true
			cur.name, cur.named = strings.CutPrefix(attr["show"], "GUID handle File: ")
		}
	}
	flush()
	return res
}

func TestTsharkHandles(t *testing.T) {
	bin := tsharktest.Path(t)
	var compared, equal, expected int
	reasons := map[string]int{}
	for _, rel := range sharkFiles {
		t.Run(rel, func(t *testing.T) {
			file := capturetest.Path(t, rel)
			want := pdmlHandles(t, bin, file)
			shared := NewSessions(Limits{})
			states := map[int]*State{}
			got := map[int][]*Message{}
			for _, p := range capturePDUs(t, file) {
				ms, _ := Parse(p.data)
				if states[p.stream] == nil {
					states[p.stream] = NewState(Limits{}, shared)
				}
				for i := range ms {
					states[p.stream].Track(&ms[i])
					if ms[i].Kind == KindSMB2 {
						got[p.frame] = append(got[p.frame], &ms[i])
					}
				}
			}
			for f, ws := range want {
				gs := got[f]
				if len(gs) != len(ws) {
					if lookupDiff(rel, f, "smb2.cmd", ws[0].cmd) == "" {
						t.Errorf("frame %d: %d messages, tshark %d", f, len(gs), len(ws))
					}
					continue
				}
				for i, w := range ws {
					m := gs[i]
					if strconv.Itoa(int(m.Command)) != w.cmd {
						t.Errorf("frame %d message %d: command %d, tshark %s", f, i, m.Command, w.cmd)
						continue
					}
					_, has := m.FileID()
					if !w.handle || !has {
						continue
					}
					compared++
					wn := w.name
					if !w.named {
						wn = "(unknown)"
					}
					gn := m.Filename
					if !m.HasFile {
						gn = "(unknown)"
					}
					if why := handleDiff(m, wn); why != "" && gn != wn {
						expected++
						reasons[why]++
						continue
					}
					if gn != wn {
						t.Errorf("frame %d message %d (%s): file %q, tshark %q", f, i, m.Name(), gn, wn)
						continue
					}
					equal++
				}
			}
		})
	}
	t.Logf("%d file handles compared: %d equal, %d expected differences %v", compared, equal, expected, reasons)
}

// handleDiff explains where State names a file tshark cannot.
func handleDiff(m *Message, tshark string) string {
	if tshark != "(unknown)" {
		return ""
	}
	fid, _ := m.FileID()
	req := m
	if m.Request != nil {
		req = m.Request
	}
	rf, _ := req.FileID()
	switch {
	case m.IsAsync():
		// tshark looks a handle up under the header's tree id, which
		// the async header of a final response lacks; State takes the
		// request's file.
		return "async response"
	case fid == AnyFileID || rf == AnyFileID:
		// A related operation of a compound names its file by the
		// all-ones handle: tshark does not follow the chain.
		return "related operation"
	}
	return ""
}
