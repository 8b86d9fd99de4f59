package kerberos

import (
	"errors"
	"fmt"
	"time"

	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

// The messages are decoded by gokrb5's messages package; this file turns
// its structures into Message.

// safely runs a gokrb5 decoder, turning a panic inside it into an error:
// the library is not written for hostile input, and a dissector must not
// take the engine down with it.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder failure: %v", r)
		}
	}()
	return f()
}

// gokrbErr replaces the errors gokrb5 returns as values of its own
// KRBError type (a reply that does not decode is retried as a KRB-ERROR,
// and a wrong msg-type is reported as one), which would otherwise read as
// if the peer had sent an error.
func gokrbErr(err error) error {
	var ke messages.KRBError
	if errors.As(err, &ke) {
		return errors.New("msg-type does not match the application tag")
	}
	return err
}

func unixTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func principal(p types.PrincipalName) Principal {
	return Principal{NameType: NameType(p.NameType), Components: p.NameString}
}

func ticket(t messages.Ticket) Ticket {
	return Ticket{Realm: t.Realm, SName: principal(t.SName), EType: EType(t.EncPart.EType), KVNO: t.EncPart.KVNO}
}

// padata copies the padata and reads the ETYPE-INFO2 etypes among them.
func (m *Message) padata(seq types.PADataSequence) {
	if len(seq) == 0 {
		return
	}
	m.PAData = make([]PAData, len(seq))
	for i, pa := range seq {
		m.PAData[i] = PAData{Type: PAType(pa.PADataType), Value: pa.PADataValue}
		if PAType(pa.PADataType) == PAETypeInfo2 {
			var info types.ETypeInfo2
			if safely(func() error { return info.Unmarshal(pa.PADataValue) }) == nil {
				for _, e := range info {
					m.ETypeInfo2 = append(m.ETypeInfo2, EType(e.EType))
				}
			}
		}
	}
}

func decodeKDCReq(b []byte, t MsgType) (*Message, error) {
	var f messages.KDCReqFields
	err := safely(func() error {
		if t == ASReq {
			var r messages.ASReq
			err := r.Unmarshal(b)
			f = r.KDCReqFields
			return err
		}
		var r messages.TGSReq
		err := r.Unmarshal(b)
		f = r.KDCReqFields
		return err
	})
	if err != nil {
		return nil, gokrbErr(err)
	}
	body := f.ReqBody
	m := &Message{
		Type:       t,
		PVNO:       f.PVNO,
		KDCOptions: KDCOptions(bitsToUint32(body.KDCOptions.Bytes, body.KDCOptions.BitLength)),
		CName:      principal(body.CName),
		Realm:      body.Realm,
		SName:      principal(body.SName),
		From:       unixTime(body.From),
		Till:       unixTime(body.Till),
		RTime:      unixTime(body.RTime),
		// The nonce is a UInt32; gokrb5 reads it into an int.
		Nonce: uint32(body.Nonce),
	}
	m.padata(f.PAData)
	if len(body.EType) > 0 {
		m.ETypes = make([]EType, len(body.EType))
		for i, e := range body.EType {
			m.ETypes[i] = EType(e)
		}
	}
	if body.EncAuthData.Cipher != nil {
		m.EncAuthData, m.EncAuthDataEType = true, EType(body.EncAuthData.EType)
	}
	for _, tk := range body.AdditionalTickets {
		m.AdditionalTickets = append(m.AdditionalTickets, ticket(tk))
	}
	for _, pa := range f.PAData {
		if PAType(pa.PADataType) != PATGSReq || m.AP != nil {
			continue
		}
		// A PA-TGS-REQ that does not decode leaves AP nil: the request
		// itself is still readable.
		if ap, _, err := decodeAPReq(pa.PADataValue); err == nil {
			m.AP = ap
		}
	}
	return m, nil
}

func decodeKDCRep(b []byte, t MsgType) (*Message, error) {
	var f messages.KDCRepFields
	err := safely(func() error {
		if t == ASRep {
			var r messages.ASRep
			err := r.Unmarshal(b)
			f = r.KDCRepFields
			return err
		}
		var r messages.TGSRep
		err := r.Unmarshal(b)
		f = r.KDCRepFields
		return err
	})
	if err != nil {
		return nil, gokrbErr(err)
	}
	tk := ticket(f.Ticket)
	m := &Message{
		Type:         t,
		PVNO:         f.PVNO,
		CRealm:       f.CRealm,
		CName:        principal(f.CName),
		Ticket:       &tk,
		EncPartEType: EType(f.EncPart.EType),
	}
	m.padata(f.PAData)
	return m, nil
}

func decodeAPReq(b []byte) (*APReq, int, error) {
	var r messages.APReq
	if err := safely(func() error { return r.Unmarshal(b) }); err != nil {
		return nil, 0, gokrbErr(err)
	}
	return &APReq{
		Options:            APOptions(bitsToUint32(r.APOptions.Bytes, r.APOptions.BitLength)),
		Ticket:             ticket(r.Ticket),
		AuthenticatorEType: EType(r.EncryptedAuthenticator.EType),
	}, r.PVNO, nil
}

func decodeAPReqMsg(b []byte) (*Message, error) {
	ap, pvno, err := decodeAPReq(b)
	if err != nil {
		return nil, err
	}
	return &Message{Type: APReqMsg, PVNO: pvno, AP: ap, Ticket: &ap.Ticket}, nil
}

func decodeAPRep(b []byte) (*Message, error) {
	var r messages.APRep
	if err := safely(func() error { return r.Unmarshal(b) }); err != nil {
		return nil, gokrbErr(err)
	}
	if r.MsgType != int(APRepMsg) {
		return nil, errors.New("msg-type does not match the application tag")
	}
	return &Message{Type: APRepMsg, PVNO: r.PVNO, EncPartEType: EType(r.EncPart.EType)}, nil
}

func decodeKRBError(b []byte) (*Message, error) {
	var r messages.KRBError
	if err := safely(func() error { return r.Unmarshal(b) }); err != nil {
		return nil, gokrbErr(err)
	}
	m := &Message{
		Type:      KRBError,
		PVNO:      r.PVNO,
		ErrorCode: ErrorCode(r.ErrorCode),
		EText:     r.EText,
		STime:     unixTime(r.STime),
		CTime:     unixTime(r.CTime),
		CRealm:    r.CRealm,
		CName:     principal(r.CName),
		Realm:     r.Realm,
		SName:     principal(r.SName),
		EData:     r.EData,
	}
	// e-data is METHOD-DATA (a padata sequence) for the pre-authentication
	// errors; other errors carry TYPED-DATA or Microsoft's KERB-EXT-ERROR,
	// which stay raw in EData.
	if len(r.EData) > 0 {
		var seq types.PADataSequence
		if safely(func() error { return seq.Unmarshal(r.EData) }) == nil {
			m.padata(seq)
		}
	}
	return m, nil
}
