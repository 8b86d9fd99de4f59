package packet

import (
	"bytes"
	"strings"

	"github.com/wirelark/wirelark/dissectors/ntstatus"
	"github.com/wirelark/wirelark/dissectors/smb"
	"github.com/wirelark/wirelark/dissectors/smb2"
)

// SMB1 and SMB2/3 layers: one per NBSS session message. Their fields come
// from the dissectors' parse of the layer's bytes (dissectors/smb,
// dissectors/smb2), made once per packet and layer; a PDU of compounded
// SMB2 messages or an SMB1 AndX chain has one value per message, as
// Wireshark lists them.

// SMBMessages returns the SMB1 messages of layer l (an AndX chain is
// several), parsed once per packet.
func (p *Packet) SMBMessages(l *Layer) []smb.Message { return p.parsedOf(l).smb }

// SMB2Messages returns the SMB2 messages of layer l (a compound is
// several), parsed once per packet.
func (p *Packet) SMB2Messages(l *Layer) []smb2.Message { return p.parsedOf(l).smb2 }

// smbLayer adds the layer of one SMB1 or SMB2 PDU.
func (p *Packet) smbLayer(id ProtoID, off, end int) {
	hl := 32
	if id == ProtoSMB2 {
		hl = 64
	}
	l := p.add(id, off, min(off+hl, end), end)
	if l == nil {
		return
	}
	if end-off < hl {
		p.bad(l, "SMB header cut short")
		return
	}
	if id == ProtoSMB2 {
		p.sessionSetupKerberos(l)
	}
}

// sessionSetupKerberos adds a kerberos layer for each Kerberos message
// (AP-REQ, AP-REP, KRB-ERROR) that an SMB2 SESSION_SETUP's security blob
// carries inside SPNEGO and the GSS-API wrapper, as Wireshark's
// spnego-krb5 shows it, so that kerberos.* fields and on_kerberos see
// the Kerberos of SMB sessions too.
func (p *Packet) sessionSetupKerberos(l *Layer) {
	idx := p.layerIndex(l)
	ms := p.SMB2Messages(l)
	for i := range ms {
		var blob []byte
		switch b := ms[i].Body.(type) {
		case *smb2.SessionSetupRequest:
			blob = b.SecurityBlob
		case *smb2.SessionSetupResponse:
			blob = b.SecurityBlob
		}
		if len(blob) == 0 {
			continue
		}
		tok, _, err := smb2.SecurityToken(blob)
		if err != nil || tok == nil || !tok.IsKerberos() || len(tok.Inner) == 0 {
			continue
		}
		// The blob is a copy; the token's bytes are found in the PDU so
		// that the layer points into the packet as every layer does.
		pl := &p.Layers[idx]
		at := bytes.Index(p.Data[pl.Hdr:pl.End], tok.Inner)
		if at < 0 {
			continue
		}
		off := pl.Hdr + at
		if k := p.add(ProtoKerberos, off, off, off+len(tok.Inner)); k != nil && p.KerberosMessage(k) == nil {
			p.bad(k, "Kerberos message could not be decoded")
		}
	}
}

// smb2Field declares a field with one value per SMB2 message of a layer
// (get reports false where the message has none).
func smb2Field(name, label string, t Type, base Base, size uint8, get func(m *smb2.Message) (Value, bool)) *Field {
	return computed(name, label, t, base, size, "", func(p *Packet, l *Layer, dst []Value) []Value {
		ms := p.SMB2Messages(l)
		for i := range ms {
			if v, ok := get(&ms[i]); ok {
				dst = append(dst, v)
			}
		}
		return dst
	})
}

func smbField(name, label string, t Type, base Base, size uint8, get func(m *smb.Message) (Value, bool)) *Field {
	return computed(name, label, t, base, size, "", func(p *Packet, l *Layer, dst []Value) []Value {
		ms := p.SMBMessages(l)
		for i := range ms {
			if v, ok := get(&ms[i]); ok {
				dst = append(dst, v)
			}
		}
		return dst
	})
}

// plain reports whether m has an SMB2 header (not a transform).
func plain(m *smb2.Message) bool { return m.Kind == smb2.KindSMB2 }

var (
	smb2CmdNames = func() map[uint64]string {
		t := map[uint64]string{}
		for c := uint16(0); c <= 0x12; c++ {
			t[uint64(c)] = smb2.DisplayName(c)
		}
		return t
	}()
	smbCmdNames = func() map[uint64]string {
		t := map[uint64]string{}
		for c := 0; c < 256; c++ {
			if s := smb.CommandDisplayName(uint8(c)); !strings.HasPrefix(s, "Unknown") {
				t[uint64(c)] = s
			}
		}
		return t
	}()
)

