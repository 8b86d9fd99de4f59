package smb2_test

// The security blobs of NEGOTIATE and SESSION_SETUP, unwrapped by
// dissectors/spnego and decoded by dissectors/ntlmssp, against tshark's
// spnego.*, kerberos.msg_type and ntlmssp.* fields, and the users State
// learns against tshark's NTLMSSP user names.

import (
	. "github.com/wirelark/wirelark/dissectors/smb2"

	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/dissectors/ntlmssp"
	"github.com/wirelark/wirelark/dissectors/spnego"
	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

var blobFields = []string{
	"frame.number", "spnego.MechType", "spnego.negResult", "spnego.supportedMech",
	"spnego.hintName", "kerberos.msg_type", "ntlmssp.messagetype", "ntlmssp.auth.username",
}

func securityBlob(m *Message) ([]byte, bool) {
	switch b := m.Body.(type) {
	case *NegotiateResponse:
		return b.SecurityBlob, true
	case *SessionSetupRequest:
		return b.SecurityBlob, true
	case *SessionSetupResponse:
		return b.SecurityBlob, true
	}
	return nil, false
}

// blobCells renders the tokens of a frame's messages as tshark's cells.
func blobCells(t *testing.T, frame int, ms []*Message) []string {
	var mechs, neg, sup, hint, krb, ntlm, user []string
	for _, m := range ms {
		blob, ok := securityBlob(m)
		if !ok || len(blob) == 0 {
			continue
		}
		tok, err := spnego.Unwrap(blob)
		if err != nil {
			t.Errorf("frame %d: %v", frame, err)
			continue
		}
		for _, o := range tok.MechTypes {
			mechs = append(mechs, o.String())
		}
		if tok.NegState != spnego.NegStateAbsent {
			neg = append(neg, strconv.Itoa(tok.NegState))
		}
		if tok.SupportedMech != nil {
			sup = append(sup, tok.SupportedMech.String())
		}
		if tok.HintName != "" {
			hint = append(hint, tok.HintName)
		}
		switch {
		case tok.IsKerberos() && len(tok.Inner) > 0:
			// [APPLICATION n]: the Kerberos message type.
			krb = append(krb, strconv.Itoa(int(tok.Inner[0]&0x1f)))
		case tok.IsNTLMSSP():
			a, err := ntlmssp.Parse(tok.Inner)
			if err != nil {
				t.Errorf("frame %d: %v", frame, err)
				continue
			}
			ntlm = append(ntlm, fmt.Sprintf("0x%08x", a.Type))
			if a.Type == ntlmssp.TypeAuthenticate {
				u := a.User
				if u == "" {
					u = "NULL"
				}
				user = append(user, u)
			}
		}
	}
	j := func(v []string) string { return strings.Join(v, ",") }
	return []string{j(mechs), j(neg), j(sup), j(hint), j(krb), j(ntlm), j(user)}
}

func TestTsharkSecurityBlobs(t *testing.T) {
	bin := tsharktest.Path(t)
	var tokens, values, equal int
	for _, rel := range sharkFiles {
		t.Run(rel, func(t *testing.T) {
			file, rows := capturetest.SharkFields(t, bin, rel, blobFields, "smb2 && (spnego || ntlmssp)")
			byFrame := map[int][]*Message{}
			for _, p := range capturePDUs(t, file) {
				ms, _ := Parse(p.data)
				for i := range ms {
					if _, ok := securityBlob(&ms[i]); ok {
						byFrame[p.frame] = append(byFrame[p.frame], &ms[i])
					}
				}
			}
			for _, r := range rows {
				n, _ := strconv.Atoi(r[0])
				tokens += len(byFrame[n])
				v, e := capturetest.CompareCells(t, n, blobFields[1:], r[1:], blobCells(t, n, byFrame[n]))
				values += v
				equal += e
			}
		})
	}
	t.Logf("%d tokens, %d values compared: %d equal", tokens, values, equal)
}
