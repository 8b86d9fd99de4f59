package kerberos_test

// The differential test: every Kerberos message of the shared captures,
// decoded by Parse (UDP and TCP port 88) and ParseGSS (the SPNEGO tokens of
// SMB2 and LDAP), against tshark's kerberos.* fields for the same frame.

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/wirelark/wirelark/internal/tsharktest"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// captureFiles are the captures compared, relative to ../shared.
var captureFiles = []string{
	"captures/kerberos.pcap",
	"corpus/kerberos/aduser1.pcap",
	"corpus/kerberos/kinit.pcap",
	"corpus/kerberos/kerberos_tso.pcapng",
	"corpus/kerberos/smb2_krb.pcap",
	"captures/mixed_office.pcap",
}

// sharkFields are the tshark fields compared, after frame.number.
var sharkFields = []string{
	"kerberos.msg_type", "kerberos.padata_type", "kerberos.kdc_options", "kerberos.ap_options",
	"kerberos.name_type", "kerberos.CNameString", "kerberos.crealm", "kerberos.realm",
	"kerberos.SNameString", "kerberos.from", "kerberos.till", "kerberos.rtime", "kerberos.nonce",
	"kerberos.ENCTYPE", "kerberos.etype", "kerberos.error_code", "kerberos.e_text",
	"kerberos.stime", "_ws.col.Info",
}

// timeFields hold one absolute time each: tshark writes "Nov 23, 2026
// 17:53:56.000000000 UTC", whose comma is also the aggregator.
var timeFields = map[string]bool{
	"kerberos.from": true, "kerberos.till": true, "kerberos.rtime": true, "kerberos.stime": true,
}

// view is what a frame's messages give for each field: a list of values in
// tshark's tree order. "*" in kerberos.etype stands for the etypes inside
// padata this package does not decode (FAST armour, PKINIT).
type view map[string][]string

func (v view) add(field string, vals ...string) { v[field] = append(v[field], vals...) }

func itoa[T ~int | ~int32 | ~uint32](n T) string { return strconv.FormatInt(int64(n), 10) }

func (v view) principal(field string, p Principal) {
	if p.IsZero() {
		return
	}
	v.add("kerberos.name_type", itoa(p.NameType))
	v.add(field, p.Components...)
}

func (v view) ticket(tk *Ticket) {
	v.add("kerberos.realm", tk.Realm)
	v.principal("kerberos.SNameString", tk.SName)
	v.add("kerberos.etype", itoa(tk.EType))
}

func (v view) ap(ap *APReq) {
	v.add("kerberos.msg_type", "14")
	v.add("kerberos.ap_options", fmt.Sprintf("%08x", uint32(ap.Options)))
	v.ticket(&ap.Ticket)
	v.add("kerberos.etype", itoa(ap.AuthenticatorEType))
}

func (v view) time(field string, t int64) {
	if t != 0 {
		v.add(field, strconv.FormatInt(t, 10))
	}
}

// padata adds what tshark shows inside the padata: the AP-REQ of a
// PA-TGS-REQ, the etypes of PA-ENC-TIMESTAMP and PA-ETYPE-INFO2.
func (v view) padata(m *Message) {
	info2 := false
	for _, pa := range m.PAData {
		v.add("kerberos.padata_type", itoa(pa.Type))
		switch {
		case len(pa.Value) == 0:
		case pa.Type == PATGSReq && m.AP != nil:
			v.ap(m.AP)
		case pa.Type == PAEncTS:
			var ed types.EncryptedData
			if ed.Unmarshal(pa.Value) == nil {
				v.add("kerberos.etype", itoa(ed.EType))
			}
		case pa.Type == PAETypeInfo2 && !info2:
			info2 = true
			for _, e := range m.ETypeInfo2 {
				v.add("kerberos.etype", itoa(e))
			}
		case pa.Type == PAPACRequest || pa.Type == 133 || pa.Type == 149 || pa.Type == 150 || pa.Type == 167:
			// PA-PAC-REQUEST, PA-FX-COOKIE, PA-REQ-ENC-PA-REP,
			// PA-AS-FRESHNESS, PA-PAC-OPTIONS: no etype inside.
		default:
			// Padata this package does not look into (FAST armour,
			// PKINIT, whose certificates name a principal and realm).
			for _, f := range wildFields {
				v.add(f, "*")
			}
		}
	}
}

// wildFields are the fields an undecoded padata may hold values of.
var wildFields = []string{"kerberos.etype", "kerberos.name_type", "kerberos.realm"}