var (
	fSMB2Cmd = withStrings(smb2Field("smb2.cmd", "Command", TUint, Dec, 2, func(m *smb2.Message) (Value, bool) {
		return Value{U: uint64(m.Command)}, plain(m)
	}), smb2CmdNames)
	fSMB2Status = smb2Field("smb2.nt_status", "NT Status", TUint, Hex, 4, func(m *smb2.Message) (Value, bool) {
		// A request's status bytes are its channel sequence: Wireshark
		// shows no status there.
		return Value{U: uint64(m.Status)}, plain(m) && m.IsResponse()
	})
	fSMB2MsgID = smb2Field("smb2.msg_id", "Message ID", TUint, Dec, 8, func(m *smb2.Message) (Value, bool) {
		return Value{U: m.MessageID}, plain(m)
	})
	fSMB2AsyncID = smb2Field("smb2.aid", "Async Id", TUint, Hex, 8, func(m *smb2.Message) (Value, bool) {
		return Value{U: m.AsyncID}, plain(m) && m.IsAsync()
	})
	fSMB2PID = smb2Field("smb2.pid", "Process Id", TUint, Hex, 4, func(m *smb2.Message) (Value, bool) {
		return Value{U: uint64(m.ProcessID)}, plain(m) && !m.IsAsync()
	})
	fSMB2TID = smb2Field("smb2.tid", "Tree Id", TUint, Hex, 4, func(m *smb2.Message) (Value, bool) {
		return Value{U: uint64(m.TreeID)}, plain(m) && !m.IsAsync()
	})
	fSMB2SesID = smb2Field("smb2.sesid", "Session Id", TUint, Hex, 8, func(m *smb2.Message) (Value, bool) {
		if m.Kind == smb2.KindEncrypted && m.Transform != nil {
			return Value{U: m.Transform.SessionID}, true
		}
		return Value{U: m.SessionID}, plain(m)
	})
	fSMB2Response = smb2Field("smb2.flags.response", "Response", TBool, Dec, 4, func(m *smb2.Message) (Value, bool) {
		return Bool(m.IsResponse()), plain(m)
	})
	fSMB2Async = smb2Field("smb2.flags.async", "Async command", TBool, Dec, 4, func(m *smb2.Message) (Value, bool) {
		return Bool(m.IsAsync()), plain(m)
	})
	fSMB2Credits = smb2Field("smb2.credit.charge", "Credit Charge", TUint, Dec, 2, func(m *smb2.Message) (Value, bool) {
		return Value{U: uint64(m.CreditCharge)}, plain(m)
	})
)

var protoSMB2 = register(&Proto{ID: ProtoSMB2, Name: "smb2", Short: "SMB2", Title: "SMB2 (Server Message Block Protocol version 2)",
	Desegmented: true, Info: smb2Info},
	fSMB2Credits, fSMB2Status, fSMB2Cmd, fSMB2Response, fSMB2Async, fSMB2MsgID, fSMB2AsyncID, fSMB2PID, fSMB2TID, fSMB2SesID)

// smb2Info is the Info column: each message's command, request or
// response, and a failure status, joined by "; " for a compound.
func smb2Info(p *Packet, l *Layer) string {
	var b strings.Builder
	for i, m := range p.SMB2Messages(l) {
		if i > 0 {
			b.WriteString("; ")
		}
		switch m.Kind {
		case smb2.KindEncrypted:
			b.WriteString("Encrypted SMB3")
			continue
		case smb2.KindCompressed:
			b.WriteString("Compressed SMB3")
			continue
		}
		b.WriteString(smb2.DisplayName(m.Command))
		if m.IsResponse() {
			b.WriteString(" Response")
			if m.Status != 0 {
				b.WriteString(", Error: " + ntstatus.Name(m.Status))
			}
		} else {
			b.WriteString(" Request")
		}
	}
	return b.String()
}

var (
	// smb.cmd is the header's command, then the next-command field of
	// each AndX block (0xFF ends the chain), as Wireshark lists them.
	fSMBCmd = withStrings(computed("smb.cmd", "SMB Command", TUint, Hex, 1, "", func(p *Packet, l *Layer, dst []Value) []Value {
		ms := p.SMBMessages(l)
		if len(ms) == 0 {
			return dst
		}
		dst = append(dst, Value{U: uint64(ms[0].Header.Command)})
		for i := range ms {
			if ms[i].HasAndX {
				dst = append(dst, Value{U: uint64(ms[i].AndX)})
			}
		}
		return dst
	}), smbCmdNames)
	fSMBStatus = smbField("smb.nt_status", "NT Status", TUint, Hex, 4, func(m *smb.Message) (Value, bool) {
		return Value{U: uint64(m.Header.Status)}, m.Chain == 0 && m.Header.NTStatus()
	})
	fSMBResponse = smbField("smb.flags.response", "Request/Response", TBool, Dec, 1, func(m *smb.Message) (Value, bool) {
		return Bool(m.IsResponse()), m.Chain == 0
	})
	fSMBPID = smbField("smb.pid", "Process ID", TUint, Dec, 2, func(m *smb.Message) (Value, bool) {
		return Value{U: uint64(m.Header.PIDLow)}, m.Chain == 0
	})
	fSMBTID = smbField("smb.tid", "Tree ID", TUint, Dec, 2, func(m *smb.Message) (Value, bool) {
		return Value{U: uint64(m.Header.TID)}, m.Chain == 0
	})
	fSMBUID = smbField("smb.uid", "User ID", TUint, Dec, 2, func(m *smb.Message) (Value, bool) {
		return Value{U: uint64(m.Header.UID)}, m.Chain == 0
	})
	fSMBMID = smbField("smb.mid", "Multiplex ID", TUint, Dec, 2, func(m *smb.Message) (Value, bool) {
		return Value{U: uint64(m.Header.MID)}, m.Chain == 0
	})
)

var protoSMB = register(&Proto{ID: ProtoSMB, Name: "smb", Short: "SMB", Title: "SMB (Server Message Block Protocol)",
	Desegmented: true, Info: smbInfo},
	fSMBCmd, fSMBStatus, fSMBResponse, fSMBPID, fSMBTID, fSMBUID, fSMBMID)

// smbInfo is the Info column: the commands of the chain, request or
// response, and a failure status.
func smbInfo(p *Packet, l *Layer) string {
	ms := p.SMBMessages(l)
	if len(ms) == 0 {
		return ""
	}
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(smb.CommandDisplayName(m.Command))
		if m.IsResponse() {
			b.WriteString(" Response")
		} else {
			b.WriteString(" Request")
		}
	}
	if h := ms[0].Header; h.IsResponse() && h.NTStatus() && h.Status != 0 {
		b.WriteString(", Error: " + ntstatus.Name(h.Status))
	}
	return b.String()
}
