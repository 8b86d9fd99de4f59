package ntlmssp_test

// The differential test: every NTLMSSP message found in the frames of the
// shared captures against tshark's ntlmssp.* fields.

import (
	. "github.com/wirelark/wirelark/dissectors/ntlmssp"

	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/capturetest"
	"github.com/wirelark/wirelark/internal/tsharktest"
)

var sharkFiles = []string{
	"captures/smb2_session.pcap",
	"captures/smb1_session.pcap",
	"captures/mixed_office.pcap",
	"corpus/kerberos/aduser1.pcap",
	"corpus/misc/mapi-with-msnms.pcap",
	"corpus/smb/raw_ntlm_in_smb.pcap",
	"corpus/smb/smb2-zero-byte-error-ioctl.pcapng",
	"corpus/smb/smb311.pcap",
	"corpus/smb/smb_v2_only_non_zero_reserved1.pcap",
}

var sharkFields = []string{
	"frame.number", "ntlmssp.messagetype", "ntlmssp.negotiateflags",
	"ntlmssp.ntlmserverchallenge", "ntlmssp.auth.domain",
	"ntlmssp.auth.username", "ntlmssp.auth.hostname",
}

// frameMessages finds the NTLMSSP messages in each frame by their
// signature, returning them by frame number.
func frameMessages(t testing.TB, file string) map[int][][]byte {
	t.Helper()
	out := map[int][][]byte{}
	capturetest.Frames(t, file, func(n int, f *source.Frame) {
		d := f.Data
		for {
			i := bytes.Index(d, []byte(Signature))
			if i < 0 {
				break
			}
			out[n] = append(out[n], bytes.Clone(d[i:]))
			d = d[i+len(Signature):]
		}
	})
	return out
}

// cells renders what we decoded as tshark's cells; tshark shows an empty
// name as NULL.
func cells(ms []*Message) []string {
	var typ, flags, chal, dom, user, host []string
	null := func(s string) string {
		if s == "" {
			return "NULL"
		}
		return s
	}
	for _, m := range ms {
		typ = append(typ, fmt.Sprintf("0x%08x", m.Type))
		flags = append(flags, fmt.Sprintf("0x%08x", m.Flags))
		switch m.Type {
		case TypeChallenge:
			chal = append(chal, fmt.Sprintf("%x", m.ServerChallenge))
		case TypeAuthenticate:
			dom, user, host = append(dom, null(m.Domain)), append(user, null(m.User)), append(host, null(m.Workstation))
		}
	}
	j := func(v []string) string { return strings.Join(v, ",") }
	return []string{j(typ), j(flags), j(chal), j(dom), j(user), j(host)}
}

func TestTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	var msgs, values, equal int
	for _, rel := range sharkFiles {
		t.Run(rel, func(t *testing.T) {
			file, rows := capturetest.SharkFields(t, bin, rel, sharkFields, "ntlmssp")
			found := frameMessages(t, file)
			for _, r := range rows {
				n, _ := strconv.Atoi(r[0])
				var ms []*Message
				for _, b := range found[n] {
					m, err := Parse(b)
					if err != nil {
						t.Errorf("frame %d: %v", n, err)
						continue
					}
					ms = append(ms, m)
				}
				delete(found, n)
				msgs += len(ms)
				v, e := capturetest.CompareCells(t, n, sharkFields[1:], r[1:], cells(ms))
				values += v
				equal += e
			}
			for n := range found {
				t.Errorf("frame %d: NTLMSSP signature where tshark shows no NTLMSSP", n)
			}
		})
	}
	t.Logf("%d messages, %d values compared: %d equal", msgs, values, equal)
}