// render gives the view of a frame's messages.
func render(msgs []*Message) view {
	v := view{}
	for _, m := range msgs {
		v.add("kerberos.msg_type", itoa(m.Type))
		switch m.Type {
		case ASReq, TGSReq:
			v.padata(m)
			v.add("kerberos.kdc_options", fmt.Sprintf("%08x", uint32(m.KDCOptions)))
			v.principal("kerberos.CNameString", m.CName)
			v.add("kerberos.realm", m.Realm)
			v.principal("kerberos.SNameString", m.SName)
			v.time("kerberos.from", m.From)
			v.time("kerberos.till", m.Till)
			v.time("kerberos.rtime", m.RTime)
			v.add("kerberos.nonce", itoa(m.Nonce))
			for _, e := range m.ETypes {
				v.add("kerberos.ENCTYPE", itoa(e))
			}
			if m.EncAuthData {
				v.add("kerberos.etype", itoa(m.EncAuthDataEType))
			}
			for i := range m.AdditionalTickets {
				v.ticket(&m.AdditionalTickets[i])
			}
		case ASRep, TGSRep:
			v.padata(m)
			v.add("kerberos.crealm", m.CRealm)
			v.principal("kerberos.CNameString", m.CName)
			v.ticket(m.Ticket)
			v.add("kerberos.etype", itoa(m.EncPartEType))
		case APReqMsg:
			v["kerberos.msg_type"] = v["kerberos.msg_type"][:len(v["kerberos.msg_type"])-1]
			v.ap(m.AP)
		case APRepMsg:
			v.add("kerberos.etype", itoa(m.EncPartEType))
		case KRBError:
			v.time("kerberos.stime", m.STime)
			v.add("kerberos.error_code", itoa(m.ErrorCode))
			if m.CRealm != "" {
				v.add("kerberos.crealm", m.CRealm)
			}
			v.principal("kerberos.CNameString", m.CName)
			v.add("kerberos.realm", m.Realm)
			v.principal("kerberos.SNameString", m.SName)
			if m.EText != "" {
				v.add("kerberos.e_text", m.EText)
			}
			// tshark 4.0 reads e-data as METHOD-DATA only for some
			// codes (PREAUTH_REQUIRED and PREAUTH_FAILED among them),
			// not for S_PRINCIPAL_UNKNOWN or BADOPTION, where MIT's KDC
			// sends a METHOD-DATA with PA-FX-FAST (RFC 6113 §5.4.3)
			// that this package does read: leave those out.
			if m.ErrorCode == ErrPreauthRequired || m.ErrorCode == ErrPreauthFailed {
				v.padata(m)
			}
		}
	}
	if len(msgs) == 1 {
		if m := msgs[0]; m.Type == KRBError {
			v.add("_ws.col.Info", "KRB Error: "+m.ErrorCode.String())
		} else {
			v.add("_ws.col.Info", m.Type.String())
		}
	}
	return v
}

