package kerberos

import "strconv"

// The names below are those of Wireshark 4.0 (tshark -G values for the
// kerberos.* fields), so that wirelark's output reads like tshark's.

// MsgType is a Kerberos message type (RFC 4120 §7.5.7), the application tag
// of the message.
type MsgType int

// Message types.
const (
	ASReq    MsgType = 10
	ASRep    MsgType = 11
	TGSReq   MsgType = 12
	TGSRep   MsgType = 13
	APReqMsg MsgType = 14
	APRepMsg MsgType = 15
	KRBSafe  MsgType = 20
	KRBPriv  MsgType = 21
	KRBCred  MsgType = 22
	KRBError MsgType = 30
)

var msgTypeNames = map[MsgType]string{
	ASReq: "AS-REQ", ASRep: "AS-REP", TGSReq: "TGS-REQ", TGSRep: "TGS-REP",
	APReqMsg: "AP-REQ", APRepMsg: "AP-REP", KRBSafe: "KRB-SAFE", KRBPriv: "KRB-PRIV",
	KRBCred: "KRB-CRED", KRBError: "KRB-ERROR",
}

// String gives the name Wireshark's Info column uses ("AS-REQ", "KRB-ERROR").
func (t MsgType) String() string {
	if s, ok := msgTypeNames[t]; ok {
		return s
	}
	return "msg-type-" + strconv.Itoa(int(t))
}

// EType is an encryption type number (RFC 3961 §8, IANA registry).
type EType int32

var etypeNames = map[EType]string{
	0: "eTYPE-NULL", 1: "eTYPE-DES-CBC-CRC", 2: "eTYPE-DES-CBC-MD4", 3: "eTYPE-DES-CBC-MD5",
	5: "eTYPE-DES3-CBC-MD5", 7: "eTYPE-OLD-DES3-CBC-SHA1", 8: "eTYPE-SIGN-DSA-GENERATE",
	9: "eTYPE-DSA-SHA1", 10: "eTYPE-RSA-MD5", 11: "eTYPE-RSA-SHA1", 12: "eTYPE-RC2-CBC",
	13: "eTYPE-RSA", 14: "eTYPE-RSAES-OAEP", 15: "eTYPE-DES-EDE3-CBC", 16: "eTYPE-DES3-CBC-SHA1",
	17: "eTYPE-AES128-CTS-HMAC-SHA1-96", 18: "eTYPE-AES256-CTS-HMAC-SHA1-96",
	19: "eTYPE-AES128-CTS-HMAC-SHA256-128", 20: "eTYPE-AES256-CTS-HMAC-SHA384-192",
	23: "eTYPE-ARCFOUR-HMAC-MD5", 24: "eTYPE-ARCFOUR-HMAC-MD5-56",
	25: "eTYPE-CAMELLIA128-CTS-CMAC", 26: "eTYPE-CAMELLIA256-CTS-CMAC",
	48: "eTYPE-ENCTYPE-PK-CROSS", -128: "eTYPE-ARCFOUR-MD4", -133: "eTYPE-ARCFOUR-HMAC-OLD",
	-135: "eTYPE-ARCFOUR-HMAC-OLD-EXP", -4096: "eTYPE-DES-CBC-NONE", -4097: "eTYPE-DES3-CBC-NONE",
	-4098: "eTYPE-DES-CFB64-NONE", -4099: "eTYPE-DES-PCBC-NONE", -4100: "eTYPE-DIGEST-MD5-NONE",
	-4101: "eTYPE-CRAM-MD5-NONE",
}

// String gives Wireshark's name ("eTYPE-AES256-CTS-HMAC-SHA1-96"), or the
// number for a type Wireshark does not name.
func (e EType) String() string {
	if s, ok := etypeNames[e]; ok {
		return s
	}
	return strconv.Itoa(int(e))
}

// PAType is a pre-authentication data type (padata-type).
type PAType int32

// Pre-authentication data types this package looks into.
const (
	PATGSReq     PAType = 1
	PAEncTS      PAType = 2
	PAETypeInfo2 PAType = 19
	PAPACRequest PAType = 128
)

