package smb_test

// Command fields against tshark: the fields of the decoded bodies that
// Wireshark also shows, per frame, in tshark's order.

import (
	. "github.com/wirelark/wirelark/dissectors/smb"

	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// detailFields are compared as field -> our values for a message.
var detailFields = []struct {
	field string
	ours  func(m *Message) []string
}{
	{"smb.dialect.name", func(m *Message) []string {
		if r, ok := m.Body.(*NegotiateRequest); ok {
			return r.Dialects
		}
		return nil
	}},
	{"smb.dialect.index", func(m *Message) []string {
		if r, ok := m.Body.(*NegotiateResponse); ok {
			return []string{strconv.Itoa(int(r.DialectIndex))}
		}
		return nil
	}},
	{"smb.max_mpx_count", func(m *Message) []string {
		if r, ok := m.Body.(*NegotiateResponse); ok && m.WordCount >= 13 {
			return []string{strconv.Itoa(int(r.MaxMpxCount))}
		}
		return nil
	}},
	{"smb.sm", func(m *Message) []string {
		if r, ok := m.Body.(*NegotiateResponse); ok && m.WordCount >= 17 {
			return []string{fmt.Sprintf("0x%02x", r.SecurityMode)}
		}
		return nil
	}},
	{"smb.server_guid", func(m *Message) []string {
		if r, ok := m.Body.(*NegotiateResponse); ok && r.ExtendedSecure {
			// Wireshark prints the 16 bytes in wire order.
			g := r.ServerGUID
			return []string{fmt.Sprintf("%x-%x-%x-%x-%x", g[:4], g[4:6], g[6:8], g[8:10], g[10:])}
		}
		return nil
	}},
	{"smb.service", func(m *Message) []string {
		switch r := m.Body.(type) {
		case *TreeConnectRequest:
			return []string{r.Service}
		case *TreeConnectResponse:
			return []string{r.Service}
		}
		return nil
	}},
	{"smb.native_fs", func(m *Message) []string {
		if r, ok := m.Body.(*TreeConnectResponse); ok && r.NativeFileSystem != "" {
			return []string{r.NativeFileSystem}
		}
		return nil
	}},
	{"smb.native_os", func(m *Message) []string {
		switch r := m.Body.(type) {
		case *SessionSetupRequest:
			return nonEmpty(r.NativeOS)
		case *SessionSetupResponse:
			return nonEmpty(r.NativeOS)
		}
		return nil
	}},
	{"smb.account", func(m *Message) []string {
		if r, ok := m.Body.(*SessionSetupRequest); ok {
			return nonEmpty(r.Account)
		}
		return nil
	}},
	{"smb.trans_name", func(m *Message) []string {
		if r, ok := m.Body.(*TransRequest); ok && m.Command == CmdTransaction {
			return []string{r.Name}
		}
		return nil
	}},
	{"smb.search_pattern", func(m *Message) []string {
		if r, ok := m.Body.(*TransRequest); ok && m.Command == CmdTransaction2 &&
			(r.Sub.Sub == Trans2FindFirst2 || r.Sub.Sub == Trans2FindNext2) {
			return []string{r.Sub.FileName}
		}
		return nil
	}},
	{"smb.create.disposition", func(m *Message) []string {
		if r, ok := m.Body.(*NTCreateRequest); ok {
			return []string{strconv.Itoa(int(r.Disposition))}
		}
		return nil
	}},
	{"smb.fid", func(m *Message) []string {
		// Wireshark shows the fid of the commands that carry one.
		switch r := m.Body.(type) {
		case *NTCreateResponse:
			return []string{fmt.Sprintf("0x%04x", r.FID)}
		case *ReadRequest:
			return []string{fmt.Sprintf("0x%04x", r.FID)}
		case *WriteRequest:
			return []string{fmt.Sprintf("0x%04x", r.FID)}
		case *FIDRequest:
			if m.Command == CmdClose || m.Command == CmdFlush {
				return []string{fmt.Sprintf("0x%04x", r.FID)}
			}
		}
		return nil
	}},
	{"smb.offset", func(m *Message) []string {
		switch r := m.Body.(type) {
		case *ReadRequest:
			return []string{strconv.FormatUint(r.Offset&0xFFFFFFFF, 10)}
		case *WriteRequest:
			return []string{strconv.FormatUint(r.Offset&0xFFFFFFFF, 10)}
		}
		return nil
	}},
	{"smb.ff2_loi", func(m *Message) []string { return level(m, Trans2FindFirst2, Trans2FindNext2) }},
	{"smb.qfsi_loi", func(m *Message) []string {
		if l := level(m, Trans2QueryFSInfo); l != nil {
			n, _ := strconv.Atoi(l[0])
			return []string{fmt.Sprintf("0x%04x", n)}
		}
		return nil
	}},
	{"smb.qpi_loi", func(m *Message) []string { return level(m, Trans2QueryPathInfo, Trans2QueryFileInfo) }},
	{"smb.nt.function", func(m *Message) []string {
		if r, ok := m.Body.(*TransRequest); ok && m.Command == CmdNTTransact {
			return []string{strconv.Itoa(int(r.Function))}
		}
		return nil
	}},
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// level gives a Trans2 request's information level if its sub-command is
// one of subs.
func level(m *Message, subs ...uint16) []string {
	r, ok := m.Body.(*TransRequest)
	if !ok || m.Command != CmdTransaction2 || !r.Sub.HasInfoLevel {
		return nil
	}
	for _, s := range subs {
		if r.Sub.Sub == s {
			return []string{strconv.Itoa(int(r.Sub.InfoLevel))}
		}
	}
	return nil
}

func TestTsharkDetails(t *testing.T) {
	bin := tsharktest.Path(t)
	fields := []string{"frame.number", "tcp.stream", "tcp.srcport"}
	for _, d := range detailFields {
		fields = append(fields, d.field)
	}
	values, equal := map[string]int{}, map[string]int{}
	for _, name := range smb1Captures {
		file, pdus, ok := readCapture(t, name)
		if !ok {
			continue
		}
		ours := byFrame(pdus)
		rows, err := tsharktest.Fields(bin, file, fields, "-Y", "smb")
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if row[1] == "" {
				continue
			}
			fr, _ := strconv.Atoi(row[0])
			st, _ := strconv.Atoi(row[1])
			ps := ours[frameKey{st, row[2], fr}]
			for i, d := range detailFields {
				var got []string
				for _, p := range ps {
					for j := range p.msgs {
						got = append(got, d.ours(&p.msgs[j])...)
					}
				}
				// Wireshark adds generated copies of some fields
				// (the disposition and fid of a create on every
				// later message of the fid), so each value we decode
				// must be among tshark's, each of theirs used once.
				want := splitList(row[3+i])
				for _, g := range got {
					values[d.field]++
					if j := slices.Index(want, g); j >= 0 {
						equal[d.field]++
						want = slices.Delete(want, j, j+1)
					} else {
						t.Errorf("%s frame %d %s: %q not among tshark's %q", name, fr, d.field, g, row[3+i])
					}
				}
			}
		}
	}
	n, e := 0, 0
	for f, v := range values {
		n += v
		e += equal[f]
	}
	if n == 0 {
		t.Skip("no SMB1 capture under " + capturetest.Dir())
	}
	t.Logf("%d command field values compared with tshark, %d equal: %v", n, e, values)
}