// matchWild reports whether got equals want, where "*" in want matches
// any run of values.
func matchWild(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "*" {
		for i := 0; i <= len(got); i++ {
			if matchWild(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0] == got[0] && matchWild(want[1:], got[1:])
}

// sharkTime turns tshark's absolute time into Unix seconds.
func sharkTime(s string) (string, error) {
	t, err := time.Parse("Jan 2, 2006 15:04:05.000000000 MST", strings.Join(strings.Fields(s), " "))
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(t.Unix(), 10), nil
}

// tally counts what a comparison covered.
type tally struct{ frames, msgs, values, equal, nonEmpty, wild int }

// compareFrame compares one frame's messages with tshark's row.
// The Info column is compared only where Kerberos is the frame's top
// protocol (gss false).
func compareFrame(t *testing.T, where string, msgs []*Message, row []string, gss bool, tl *tally) {
	t.Helper()
	v := render(msgs)
	if slices.Contains(v["kerberos.etype"], "*") {
		tl.wild++
	}
	tl.frames++
	tl.msgs += len(msgs)
	for i, f := range sharkFields {
		cell := row[i+1]
		var got []string
		switch {
		case f == "_ws.col.Info":
			if len(msgs) != 1 || gss {
				continue
			}
			got = []string{cell}
		case cell == "":
		case timeFields[f]:
			u, err := sharkTime(cell)
			if err != nil {
				t.Errorf("%s: %s %q: %v", where, f, cell, err)
				continue
			}
			got = []string{u}
		default:
			got = strings.Split(cell, ",")
		}
		want := v[f]
		tl.values++
		ok := matchWild(want, got)
		if f == "_ws.col.Info" {
			// tshark appends to the Info of a frame that also carries
			// other protocols' messages; the Kerberos part comes first.
			ok = strings.HasPrefix(cell, want[0])
		}
		if !ok {
			t.Errorf("%s: %s: ours %q, tshark %q", where, f, want, got)
			continue
		}
		tl.equal++
		if len(got) > 0 {
			tl.nonEmpty++
		}
	}
}

func sharkRows(t *testing.T, bin, file, filter string, extra ...string) map[int][]string {
	t.Helper()
	rows, err := tsharktest.Fields(bin, file, append([]string{"frame.number"}, append(sharkFields, extra...)...), "-Y", filter)
	if err != nil {
		t.Fatal(err)
	}
	byFrame := map[int][]string{}
	for _, r := range rows {
		n, err := strconv.Atoi(r[0])
		if err != nil {
			t.Fatalf("frame number %q", r[0])
		}
		byFrame[n] = r
	}
	return byFrame
}

// TestSharkPort88 compares the messages on port 88 (UDP, then TCP).
func TestSharkPort88(t *testing.T) {
	bin := tsharktest.Path(t)
	var total tally
	for _, rel := range captureFiles {
		t.Run(baseName(rel), func(t *testing.T) {
			file := capturetest.Path(t, rel)
			rows := sharkRows(t, bin, file, "kerberos and (udp.port == 88 or tcp.port == 88)")
			byFrame := map[int][]*Message{}
			var frames []int
			var tl tally
			udp, tcp := 0, 0
			for _, w := range port88Messages(t, file) {
				m, err := Parse(w.data)
				if err != nil {
					t.Errorf("frame %d: %v", w.frame, err)
					continue
				}
				if w.tcp {
					tcp++
				} else {
					udp++
				}
				if byFrame[w.frame] == nil {
					frames = append(frames, w.frame)
				}
				byFrame[w.frame] = append(byFrame[w.frame], m)
			}
			for _, n := range frames {
				row, ok := rows[n]
				if !ok {
					t.Errorf("frame %d: %d messages tshark does not show", n, len(byFrame[n]))
					continue
				}
				compareFrame(t, fmt.Sprintf("frame %d", n), byFrame[n], row, false, &tl)
				delete(rows, n)
			}
			for n := range rows {
				t.Errorf("frame %d: tshark shows Kerberos we did not find", n)
			}
			t.Logf("%d UDP + %d TCP messages in %d frames, %d/%d fields equal (%d of them non-empty)", udp, tcp, tl.frames, tl.equal, tl.values, tl.nonEmpty)
			total.frames += tl.frames
			total.msgs += tl.msgs
			total.values += tl.values
			total.equal += tl.equal
			total.nonEmpty += tl.nonEmpty
			total.wild += tl.wild
		})
	}
	t.Logf("all files: %d messages in %d frames, %d/%d fields equal (%d of them non-empty); %d frames with padata left to wildcards",
		total.msgs, total.frames, total.equal, total.values, total.nonEmpty, total.wild)
}

// TestSharkGSS compares the Kerberos tokens SPNEGO carries (SMB2 session
// setup, LDAP bind), as tshark extracts them (spnego.mechToken and
// spnego.responseToken), decoded by ParseGSS.
func TestSharkGSS(t *testing.T) {
	bin := tsharktest.Path(t)
	var total tally
	for _, rel := range captureFiles {
		file := capturetest.Path(t, rel)
		rows := sharkRows(t, bin, file, "kerberos and not (udp.port == 88 or tcp.port == 88)",
			"spnego.mechToken", "spnego.responseToken")
		for n, row := range rows {
			var msgs []*Message
			for _, tok := range row[len(row)-2:] {
				if tok == "" {
					continue
				}
				b, err := hex.DecodeString(tok)
				if err != nil {
					t.Fatalf("%s frame %d: token %q: %v", rel, n, tok, err)
				}
				m, err := ParseGSS(b)
				if err != nil {
					t.Errorf("%s frame %d: %v", rel, n, err)
					continue
				}
				msgs = append(msgs, m)
			}
			compareFrame(t, fmt.Sprintf("%s frame %d", rel, n), msgs, row, true, &total)
		}
	}
	if total.msgs == 0 {
		t.Fatal("no GSS-API Kerberos tokens found")
	}
	t.Logf("%d GSS-API tokens in %d frames, %d/%d fields equal (%d of them non-empty)", total.msgs, total.frames, total.equal, total.values, total.nonEmpty)
}

func baseName(rel string) string { return rel[strings.LastIndexByte(rel, '/')+1:] }