// Wireshark spells these "pA-ENC-TIMESTAMP" (a quirk of its ASN.1
// compiler); the names here have the usual capital P.
var paTypeNames = map[PAType]string{
	0: "PA-NONE", 1: "PA-TGS-REQ", 2: "PA-ENC-TIMESTAMP", 3: "PA-PW-SALT", 5: "PA-ENC-UNIX-TIME",
	6: "PA-SANDIA-SECUREID", 7: "PA-SESAME", 8: "PA-OSF-DCE", 9: "PA-CYBERSAFE-SECUREID",
	10: "PA-AFS3-SALT", 11: "PA-ETYPE-INFO", 12: "PA-SAM-CHALLENGE", 13: "PA-SAM-RESPONSE",
	14: "PA-PK-AS-REQ-19", 15: "PA-PK-AS-REP-19", 16: "PA-PK-AS-REQ", 17: "PA-PK-AS-REP",
	18: "PA-PK-OCSP-RESPONSE", 19: "PA-ETYPE-INFO2", 20: "PA-USE-SPECIFIED-KVNO",
	21: "PA-SAM-REDIRECT", 22: "PA-GET-FROM-TYPED-DATA", 23: "PA-SAM-ETYPE-INFO",
	24: "PA-ALT-PRINC", 25: "PA-SERVER-REFERRAL", 30: "PA-SAM-CHALLENGE2", 31: "PA-SAM-RESPONSE2",
	41: "PA-EXTRA-TGT", 101: "TD-PKINIT-CMS-CERTIFICATES", 102: "TD-KRB-PRINCIPAL",
	103: "TD-KRB-REALM", 104: "TD-TRUSTED-CERTIFIERS", 105: "TD-CERTIFICATE-INDEX",
	106: "TD-APP-DEFINED-ERROR", 107: "TD-REQ-NONCE", 108: "TD-REQ-SEQ", 109: "TD-DH-PARAMETERS",
	111: "TD-CMS-DIGEST-ALGORITHMS", 112: "TD-CERT-DIGEST-ALGORITHMS", 128: "PA-PAC-REQUEST",
	129: "PA-FOR-USER", 130: "PA-FOR-X509-USER", 131: "PA-FOR-CHECK-DUPS",
	132: "PA-PK-AS-09-BINDING", 133: "PA-FX-COOKIE", 134: "PA-AUTHENTICATION-SET",
	135: "PA-AUTH-SET-SELECTED", 136: "PA-FX-FAST", 137: "PA-FX-ERROR",
	138: "PA-ENCRYPTED-CHALLENGE", 141: "PA-OTP-CHALLENGE", 142: "PA-OTP-REQUEST",
	143: "PA-OTP-CONFIRM", 144: "PA-OTP-PIN-CHANGE", 145: "PA-EPAK-AS-REQ", 146: "PA-EPAK-AS-REP",
	147: "PA-PKINIT-KX", 148: "PA-PKU2U-NAME", 149: "PA-REQ-ENC-PA-REP", 150: "PA-AS-FRESHNESS",
	151: "PA-SPAKE", 152: "PA-REDHAT-IDP-OAUTH2", 153: "PA-REDHAT-PASSKEY",
	161: "PA-KERB-KEY-LIST-REQ", 162: "PA-KERB-KEY-LIST-REP", 165: "PA-SUPPORTED-ETYPES",
	166: "PA-EXTENDED-ERROR", 167: "PA-PAC-OPTIONS", -1: "PA-PROV-SRV-LOCATION",
}

// String gives Wireshark's name with a capital P ("PA-ENC-TIMESTAMP").
func (p PAType) String() string {
	if s, ok := paTypeNames[p]; ok {
		return s
	}
	return strconv.Itoa(int(p))
}

// NameType is a principal's name-type.
type NameType int32

var nameTypeNames = map[NameType]string{
	0: "kRB5-NT-UNKNOWN", 1: "kRB5-NT-PRINCIPAL", 2: "kRB5-NT-SRV-INST", 3: "kRB5-NT-SRV-HST",
	4: "kRB5-NT-SRV-XHST", 5: "kRB5-NT-UID", 6: "kRB5-NT-X500-PRINCIPAL", 7: "kRB5-NT-SMTP-NAME",
	10: "kRB5-NT-ENTERPRISE-PRINCIPAL", 11: "kRB5-NT-WELLKNOWN", 12: "kRB5-NT-SRV-HST-DOMAIN",
	-130: "kRB5-NT-ENT-PRINCIPAL-AND-ID", -128: "kRB5-NT-MS-PRINCIPAL",
	-129: "kRB5-NT-MS-PRINCIPAL-AND-ID", -1200: "kRB5-NT-NTLM", -1201: "kRB5-NT-X509-GENERAL-NAME",
	-1202: "kRB5-NT-GSS-HOSTBASED-SERVICE", -1203: "kRB5-NT-CACHE-UUID",
	-195894762: "kRB5-NT-SRV-HST-NEEDS-CANON",
}

// String gives Wireshark's name ("kRB5-NT-PRINCIPAL").
func (n NameType) String() string {
	if s, ok := nameTypeNames[n]; ok {
		return s
	}
	return strconv.Itoa(int(n))
}

// ErrorCode is a KRB-ERROR error-code.
type ErrorCode int32

// Error codes the package's users test for most.
const (
	ErrCPrincipalUnknown ErrorCode = 6
	ErrSPrincipalUnknown ErrorCode = 7
	ErrPreauthFailed     ErrorCode = 24
	ErrPreauthRequired   ErrorCode = 25
)

