// Package kerberos decodes Kerberos 5 messages (RFC 4120) as they cross the
// network: AS-REQ, AS-REP, TGS-REQ, TGS-REP, AP-REQ, AP-REP and KRB-ERROR
// are read into a Message with what can be seen without keys (principals,
// realms, KDC and AP options, times, nonce, encryption types offered and
// used, padata types, error code and text); KRB-SAFE, KRB-PRIV and
// KRB-CRED are recognised by their tag. Parse takes one message (a UDP
// payload, or a TCP record without its 4-byte record mark, which the
// engine removes); ParseGSS takes the GSS-API token SPNEGO carries in SMB,
// LDAP or HTTP authentication.
//
// Names follow Wireshark 4.0: encryption types as
// "eTYPE-AES256-CTS-HMAC-SHA1-96", error codes as its Info column shows
// them ("KRB5KDC_ERR_PREAUTH_REQUIRED"), KDC options as "forwardable" or
// "renewable-ok". zeek.go has the helpers for Zeek's kerberos.log
// columns (request_type, success, error_msg, cipher, forwardable,
// renewable).
//
// # Decoder: gokrb5
//
// The ASN.1 is decoded by github.com/jcmturner/gokrb5/v8/messages, a
// maintained Kerberos library, rather than by hand-written DER. It decodes
// every Kerberos message of the shared captures (MIT and Windows KDCs, UDP
// and TCP, PKINIT and FAST padata, enterprise principals, negative
// etypes), since it keeps padata it does not know as raw bytes and checks
// only what RFC 4120 requires. What it lacks is done here with
// encoding/asn1: the GSS-API framing, and the pvno/msg-type check of the
// KRB-SAFE, KRB-PRIV and KRB-CRED that are only recognised. Its decoder is
// not written for hostile input, so every call runs under recover and a
// panic becomes an error (none has been seen under fuzzing).
//
// Known limits of that choice: a kdc-options BIT STRING shorter than the
// 32 bits RFC 4120 requires is misplaced by gokrb5 (it pads on the left);
// trailing bytes after a message are ignored, as Wireshark does. Decoding
// costs about 50µs and 125 allocations for a Windows ticket-bearing
// message (reflection-driven ASN.1), ample for Kerberos volumes.
//
// Where this package and Wireshark 4.0 differ: a KRB-ERROR's e-data is
// read as METHOD-DATA whenever it is one (MIT's KDC wraps every error in
// PA-FX-FAST when FAST is in use, RFC 6113), where Wireshark reads it so
// only for some error codes such as PREAUTH_REQUIRED.
//
// The package knows nothing of connections or scripts: the engine pairs
// requests with replies and hands messages to on_kerberos.
package kerberos
