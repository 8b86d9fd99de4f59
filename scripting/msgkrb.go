package scripting

import (
	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/dissectors/kerberos"
	"github.com/wirelark/wirelark/engine/packet"
)

// Kerberos messages (kerberos_msg): what dissectors/kerberos reads of an
// AS-REQ, AS-REP, TGS-REQ, TGS-REP, AP-REQ, AP-REP or KRB-ERROR without
// keys, with Zeek's kerberos.log helpers, besides the kerberos.* registry
// fields.

// krbAttr makes an attribute from the layer's decoded message; a message
// the dissector could not decode has None for every attribute.
func krbAttr(get func(k *kerberos.Message) starlark.Value) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		k := p.KerberosMessage(l)
		if k == nil {
			return starlark.None
		}
		return get(k)
	}
}

// optStr is s, or None when it is empty.
func optStr(s string) starlark.Value {
	if s == "" {
		return starlark.None
	}
	return starlark.String(s)
}

// krbTime is a Kerberos time (Unix seconds) as float seconds, None when
// absent.
func krbTime(sec int64) starlark.Value {
	if sec == 0 {
		return starlark.None
	}
	return starlark.Float(sec)
}

func strList(ss []string) *starlark.List {
	vs := make([]starlark.Value, len(ss))
	for i, s := range ss {
		vs[i] = starlark.String(s)
	}
	return starlark.NewList(vs)
}

// krbService is the service principal the message is about: the one a
// request or error names, the ticket's in a reply or AP-REQ.
func krbService(k *kerberos.Message) string {
	if s := k.ZeekService(); s != "" {
		return s
	}
	if k.Ticket != nil {
		return k.Ticket.SName.String()
	}
	return ""
}

var kerberosKind = newKind("kerberos_msg", "on_kerberos", map[string]msgAttr{
	"msg_type": krbAttr(func(k *kerberos.Message) starlark.Value { return starlark.String(k.Type.String()) }),
	"request_type": krbAttr(func(k *kerberos.Message) starlark.Value {
		return optStr(k.RequestType())
	}),
	"is_request": krbAttr(func(k *kerberos.Message) starlark.Value { return starlark.Bool(k.IsRequest()) }),
	"success": krbAttr(func(k *kerberos.Message) starlark.Value {
		if ok, known := k.Success(); known {
			return starlark.Bool(ok)
		}
		return starlark.None
	}),
	"client": krbAttr(func(k *kerberos.Message) starlark.Value { return optStr(k.CName.String()) }),
	"realm": krbAttr(func(k *kerberos.Message) starlark.Value {
		if k.CRealm != "" {
			return starlark.String(k.CRealm)
		}
		if k.Realm != "" {
			return starlark.String(k.Realm)
		}
		if k.Ticket != nil {
			return optStr(k.Ticket.Realm)
		}
		return starlark.None
	}),
	"zeek_client": krbAttr(func(k *kerberos.Message) starlark.Value { return optStr(k.ZeekClient()) }),
	"service":     krbAttr(func(k *kerberos.Message) starlark.Value { return optStr(krbService(k)) }),
	"etypes": krbAttr(func(k *kerberos.Message) starlark.Value {
		names := make([]string, len(k.ETypes))
		for i, e := range k.ETypes {
			names[i] = e.String()
		}
		return strList(names)
	}),
	"cipher": krbAttr(func(k *kerberos.Message) starlark.Value { return optStr(k.Cipher()) }),
	"error": krbAttr(func(k *kerberos.Message) starlark.Value {
		if k.Type != kerberos.KRBError {
			return starlark.None
		}
		return starlark.String(k.ErrorCode.String())
	}),
	"error_code": krbAttr(func(k *kerberos.Message) starlark.Value {
		if k.Type != kerberos.KRBError {
			return starlark.None
		}
		return starlark.MakeInt(int(k.ErrorCode))
	}),
	"error_msg":    krbAttr(func(k *kerberos.Message) starlark.Value { return optStr(k.ErrorMsg()) }),
	"zeek_ignored": krbAttr(func(k *kerberos.Message) starlark.Value { return starlark.Bool(k.ZeekIgnored()) }),
	"valid_from":   krbAttr(func(k *kerberos.Message) starlark.Value { return krbTime(k.From) }),
	"till":         krbAttr(func(k *kerberos.Message) starlark.Value { return krbTime(k.Till) }),
	"rtime":        krbAttr(func(k *kerberos.Message) starlark.Value { return krbTime(k.RTime) }),
	"flags":        krbAttr(func(k *kerberos.Message) starlark.Value { return strList(k.KDCOptions.Names()) }),
	"forwardable":  krbAttr(func(k *kerberos.Message) starlark.Value { return starlark.Bool(k.Forwardable()) }),
	"renewable":    krbAttr(func(k *kerberos.Message) starlark.Value { return starlark.Bool(k.Renewable()) }),
})