// Wireshark's Info column names (krb5_error_codes in packet-kerberos.c),
// rather than the ASN.1 names of its error_code field ("eRR-PREAUTH-
// REQUIRED"): they are the names users search for.
var errorNames = map[ErrorCode]string{
	0: "KRB5KDC_ERR_NONE", 1: "KRB5KDC_ERR_NAME_EXP", 2: "KRB5KDC_ERR_SERVICE_EXP",
	3: "KRB5KDC_ERR_BAD_PVNO", 4: "KRB5KDC_ERR_C_OLD_MAST_KVNO", 5: "KRB5KDC_ERR_S_OLD_MAST_KVNO",
	6: "KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN", 7: "KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN",
	8: "KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE", 9: "KRB5KDC_ERR_NULL_KEY",
	10: "KRB5KDC_ERR_CANNOT_POSTDATE", 11: "KRB5KDC_ERR_NEVER_VALID", 12: "KRB5KDC_ERR_POLICY",
	13: "KRB5KDC_ERR_BADOPTION", 14: "KRB5KDC_ERR_ETYPE_NOSUPP", 15: "KRB5KDC_ERR_SUMTYPE_NOSUPP",
	16: "KRB5KDC_ERR_PADATA_TYPE_NOSUPP", 17: "KRB5KDC_ERR_TRTYPE_NOSUPP",
	18: "KRB5KDC_ERR_CLIENT_REVOKED", 19: "KRB5KDC_ERR_SERVICE_REVOKED",
	20: "KRB5KDC_ERR_TGT_REVOKED", 21: "KRB5KDC_ERR_CLIENT_NOTYET",
	22: "KRB5KDC_ERR_SERVICE_NOTYET", 23: "KRB5KDC_ERR_KEY_EXP", 24: "KRB5KDC_ERR_PREAUTH_FAILED",
	25: "KRB5KDC_ERR_PREAUTH_REQUIRED", 26: "KRB5KDC_ERR_SERVER_NOMATCH",
	27: "KRB5KDC_ERR_MUST_USE_USER2USER", 28: "KRB5KDC_ERR_PATH_NOT_ACCEPTED",
	29: "KRB5KDC_ERR_SVC_UNAVAILABLE", 31: "KRB5KRB_AP_ERR_BAD_INTEGRITY",
	32: "KRB5KRB_AP_ERR_TKT_EXPIRED", 33: "KRB5KRB_AP_ERR_TKT_NYV", 34: "KRB5KRB_AP_ERR_REPEAT",
	35: "KRB5KRB_AP_ERR_NOT_US", 36: "KRB5KRB_AP_ERR_BADMATCH", 37: "KRB5KRB_AP_ERR_SKEW",
	38: "KRB5KRB_AP_ERR_BADADDR", 39: "KRB5KRB_AP_ERR_BADVERSION", 40: "KRB5KRB_AP_ERR_MSG_TYPE",
	41: "KRB5KRB_AP_ERR_MODIFIED", 42: "KRB5KRB_AP_ERR_BADORDER", 43: "KRB5KRB_AP_ERR_ILL_CR_TKT",
	44: "KRB5KRB_AP_ERR_BADKEYVER", 45: "KRB5KRB_AP_ERR_NOKEY", 46: "KRB5KRB_AP_ERR_MUT_FAIL",
	47: "KRB5KRB_AP_ERR_BADDIRECTION", 48: "KRB5KRB_AP_ERR_METHOD", 49: "KRB5KRB_AP_ERR_BADSEQ",
	50: "KRB5KRB_AP_ERR_INAPP_CKSUM", 51: "KRB5KDC_AP_PATH_NOT_ACCEPTED",
	52: "KRB5KRB_ERR_RESPONSE_TOO_BIG", 60: "KRB5KRB_ERR_GENERIC", 61: "KRB5KRB_ERR_FIELD_TOOLONG",
	62: "KDC_ERROR_CLIENT_NOT_TRUSTED", 63: "KDC_ERROR_KDC_NOT_TRUSTED", 64: "KDC_ERROR_INVALID_SIG",
	65: "KDC_ERR_KEY_TOO_WEAK", 66: "KDC_ERR_CERTIFICATE_MISMATCH", 67: "KRB_AP_ERR_NO_TGT",
	68: "KDC_ERR_WRONG_REALM", 69: "KRB_AP_ERR_USER_TO_USER_REQUIRED",
	70: "KDC_ERR_CANT_VERIFY_CERTIFICATE", 71: "KDC_ERR_INVALID_CERTIFICATE",
	72: "KDC_ERR_REVOKED_CERTIFICATE", 73: "KDC_ERR_REVOCATION_STATUS_UNKNOWN",
	74: "KDC_ERR_REVOCATION_STATUS_UNAVAILABLE", 75: "KDC_ERR_CLIENT_NAME_MISMATCH",
	76: "KDC_ERR_KDC_NAME_MISMATCH",
}

// String gives the name Wireshark shows in its Info column
// ("KRB5KDC_ERR_PREAUTH_REQUIRED").
func (c ErrorCode) String() string {
	if s, ok := errorNames[c]; ok {
		return s
	}
	return "Unknown error code " + strconv.Itoa(int(c))
}
