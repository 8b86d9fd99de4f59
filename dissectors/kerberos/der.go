package kerberos

import (
	"encoding/asn1"
	"errors"
)

// A few DER reads with the standard library, for what gokrb5 does not
// cover: the GSS-API token framing and the messages only recognised.

// recognise checks the framing of a KRB-SAFE, KRB-PRIV or KRB-CRED (the
// APPLICATION tag, a SEQUENCE, pvno [0] and msg-type [1]) without decoding
// its body.
func recognise(b []byte, t MsgType) (*Message, error) {
	var app asn1.RawValue
	if _, err := asn1.Unmarshal(b, &app); err != nil {
		return nil, err
	}
	if app.Class != asn1.ClassApplication || app.Tag != int(t) || !app.IsCompound {
		return nil, errors.New("not an application tag")
	}
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(app.Bytes, &seq); err != nil {
		return nil, err
	}
	if seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, errors.New("not a SEQUENCE")
	}
	pvno, rest, err := explicitInt(seq.Bytes, 0)
	if err != nil {
		return nil, err
	}
	mt, _, err := explicitInt(rest, 1)
	if err != nil {
		return nil, err
	}
	if mt != int(t) {
		return nil, errors.New("msg-type does not match the application tag")
	}
	return &Message{Type: t, PVNO: pvno}, nil
}

// explicitInt reads an INTEGER in an explicit context tag.
func explicitInt(b []byte, tag int) (int, []byte, error) {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(b, &v)
	if err != nil {
		return 0, nil, err
	}
	if v.Class != asn1.ClassContextSpecific || v.Tag != tag {
		return 0, nil, errors.New("missing field")
	}
	var n int
	if _, err := asn1.Unmarshal(v.Bytes, &n); err != nil {
		return 0, nil, err
	}
	return n, rest, nil
}
