package packet

import (
	"encoding/binary"

	"github.com/wirelark/wirelark/dissectors/kerberos"
)

// Kerberos (RFC 4120) over UDP and TCP port 88; over TCP each message has
// a four-byte record mark, part of the kerberos layer as in Wireshark.
// Fields come from dissectors/kerberos's parse of the message, made once
// per packet and layer. Names and realms are listed in the order
// Wireshark's tree has them: a TGS-REQ shows the AP-REQ of its PA-TGS-REQ
// (message type 14, the ticket's realm and service) before its request
// body.

// KerberosMessage returns the message of layer l, parsed once per packet,
// or nil when it could not be decoded.
func (p *Packet) KerberosMessage(l *Layer) *kerberos.Message { return p.parsedOf(l).krb }

// kerberosLayer adds the layer of one Kerberos message; tcp says it
// starts with a record mark.
func (p *Packet) kerberosLayer(off, end int, tcp bool) {
	hdr := off
	if tcp {
		hdr = min(off+4, end)
	}
	if l := p.add(ProtoKerberos, off, hdr, end); l != nil && p.KerberosMessage(l) == nil {
		p.bad(l, "Kerberos message could not be decoded")
	}
}

// krbField declares a field computed from the layer's message.
func krbField(name, label string, t Type, base Base, size uint8, get func(m *kerberos.Message, dst []Value) []Value) *Field {
	return computed(name, label, t, base, size, "", func(p *Packet, l *Layer, dst []Value) []Value {
		if m := p.KerberosMessage(l); m != nil {
			return get(m, dst)
		}
		return dst
	})
}

// principal appends a principal's components, one value each, as
// Wireshark's KerberosString items.
func principal(dst []Value, pr kerberos.Principal) []Value {
	for _, c := range pr.Components {
		dst = append(dst, Str(c))
	}
	return dst
}

// apTicket is the ticket an AP-REQ presents: of the message itself, or
// of a TGS-REQ's PA-TGS-REQ.
func apTicket(m *kerberos.Message) *kerberos.Ticket {
	if m.AP != nil {
		return &m.AP.Ticket
	}
	return nil
}

var krbMsgTypeNames = func() map[uint64]string {
	t := map[uint64]string{}
	for _, v := range []kerberos.MsgType{10, 11, 12, 13, 14, 15, 20, 21, 22, 30} {
		t[uint64(v)] = v.String()
	}
	return t
}()

var (
	fKrbRMLength = &Field{Name: "kerberos.rm.length", Label: "Record Length", Type: TUint, Base: Dec, Size: 4, Mask: 0x7fffffff,
		Get: func(p *Packet, l *Layer, dst []Value) []Value {
			if l.Hdr-l.Off == 4 {
				return append(dst, Value{U: uint64(binary.BigEndian.Uint32(p.Data[l.Off:]) & 0x7fffffff)})
			}
			return dst
		}}
	fKrbMsgType = withStrings(krbField("kerberos.msg_type", "msg-type", TInt, Dec, 4, func(m *kerberos.Message, dst []Value) []Value {
		dst = append(dst, Value{I: int64(m.Type)})
		if m.Type == kerberos.TGSReq && m.AP != nil {
			dst = append(dst, Value{I: int64(kerberos.APReqMsg)})
		}
		return dst
	}), krbMsgTypeNames)
	fKrbErrorCode = krbField("kerberos.error_code", "error-code", TInt, Dec, 4, func(m *kerberos.Message, dst []Value) []Value {
		if m.Type == kerberos.KRBError {
			dst = append(dst, Value{I: int64(m.ErrorCode)})
		}
		return dst
	})
	fKrbCRealm = krbField("kerberos.crealm", "crealm", TString, Dec, 0, func(m *kerberos.Message, dst []Value) []Value {
		if m.CRealm != "" {
			dst = append(dst, Str(m.CRealm))
		}
		return dst
	})
	fKrbCName = krbField("kerberos.CNameString", "CNameString", TString, Dec, 0, func(m *kerberos.Message, dst []Value) []Value {
		return principal(dst, m.CName)
	})
	fKrbRealm = krbField("kerberos.realm", "realm", TString, Dec, 0, func(m *kerberos.Message, dst []Value) []Value {
		switch m.Type {
		case kerberos.ASReq, kerberos.TGSReq:
			if t := apTicket(m); t != nil && t.Realm != "" {
				dst = append(dst, Str(t.Realm))
			}
			if m.Realm != "" {
				dst = append(dst, Str(m.Realm))
			}
		case kerberos.ASRep, kerberos.TGSRep, kerberos.APReqMsg:
			if t := m.Ticket; t != nil && t.Realm != "" {
				dst = append(dst, Str(t.Realm))
			}
		case kerberos.KRBError:
			if m.Realm != "" {
				dst = append(dst, Str(m.Realm))
			}
		}
		return dst
	})
	fKrbSName = krbField("kerberos.SNameString", "SNameString", TString, Dec, 0, func(m *kerberos.Message, dst []Value) []Value {
		switch m.Type {
		case kerberos.ASReq, kerberos.TGSReq:
			if t := apTicket(m); t != nil {
				dst = principal(dst, t.SName)
			}
			return principal(dst, m.SName)
		case kerberos.ASRep, kerberos.TGSRep, kerberos.APReqMsg:
			if t := m.Ticket; t != nil {
				dst = principal(dst, t.SName)
			}
		case kerberos.KRBError:
			dst = principal(dst, m.SName)
		}
		return dst
	})
)

var protoKerberos = register(&Proto{ID: ProtoKerberos, Name: "kerberos", Short: "KRB5", Title: "Kerberos", Desegmented: true,
	Info: func(p *Packet, l *Layer) string {
		m := p.KerberosMessage(l)
		if m == nil {
			return ""
		}
		if m.Type == kerberos.KRBError {
			return "KRB Error: " + m.ErrorCode.String()
		}
		return m.Type.String()
	}},
	fKrbRMLength, fKrbMsgType, fKrbErrorCode, fKrbCRealm, fKrbCName, fKrbRealm, fKrbSName)
