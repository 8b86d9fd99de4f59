package packet

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// DNS, mDNS and LLMNR messages are read by the project's own walker over
// the layer's bytes rather than from gopacket's layers.DNS: gopacket keeps
// neither the raw class bits mDNS uses for its QU and cache-flush flags,
// nor the EDNS options, nor the point where a damaged message stops, and
// it rejects messages Wireshark still shows in part. Wireshark's fields
// list every occurrence in the order of its tree, and that is the order
// of one walk over the message, so every field is read by walking the
// message and keeping the occurrences of that field. The walk stops where
// Wireshark's dissector throws (bytes missing), so each field sees what
// Wireshark shows of a malformed message.

var dnsOpcodeNames = map[uint64]string{0: "Standard query", 1: "Inverse query", 2: "Server status request",
	4: "Zone change notification", 5: "Dynamic update", 6: "DNS Stateful operations (DSO)"}

var dnsRcodeNames = map[uint64]string{0: "No error", 1: "Format error", 2: "Server failure", 3: "No such name",
	4: "Not implemented", 5: "Refused", 6: "Name exists", 7: "RRset exists", 8: "RRset does not exist",
	9: "Not authoritative", 10: "Name out of zone", 11: "DSO-Type not implemented",
	16: "Bad OPT Version or TSIG Signature Failure", 17: "Key not recognized", 18: "Signature out of time window",
	19: "Bad TKEY Mode", 20: "Duplicate key name", 21: "Algorithm not supported", 22: "Bad Truncation",
	23: "Bad/missing Server Cookie"}

var dnsClassNames = map[uint64]string{1: "IN", 2: "CS", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY"}

// dnsTypeShort are the type names of the Info column and tree titles.
var dnsTypeShort = map[uint16]string{0: "Unused", 1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB",
	8: "MG", 9: "MR", 10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP",
	18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG", 25: "KEY", 26: "PX",
	27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR",
	36: "KX", 37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP",
	45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA",
	55: "HIP", 56: "NINFO", 57: "RKEY", 58: "TALINK", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC",
	63: "ZONEMD", 64: "SVCB", 65: "HTTPS", 99: "SPF", 100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC",
	104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64", 249: "TKEY", 250: "TSIG",
	251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI", 257: "CAA", 32768: "TA",
	32769: "DLV", 65281: "WINS", 65282: "WINS-R", 65422: "XPF"}

// dnsTypeNames are the descriptions the tree shows for dns.qry.type and
// dns.resp.type.
var dnsTypeNames = map[uint64]string{0: "Unused", 1: "A (Host Address)", 2: "NS (authoritative Name Server)",
	3: "MD (Mail Destination)", 4: "MF (Mail Forwarder)", 5: "CNAME (Canonical NAME for an alias)",
	6: "SOA (Start Of a zone of Authority)", 7: "MB (MailBox domain name)", 8: "MG (Mail Group member)",
	9: "MR (Mail Rename domain)", 10: "NULL RR", 11: "WKS (Well Known Service)", 12: "PTR (domain name PoinTeR)",
	13: "HINFO (host information)", 14: "MINFO (Mailbox or mail list information)", 15: "MX (Mail eXchange)",
	16: "TXT (Text strings)", 17: "RP (Responsible Person)", 18: "AFSDB (AFS Data Base location)",
	19: "X25 (XX.25 PSDN address)", 20: "ISDN (ISDN address)", 21: "RT (Route Through)", 22: "NSAP (NSAP address)",
	23: "NSAP-PTR (NSAP domain name pointer)", 24: "SIG (security signature)", 25: "KEY (security key)",
	26: "PX (X.400 mail mapping information)", 27: "GPOS (Geographical Position)", 28: "AAAA (IPv6 Address)",
	29: "LOC (Location Information)", 30: "NXT (Next Domain)", 31: "EID (Endpoint Identifier)",
	32: "NIMLOC (Nimrod Locator)", 33: "SRV (Server Selection)", 34: "ATMA (ATM Address)",
	35: "NAPTR (Naming Authority Pointer)", 36: "KX (Key Exchanger)", 37: "CERT", 38: "A6 (OBSOLETE - use AAAA)",
	39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS (Delegation Signer)", 44: "SSHFP (SSH Key Fingerprint)",
	45: "IPSECKEY", 46: "RRSIG (Resource Record Signature)", 47: "NSEC (Next Secure)", 48: "DNSKEY (DNS Public Key)",
	49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 55: "HIP (Host Identity Protocol)", 57: "RKEY",
	58: "TALINK (Trust Anchor LINK)", 59: "CDS (Child DS)", 60: "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)",
	61: "OPENPGPKEY (OpenPGP Key)", 62: "CSYNC (Child-to-Parent Synchronization)", 63: "ZONEMD",
	64: "SVCB (General Purpose Service Endpoints)", 65: "HTTPS (HTTPS Specific Service Endpoints)", 99: "SPF",
	100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC", 104: "NID (NodeID)", 105: "L32 (Locator32)",
	106: "L64 (Locator64)", 107: "LP (Locator FQDN)", 108: "EUI48", 109: "EUI64", 249: "TKEY (Transaction Key)",
	250: "TSIG (Transaction Signature)", 251: "IXFR (incremental transfer)", 252: "AXFR (transfer of an entire zone)",
	253: "MAILB (mailbox-related RRs)", 254: "MAILA (mail agent RRs)",
	255: "* (A request for all records the server/cache has available)", 256: "URI",
	257: "CAA (Certification Authority Restriction)", 32768: "TA (DNSSEC Trust Authorities)",
	32769: "DLV (DNSSEC Lookaside Validation)", 65281: "WINS", 65282: "WINS-R", 65422: "XPF"}

var dnsOptCodeNames = map[uint64]string{0: "Reserved", 1: "LLQ - Long-lived query", 2: "UL - Update lease",
	3: "NSID - Name Server Identifier", 4: "Owner (reserved)", 5: "DAU - DNSSEC Algorithm Understood (RFC6975)",
	6: "DHU - DS Hash Understood (RFC6975)", 7: "N3U - NSEC3 Hash Understood (RFC6975)",
	8: "CSUBNET - Client subnet", 9: "EDNS EXPIRE (RFC7314)", 10: "COOKIE", 11: "EDNS TCP Keepalive",
	12: "PADDING", 13: "CHAIN", 14: "EDNS Key Tag", 15: "Extended DNS Error", 0x50fa: "Experimental - CSUBNET - Client subnet"}

var dnsAlgoNames = map[uint64]string{1: "RSA/MD5", 2: "Diffie-Hellman", 3: "DSA", 4: "Elliptic curve crypto",
	5: "RSA/SHA1", 6: "DSA + NSEC3/SHA1", 7: "RSA/SHA1 + NSEC3/SHA1", 8: "RSA/SHA-256", 10: "RSA/SHA-512",
	12: "GOST R 34.10-2001", 13: "ECDSA Curve P-256 with SHA-256", 14: "ECDSA Curve P-386 with SHA-386",
	15: "Ed25519", 16: "Ed448", 157: "HMAC/MD5", 252: "Indirect key", 253: "Private, domain name", 254: "Private, OID"}

// dnsField declares a field read by walking the message; its getter is
// set by init, as the walk refers to every field.
func dnsField(name, label string, t Type, base Base, size uint8, mask uint64, strs map[uint64]string) *Field {
	return &Field{Name: name, Label: label, Type: t, Base: base, Size: size, Mask: mask, Strings: strs}
}

func init() {
	for _, f := range dnsFields {
		f.Get = dnsGetter(f)
	}
}

func dnsGetter(f *Field) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		w := dnsWalk{fieldWalk: fieldWalk{want: f, dst: dst}}
		if w.init(p, l) {
			w.run()
		}
		return w.dst
	}
}

func dnsUint(name, label string, size uint8, base Base) *Field {
	return dnsField(name, label, TUint, base, size, 0, nil)
}

func dnsBits(name, label string, size uint8, base Base, mask uint64) *Field {
	return dnsField(name, label, TUint, base, size, mask, nil)
}

func dnsBool(name, label string, size uint8, mask uint64) *Field {
	return dnsField(name, label, TBool, Dec, size, mask, nil)
}

func dnsTyped(name, label string, t Type) *Field { return dnsField(name, label, t, Dec, 0, 0, nil) }

// Header.
var (
	fDNSLength      = dnsUint("dns.length", "Length", 2, Dec)
	fDNSID          = dnsUint("dns.id", "Transaction ID", 2, Hex)
	fDNSFlags       = dnsUint("dns.flags", "Flags", 2, Hex)
	fDNSResponse    = dnsBool("dns.flags.response", "Response", 2, 0x8000)
	fDNSOpcode      = dnsField("dns.flags.opcode", "Opcode", TUint, Dec, 2, 0x7800, dnsOpcodeNames)
	fDNSAuthorit    = dnsBool("dns.flags.authoritative", "Authoritative", 2, 0x0400)
	fDNSConflict    = dnsBool("dns.flags.conflict", "Conflict", 2, 0x0400)
	fDNSTruncated   = dnsBool("dns.flags.truncated", "Truncated", 2, 0x0200)
	fDNSRecDesired  = dnsBool("dns.flags.recdesired", "Recursion desired", 2, 0x0100)
	fDNSTentative   = dnsBool("dns.flags.tentative", "Tentative", 2, 0x0100)
	fDNSRecAvail    = dnsBool("dns.flags.recavail", "Recursion available", 2, 0x0080)
	fDNSZ           = dnsBool("dns.flags.z", "Z", 2, 0x0040)
	fDNSAuthentic   = dnsBool("dns.flags.authenticated", "Answer authenticated", 2, 0x0020)
	fDNSCheckDis    = dnsBool("dns.flags.checkdisable", "Non-authenticated data", 2, 0x0010)
	fDNSRcode       = dnsField("dns.flags.rcode", "Reply code", TUint, Dec, 2, 0x000f, dnsRcodeNames)
	fDNSCountQ      = dnsUint("dns.count.queries", "Questions", 2, Dec)
	fDNSCountZones  = dnsUint("dns.count.zones", "Zones", 2, Dec)
	fDNSCountAns    = dnsUint("dns.count.answers", "Answer RRs", 2, Dec)
	fDNSCountPrereq = dnsUint("dns.count.prerequisites", "Prerequisites", 2, Dec)
	fDNSCountAuth   = dnsUint("dns.count.auth_rr", "Authority RRs", 2, Dec)
	fDNSCountUpd    = dnsUint("dns.count.updates", "Updates", 2, Dec)
	fDNSCountAdd    = dnsUint("dns.count.add_rr", "Additional RRs", 2, Dec)
)

// Questions.
var (
	fDNSQryName    = dnsTyped("dns.qry.name", "Name", TString)
	fDNSQryNameLen = dnsUint("dns.qry.name.len", "Name Length", 2, Dec)
	fDNSLabels     = dnsUint("dns.count.labels", "Label Count", 2, Dec)
	fDNSQryType    = dnsField("dns.qry.type", "Type", TUint, Dec, 2, 0, dnsTypeNames)
	fDNSQryClass   = dnsField("dns.qry.class", "Class", TUint, Hex, 2, 0, dnsClassNames)
	fDNSQryQU      = dnsBool("dns.qry.qu", "\"QU\" question", 2, 0x8000)
)

// Resource records.
var (
	fDNSRespName    = dnsTyped("dns.resp.name", "Name", TString)
	fDNSSrvService  = dnsTyped("dns.srv.service", "Service", TString)
	fDNSSrvProto    = dnsTyped("dns.srv.proto", "Protocol", TString)
	fDNSSrvName     = dnsTyped("dns.srv.name", "Name", TString)
	fDNSRespType    = dnsField("dns.resp.type", "Type", TUint, Dec, 2, 0, dnsTypeNames)
	fDNSRespClass   = dnsField("dns.resp.class", "Class", TUint, Hex, 2, 0, dnsClassNames)
	fDNSCacheFlush  = dnsBool("dns.resp.cache_flush", "Cache flush", 2, 0x8000)
	fDNSTTL         = dnsUint("dns.resp.ttl", "Time to live", 4, Dec)
	fDNSRespLen     = dnsUint("dns.resp.len", "Data length", 2, Dec)
	fDNSUDPPayload  = dnsUint("dns.rr.udp_payload_size", "UDP payload size", 2, Dec)
	fDNSExtRcode    = dnsUint("dns.resp.ext_rcode", "Higher bits in extended RCODE", 1, Hex)
	fDNSEDNSVersion = dnsUint("dns.resp.edns0_version", "EDNS0 version", 1, Dec)
	fDNSRespZ       = dnsUint("dns.resp.z", "Z", 2, Hex)
	fDNSRespZDO     = dnsBool("dns.resp.z.do", "DO bit", 2, 0x8000)
	fDNSRespZRes    = dnsBits("dns.resp.z.reserved", "Reserved", 2, Hex, 0x7fff)
)

// Record data.
var (
	fDNSA          = dnsTyped("dns.a", "Address", TIPv4)
	fDNSNS         = dnsTyped("dns.ns", "Name Server", TString)
	fDNSMD         = dnsTyped("dns.md", "Mail Destination", TString)
	fDNSMF         = dnsTyped("dns.mf", "Mail Forwarder", TString)
	fDNSCNAME      = dnsTyped("dns.cname", "CNAME", TString)
	fDNSSOAMName   = dnsTyped("dns.soa.mname", "Primary name server", TString)
	fDNSSOARName   = dnsTyped("dns.soa.rname", "Responsible authority's mailbox", TString)
	fDNSSOASerial  = dnsUint("dns.soa.serial_number", "Serial Number", 4, Dec)
	fDNSSOARefresh = dnsUint("dns.soa.refresh_interval", "Refresh Interval", 4, Dec)
	fDNSSOARetry   = dnsUint("dns.soa.retry_interval", "Retry Interval", 4, Dec)
	fDNSSOAExpire  = dnsUint("dns.soa.expire_limit", "Expire limit", 4, Dec)
	fDNSSOAMinTTL  = dnsUint("dns.soa.minimum_ttl", "Minimum TTL", 4, Dec)
	fDNSMB         = dnsTyped("dns.mb", "MailBox Domaine", TString)
	fDNSMG         = dnsTyped("dns.mg", "Mail Group member", TString)
	fDNSMR         = dnsTyped("dns.mr", "Mail Rename domaine", TString)
	fDNSNull       = dnsTyped("dns.null", "Null (data)", TBytes)
	fDNSWKSAddr    = dnsTyped("dns.wks.address", "Address", TIPv4)
	fDNSWKSProto   = dnsField("dns.wks.protocol", "Protocol", TUint, Dec, 1, 0, ipProtoNames)
	fDNSWKSBits    = dnsUint("dns.wks.bits", "Bits", 1, Hex)
	fDNSPTR        = dnsTyped("dns.ptr.domain_name", "Domain Name", TString)
	fDNSCPULen     = dnsUint("dns.hinfo.cpu_length", "CPU Length", 1, Dec)
	fDNSCPU        = dnsTyped("dns.hinfo.cpu", "CPU", TString)
	fDNSOSLen      = dnsUint("dns.hinfo.os_length", "OS Length", 1, Dec)
	fDNSOS         = dnsTyped("dns.hinfo.os", "OS", TString)
	fDNSMinfoR     = dnsTyped("dns.minfo.r", "Responsible Mailbox", TString)
	fDNSMinfoE     = dnsTyped("dns.minfo.e", "Error Mailbox", TString)
	fDNSMXPref     = dnsUint("dns.mx.preference", "Preference", 2, Dec)
	fDNSMX         = dnsTyped("dns.mx.mail_exchange", "Mail Exchange", TString)
	fDNSTXTLen     = dnsUint("dns.txt.length", "TXT Length", 1, Dec)
	fDNSTXT        = dnsTyped("dns.txt", "TXT", TString)
	fDNSRPMailbox  = dnsTyped("dns.rp.mailbox", "Mailbox", TString)
	fDNSRPTxt      = dnsTyped("dns.rp.txt_rr", "TXT RR", TString)
	fDNSAFSDBSub   = dnsUint("dns.afsdb.subtype", "Subtype", 2, Dec)
	fDNSAFSDBHost  = dnsTyped("dns.afsdb.hostname", "Hostname", TString)
	fDNSAAAA       = dnsTyped("dns.aaaa", "AAAA Address", TIPv6)
	fDNSLocVersion = dnsUint("dns.loc.version", "Version", 1, Dec)
	fDNSLocSize    = dnsUint("dns.loc.size", "Size", 1, Dec)
	fDNSLocHPrec   = dnsUint("dns.loc.horizontal_precision", "Horizontal Precision", 1, Dec)
	fDNSLocVPrec   = dnsUint("dns.loc.vertical_precision", "Vertical Precision", 1, Dec)
	fDNSLocLat     = dnsUint("dns.loc.latitude", "Latitude", 4, Dec)
	fDNSLocLong    = dnsUint("dns.loc.longitude", "Longitude", 4, Dec)
	fDNSLocAlt     = dnsUint("dns.loc.altitude", "Altitude", 4, Dec)
	fDNSLocUnknown = dnsTyped("dns.loc.unknown_data", "Unknown data", TBytes)
	fDNSSrvPrio    = dnsUint("dns.srv.priority", "Priority", 2, Dec)
	fDNSSrvWeight  = dnsUint("dns.srv.weight", "Weight", 2, Dec)
	fDNSSrvPort    = dnsUint("dns.srv.port", "Port", 2, Dec)
	fDNSSrvTarget  = dnsTyped("dns.srv.target", "Target", TString)
	fDNSNaptrOrder = dnsUint("dns.naptr.order", "Order", 2, Dec)
	fDNSNaptrPref  = dnsUint("dns.naptr.preference", "Preference", 2, Dec)
	fDNSNaptrFlLen = dnsUint("dns.naptr.flags_length", "Flags Length", 1, Dec)
	fDNSNaptrFlags = dnsTyped("dns.naptr.flags", "Flags", TString)
	fDNSNaptrSvLen = dnsUint("dns.naptr.service_length", "Service Length", 1, Dec)
	fDNSNaptrSvc   = dnsTyped("dns.naptr.service", "Service", TString)
	fDNSNaptrReLen = dnsUint("dns.naptr.regex_length", "Regex Length", 1, Dec)
	fDNSNaptrRegex = dnsTyped("dns.naptr.regex", "Regex", TString)
	fDNSNaptrRpLen = dnsUint("dns.naptr.replacement_length", "Replacement Length", 1, Dec)
	fDNSNaptrRepl  = dnsTyped("dns.naptr.replacement", "Replacement", TString)
	fDNSKXPref     = dnsUint("dns.kx.preference", "Preference", 2, Dec)
	fDNSKX         = dnsTyped("dns.kx.key_exchange", "Key Exchange", TString)
	fDNSCertType   = dnsUint("dns.cert.type", "Type", 2, Dec)
	fDNSCertKeyTag = dnsUint("dns.cert.key_tag", "Key Tag", 2, Hex)
	fDNSCertAlgo   = dnsField("dns.cert.algorithm", "Algorithm", TUint, Dec, 1, 0, dnsAlgoNames)
	fDNSCert       = dnsTyped("dns.cert.certificate", "Certificate (or CRL)", TBytes)
	fDNSDName      = dnsTyped("dns.dname", "Dname", TString)
	fDNSDSKeyID    = dnsUint("dns.ds.key_id", "Key id", 2, Hex)
	fDNSDSAlgo     = dnsField("dns.ds.algorithm", "Algorithm", TUint, Dec, 1, 0, dnsAlgoNames)
	fDNSDSDigType  = dnsUint("dns.ds.digest_type", "Digest Type", 1, Dec)
	fDNSDSDigest   = dnsTyped("dns.ds.digest", "Digest", TBytes)
	fDNSSSHFPAlgo  = dnsUint("dns.sshfp.algorithm", "Algorithm", 1, Dec)
	fDNSSSHFPType  = dnsUint("dns.sshfp.fingerprint.type", "Fingerprint type", 1, Dec)
	fDNSSSHFP      = dnsTyped("dns.sshfp.fingerprint", "Fingerprint", TBytes)
	fDNSSigCovered = dnsField("dns.rrsig.type_covered", "Type Covered", TUint, Dec, 2, 0, dnsTypeNames)
	fDNSSigAlgo    = dnsField("dns.rrsig.algorithm", "Algorithm", TUint, Dec, 1, 0, dnsAlgoNames)
	fDNSSigLabels  = dnsUint("dns.rrsig.labels", "Labels", 1, Dec)
	fDNSSigOrigTTL = dnsUint("dns.rrsig.original_ttl", "Original TTL", 4, Dec)
	fDNSSigExp     = dnsTyped("dns.rrsig.signature_expiration", "Signature Expiration", TTime)
	fDNSSigInc     = dnsTyped("dns.rrsig.signature_inception", "Signature Inception", TTime)
	fDNSSigKeyTag  = dnsUint("dns.rrsig.key_tag", "Key Tag", 2, Dec)
	fDNSSigSigner  = dnsTyped("dns.rrsig.signers_name", "Signer's name", TString)
	fDNSSig        = dnsTyped("dns.rrsig.signature", "Signature", TBytes)
	fDNSNSECNext   = dnsTyped("dns.nsec.next_domain_name", "Next Domain Name", TString)
	fDNSKeyFlags   = dnsUint("dns.dnskey.flags", "Flags", 2, Hex)
	fDNSKeyZone    = dnsBool("dns.dnskey.flags.zone_key", "Zone Key", 2, 0x0100)
	fDNSKeyRevoked = dnsBool("dns.dnskey.flags.key_revoked", "Key Revoked", 2, 0x0080)
	fDNSKeySEP     = dnsBool("dns.dnskey.flags.secure_entry_point", "Key Signing Key", 2, 0x0001)
	fDNSKeyRes     = dnsBits("dns.dnskey.flags.reserved", "Key Signing Key", 2, Hex, 0xfe7e)
	fDNSKeyProto   = dnsUint("dns.dnskey.protocol", "Protocol", 1, Dec)
	fDNSKeyAlgo    = dnsField("dns.dnskey.algorithm", "Algorithm", TUint, Dec, 1, 0, dnsAlgoNames)
	fDNSKeyID      = dnsUint("dns.dnskey.key_id", "Key id", 2, Dec)
	fDNSKeyPub     = dnsTyped("dns.dnskey.public_key", "Public Key", TBytes)
	fDNSDHCID      = dnsTyped("dns.dhcid.rdata", "DHCID Data", TBytes)
	fDNSKEYFlags   = dnsUint("dns.key.flags", "Flags", 2, Hex)
	fDNSKEYAuth    = dnsBool("dns.key.flags.authentication", "Key allowed for authentication", 2, 0x8000)
	fDNSKEYConf    = dnsBool("dns.key.flags.confidentiality", "Key allowed for confidentiality", 2, 0x4000)
	fDNSKEYReq     = dnsBool("dns.key.flags.required", "Key required", 2, 0x2000)
	fDNSKEYUser    = dnsBool("dns.key.flags.associated_user", "Key is associated with a user", 2, 0x0400)
	fDNSKEYEntity  = dnsBool("dns.key.flags.associated_named_entity", "Key is associated with the named entity", 2, 0x0200)
	fDNSKEYIPsec   = dnsBool("dns.key.flags.ipsec", "Key use with IPSEC", 2, 0x0080)
	fDNSKEYMIME    = dnsBool("dns.key.flags.mime", "Key use with MIME security multiparts", 2, 0x0040)
	fDNSKEYSig     = dnsBits("dns.key.flags.signatory", "Signatory", 2, Dec, 0x000f)
	fDNSKEYProto   = dnsUint("dns.key.protocol", "Protocol", 1, Dec)
	fDNSKEYAlgo    = dnsField("dns.key.algorithm", "Algorithm", TUint, Dec, 1, 0, dnsAlgoNames)
	fDNSKEYID      = dnsUint("dns.key.key_id", "Key ID", 2, Dec)
	fDNSKEYPub     = dnsTyped("dns.key.public_key", "Public Key", TBytes)
	fDNSN3Algo     = dnsUint("dns.nsec3.algo", "Hash algorithm", 1, Dec)
	fDNSN3Flags    = dnsUint("dns.nsec3.flags", "NSEC3 flags", 1, Dec)
	fDNSN3OptOut   = dnsBool("dns.nsec3.flags.opt_out", "NSEC3 Opt-out flag", 1, 0x01)
	fDNSN3Iter     = dnsUint("dns.nsec3.iterations", "NSEC3 iterations", 2, Dec)
	fDNSN3SaltLen  = dnsUint("dns.nsec3.salt_length", "Salt length", 1, Dec)
	fDNSN3Salt     = dnsTyped("dns.nsec3.salt_value", "Salt value", TBytes)
	fDNSN3HashLen  = dnsUint("dns.nsec3.hash_length", "Hash length", 1, Dec)
	fDNSN3Hash     = dnsTyped("dns.nsec3.hash_value", "Next hashed owner", TString)
	fDNSTLSAUsage  = dnsUint("dns.tlsa.certificate_usage", "Certificate Usage", 1, Dec)
	fDNSTLSASel    = dnsUint("dns.tlsa.selector", "Selector", 1, Dec)
	fDNSTLSAMatch  = dnsUint("dns.tlsa.matching_type", "Matching Type", 1, Dec)
	fDNSTLSAData   = dnsTyped("dns.tlsa.certificate_association_data", "Certificate Association Data", TBytes)
	fDNSSVCBPrio   = dnsUint("dns.svcb.svcpriority", "SvcPriority", 2, Dec)
	fDNSSVCBTarget = dnsTyped("dns.svcb.targetname", "TargetName", TString)
	fDNSSVCBKey    = dnsUint("dns.svcb.svcparam.key", "SvcParamKey", 2, Dec)
	fDNSSVCBLen    = dnsUint("dns.svcb.svcparam.value.length", "SvcParamValue length", 2, Dec)
	fDNSSVCBMand   = dnsUint("dns.svcb.svcparam.mandatory.key", "Mandatory key", 2, Dec)
	fDNSSVCBALPNL  = dnsUint("dns.svcb.svcparam.alpn.length", "ALPN length", 1, Dec)
	fDNSSVCBALPN   = dnsTyped("dns.svcb.svcparam.alpn", "ALPN", TString)
	fDNSSVCBPort   = dnsUint("dns.svcb.svcparam.port", "Port", 2, Dec)
	fDNSSVCBIPv4   = dnsTyped("dns.svcb.svcparam.ipv4hint.ip", "IP", TIPv4)
	fDNSSVCBECH    = dnsTyped("dns.svcb.svcparam.echconfig", "ECHConfig", TBytes)
	fDNSSVCBIPv6   = dnsTyped("dns.svcb.svcparam.ipv6hint.ip", "IP", TIPv6)
	fDNSSVCBODoH   = dnsTyped("dns.svcb.svcparam.odohconfig", "ODoHConfig", TBytes)
	fDNSSVCBValue  = dnsTyped("dns.svcb.svcparam.value", "SvcParamValue", TBytes)
	fDNSSPFLen     = dnsUint("dns.spf.length", "SPF Length", 1, Dec)
	fDNSSPF        = dnsTyped("dns.spf", "SPF", TString)
	fDNSEUI48      = dnsTyped("dns.eui48", "EUI48 Address", TMAC)
	fDNSEUI64      = dnsTyped("dns.eui64", "EUI64 Address", TMAC)
	fDNSTKeyAlgo   = dnsTyped("dns.tkey.algo_name", "Algorithm name", TString)
	fDNSTKeyInc    = dnsTyped("dns.tkey.signature_inception", "Signature Inception", TTime)
	fDNSTKeyExp    = dnsTyped("dns.tkey.signature_expiration", "Signature Expiration", TTime)
	fDNSTKeyMode   = dnsUint("dns.tkey.mode", "Mode", 2, Dec)
	fDNSTKeyError  = dnsUint("dns.tkey.error", "Error", 2, Dec)
	fDNSTKeySize   = dnsUint("dns.tkey.key_size", "Key Size", 2, Dec)
	fDNSTKeyData   = dnsTyped("dns.tkey.key_data", "Key Data", TBytes)
	fDNSTKeyOSize  = dnsUint("dns.tkey.other_size", "Other Size", 2, Dec)
	fDNSTKeyOData  = dnsTyped("dns.tkey.other_data", "Other Data", TBytes)
	fDNSTSIGAlgo   = dnsTyped("dns.tsig.algorithm_name", "Algorithm Name", TString)
	fDNSTSIGTime   = dnsTyped("dns.tsig.time_signed", "Time Signed", TTime)
	fDNSTSIGFudge  = dnsUint("dns.tsig.fudge", "Fudge", 2, Dec)
	fDNSTSIGMACLen = dnsUint("dns.tsig.mac_size", "MAC Size", 2, Dec)
	fDNSTSIGOrigID = dnsUint("dns.tsig.original_id", "Original Id", 2, Dec)
	fDNSTSIGError  = dnsField("dns.tsig.error", "Error", TUint, Dec, 2, 0, dnsRcodeNames)
	fDNSTSIGOLen   = dnsUint("dns.tsig.other_len", "Other Len", 2, Dec)
	fDNSTSIGOData  = dnsTyped("dns.tsig.other_data", "Other Data", TBytes)
	fDNSCAAFlags   = dnsUint("dns.caa.flags", "CAA Flags", 1, Hex)
	fDNSCAACrit    = dnsBool("dns.caa.flags.issuer_critical", "Issuer Critical", 1, 0x80)
	fDNSCAAIssue   = dnsTyped("dns.caa.issue", "Issue", TString)
	fDNSCAAWild    = dnsTyped("dns.caa.issuewild", "Issue Wildcard", TString)
	fDNSCAAIodef   = dnsTyped("dns.caa.iodef", "Report URL", TString)
	fDNSCAAUnknown = dnsTyped("dns.caa.unknown", "Unknown tag", TString)
	fDNSCAATagLen  = dnsUint("dns.caa.tag_length", "Tag length", 1, Dec)
	fDNSCAATag     = dnsTyped("dns.caa.tag", "Tag", TString)
	fDNSCAAValue   = dnsTyped("dns.caa.value", "Value", TString)
	fDNSData       = dnsTyped("dns.data", "Data", TBytes)
)

// EDNS options.
var (
	fDNSOptCode     = dnsField("dns.opt.code", "Option Code", TUint, Dec, 2, 0, dnsOptCodeNames)
	fDNSOptLen      = dnsUint("dns.opt.len", "Option Length", 2, Dec)
	fDNSOptData     = dnsTyped("dns.opt.data", "Option Data", TBytes)
	fDNSOptDAU      = dnsField("dns.opt.dau", "DAU", TUint, Dec, 1, 0, dnsAlgoNames)
	fDNSOptDHU      = dnsUint("dns.opt.dhu", "DHU", 1, Dec)
	fDNSOptN3U      = dnsUint("dns.opt.n3u", "N3U", 1, Dec)
	fDNSOptFamily   = dnsUint("dns.opt.client.family", "Family", 2, Dec)
	fDNSOptNetmask  = dnsUint("dns.opt.client.netmask", "Source Netmask", 1, Dec)
	fDNSOptScope    = dnsUint("dns.opt.client.scope", "Scope Netmask", 1, Dec)
	fDNSOptAddr     = dnsTyped("dns.opt.client.addr", "Client Subnet", TBytes)
	fDNSOptAddr4    = dnsTyped("dns.opt.client.addr4", "Client Subnet", TIPv4)
	fDNSOptAddr6    = dnsTyped("dns.opt.client.addr6", "Client Subnet", TIPv6)
	fDNSOptCookieC  = dnsTyped("dns.opt.cookie.client", "Client Cookie", TBytes)
	fDNSOptCookieS  = dnsTyped("dns.opt.cookie.server", "Server Cookie", TBytes)
	fDNSOptKeepaliv = dnsUint("dns.opt.edns_tcp_keepalive.timeout", "Timeout", 2, Dec)
	fDNSOptPadding  = dnsTyped("dns.opt.padding", "Padding", TBytes)
	fDNSOptChain    = dnsTyped("dns.opt.chain.fqdn", "Closest Trust Point", TString)
	fDNSOptEDECode  = dnsUint("dns.opt.ext_error.info_code", "Info Code", 2, Dec)
	fDNSOptEDEText  = dnsTyped("dns.opt.ext_error.extra_text", "Extra Text", TString)
)

var (
	fDNSExtraData = dnsTyped("dns.extraneous.data", "Extraneous Data Bytes", TBytes)
	fDNSExtraLen  = dnsField("dns.extraneous.length", "Extraneous Data Length", TInt, Dec, 4, 0, nil)
)

var dnsFields = cat(
	[]*Field{fDNSLength, fDNSID},
	children(fDNSFlags, fDNSResponse, fDNSOpcode, fDNSAuthorit, fDNSConflict, fDNSTruncated, fDNSRecDesired,
		fDNSTentative, fDNSRecAvail, fDNSZ, fDNSAuthentic, fDNSCheckDis, fDNSRcode),
	[]*Field{fDNSCountQ, fDNSCountZones, fDNSCountAns, fDNSCountPrereq, fDNSCountAuth, fDNSCountUpd, fDNSCountAdd,
		fDNSQryName, fDNSQryNameLen, fDNSLabels, fDNSQryType, fDNSQryClass, fDNSQryQU,
		fDNSRespName, fDNSSrvService, fDNSSrvProto, fDNSSrvName, fDNSRespType, fDNSRespClass, fDNSCacheFlush,
		fDNSTTL, fDNSUDPPayload, fDNSExtRcode, fDNSEDNSVersion},
	children(fDNSRespZ, fDNSRespZDO, fDNSRespZRes),
	[]*Field{fDNSRespLen,
		fDNSA, fDNSNS, fDNSMD, fDNSMF, fDNSCNAME,
		fDNSSOAMName, fDNSSOARName, fDNSSOASerial, fDNSSOARefresh, fDNSSOARetry, fDNSSOAExpire, fDNSSOAMinTTL,
		fDNSMB, fDNSMG, fDNSMR, fDNSNull, fDNSWKSAddr, fDNSWKSProto, fDNSWKSBits, fDNSPTR,
		fDNSCPULen, fDNSCPU, fDNSOSLen, fDNSOS, fDNSMinfoR, fDNSMinfoE, fDNSMXPref, fDNSMX, fDNSTXTLen, fDNSTXT,
		fDNSRPMailbox, fDNSRPTxt, fDNSAFSDBSub, fDNSAFSDBHost, fDNSAAAA,
		fDNSLocVersion, fDNSLocSize, fDNSLocHPrec, fDNSLocVPrec, fDNSLocLat, fDNSLocLong, fDNSLocAlt, fDNSLocUnknown,
		fDNSSrvPrio, fDNSSrvWeight, fDNSSrvPort, fDNSSrvTarget,
		fDNSNaptrOrder, fDNSNaptrPref, fDNSNaptrFlLen, fDNSNaptrFlags, fDNSNaptrSvLen, fDNSNaptrSvc,
		fDNSNaptrReLen, fDNSNaptrRegex, fDNSNaptrRpLen, fDNSNaptrRepl,
		fDNSKXPref, fDNSKX, fDNSCertType, fDNSCertKeyTag, fDNSCertAlgo, fDNSCert, fDNSDName,
		fDNSOptCode, fDNSOptLen, fDNSOptData, fDNSOptDAU, fDNSOptDHU, fDNSOptN3U,
		fDNSOptFamily, fDNSOptNetmask, fDNSOptScope, fDNSOptAddr, fDNSOptAddr4, fDNSOptAddr6,
		fDNSOptCookieC, fDNSOptCookieS, fDNSOptKeepaliv, fDNSOptPadding, fDNSOptChain, fDNSOptEDECode, fDNSOptEDEText,
		fDNSDSKeyID, fDNSDSAlgo, fDNSDSDigType, fDNSDSDigest, fDNSSSHFPAlgo, fDNSSSHFPType, fDNSSSHFP,
		fDNSSigCovered, fDNSSigAlgo, fDNSSigLabels, fDNSSigOrigTTL, fDNSSigExp, fDNSSigInc, fDNSSigKeyTag,
		fDNSSigSigner, fDNSSig, fDNSNSECNext},
	children(fDNSKeyFlags, fDNSKeyZone, fDNSKeyRevoked, fDNSKeySEP, fDNSKeyRes),
	[]*Field{fDNSKeyProto, fDNSKeyAlgo, fDNSKeyID, fDNSKeyPub},
	children(fDNSKEYFlags, fDNSKEYAuth, fDNSKEYConf, fDNSKEYReq, fDNSKEYUser, fDNSKEYEntity, fDNSKEYIPsec, fDNSKEYMIME, fDNSKEYSig),
	[]*Field{fDNSKEYProto, fDNSKEYAlgo, fDNSKEYID, fDNSKEYPub, fDNSDHCID, fDNSN3Algo},
	children(fDNSN3Flags, fDNSN3OptOut),
	[]*Field{fDNSN3Iter, fDNSN3SaltLen, fDNSN3Salt, fDNSN3HashLen, fDNSN3Hash,
		fDNSTLSAUsage, fDNSTLSASel, fDNSTLSAMatch, fDNSTLSAData,
		fDNSSVCBPrio, fDNSSVCBTarget, fDNSSVCBKey, fDNSSVCBLen, fDNSSVCBMand, fDNSSVCBALPNL, fDNSSVCBALPN,
		fDNSSVCBPort, fDNSSVCBIPv4, fDNSSVCBECH, fDNSSVCBIPv6, fDNSSVCBODoH, fDNSSVCBValue,
		fDNSSPFLen, fDNSSPF, fDNSEUI48, fDNSEUI64,
		fDNSTKeyAlgo, fDNSTKeyInc, fDNSTKeyExp, fDNSTKeyMode, fDNSTKeyError, fDNSTKeySize, fDNSTKeyData,
		fDNSTKeyOSize, fDNSTKeyOData,
		fDNSTSIGAlgo, fDNSTSIGTime, fDNSTSIGFudge, fDNSTSIGMACLen, fDNSTSIGOrigID, fDNSTSIGError, fDNSTSIGOLen,
		fDNSTSIGOData},
	children(fDNSCAAFlags, fDNSCAACrit),
	[]*Field{fDNSCAAIssue, fDNSCAAWild, fDNSCAAIodef, fDNSCAAUnknown, fDNSCAATagLen, fDNSCAATag, fDNSCAAValue,
		fDNSData, fDNSExtraData, fDNSExtraLen},
)

var protoDNS = register(&Proto{ID: ProtoDNS, Name: "dns", Short: "DNS", Title: "Domain Name System", Desegmented: true,
	Info: dnsInfo, Node: dnsNode}, dnsFields...)

var protoMDNS = register(&Proto{ID: ProtoMDNS, Name: "mdns", Short: "MDNS", Title: "Multicast Domain Name System",
	Info: dnsInfo, Node: dnsNode})

var protoLLMNR = register(&Proto{ID: ProtoLLMNR, Name: "llmnr", Short: "LLMNR", Title: "Link-local Multicast Name Resolution",
	Info: dnsInfo, Node: dnsNode})

// dnsInfo renders the Info column as Wireshark's single pass does. Over
// TCP, a frame holding several messages shows all their texts, one after
// the other, as Wireshark does.
func dnsInfo(p *Packet, l *Layer) string {
	w := dnsWalk{doInfo: true}
	if !w.init(p, l) {
		return ""
	}
	var prev string
	if w.tcpLen >= 0 {
		for i := range p.Layers {
			q := &p.Layers[i]
			if q == l {
				break
			}
			if q.Proto == l.Proto && !q.Quoted {
				prev += dnsInfo1(p, q)
			}
		}
	}
	w.run()
	return prev + string(w.info)
}

// dnsInfo1 is the Info text of one message.
func dnsInfo1(p *Packet, l *Layer) string {
	w := dnsWalk{doInfo: true}
	if !w.init(p, l) {
		return ""
	}
	w.run()
	return string(w.info)
}

// dnsMalformed says why Wireshark finds the message in layer l malformed
// (its dissector throws), "" when it does not.
func dnsMalformed(p *Packet, l *Layer) string {
	var w dnsWalk
	if !w.init(p, l) {
		return ""
	}
	w.run()
	if w.stop {
		return "DNS message cut short or damaged"
	}
	return ""
}

// dnsNode titles the tree node: "Domain Name System (query)".
func dnsNode(p *Packet, l *Layer) string {
	pr := Fields.ProtoByID(l.Proto)
	title := pr.Title
	m := l.Bytes(p)
	if len(m) < 4 {
		return title
	}
	if m[2]&0x80 != 0 {
		return title + " (response)"
	}
	return title + " (query)"
}

// dnsMaxSteps bounds the work of one walk: compression pointers let a
// short message make name expansion quadratic.
const dnsMaxSteps = 1 << 20

// dnsWalk is one walk over a DNS message.
type dnsWalk struct {
	fieldWalk     // m is the message, from its ID field
	tcpLen    int // the length prefix over TCP, -1 over UDP
	mdns      bool
	llmnr     bool
	doInfo    bool
	info      []byte
	steps     int
	nbuf      [300]byte
	tbuf      [320]byte // formatted names
}

// init points the walk at layer l; false if the layer holds no message.
func (w *dnsWalk) init(p *Packet, l *Layer) bool {
	if fieldProto[l.Proto] != ProtoDNS {
		return false
	}
	w.m = p.Data[l.Off:l.End]
	w.mdns = l.Proto == ProtoMDNS
	w.llmnr = l.Proto == ProtoLLMNR
	w.tcpLen = -1
	if l.Off >= 2 {
		for i := range p.Layers {
			q := &p.Layers[i]
			if q == l {
				break
			}
			// Messages TCP desegmentation put back together lie after
			// the frame's bytes, past the TCP layer's end.
			if q.Proto == ProtoTCP && !q.Quoted && q.Hdr <= l.Off-2 {
				w.tcpLen = int(binary.BigEndian.Uint16(p.Data[l.Off-2:]))
			}
		}
	}
	return true
}

func (w *dnsWalk) infof(parts ...string) {
	if !w.doInfo {
		return
	}
	for _, s := range parts {
		w.info = append(w.info, s...)
	}
}

func (w *dnsWalk) run() {
	m := w.m
	if len(m) < 4 {
		w.stop = true
		return
	}
	id := uint64(binary.BigEndian.Uint16(m))
	flags := uint64(binary.BigEndian.Uint16(m[2:]))
	opcode := flags >> 11 & 15
	rcode := flags & 15
	resp := flags&0x8000 != 0
	if w.doInfo {
		w.info = append(w.info, nameOr(dnsOpcodeNames, opcode, "Unknown operation (", ")")...)
		if resp {
			w.info = append(w.info, " response"...)
		}
		w.info = append(w.info, " 0x"...)
		w.info = appendHex(w.info, id, 4)
		if resp && rcode != 0 {
			w.info = append(w.info, ' ')
			w.info = append(w.info, nameOr(dnsRcodeNames, rcode, "Unknown error (", ")")...)
		}
	}
	if w.tcpLen >= 0 {
		w.addU(fDNSLength, uint64(w.tcpLen))
	}
	w.addU(fDNSID, id)
	w.addU(fDNSFlags, flags)
	w.addBool(fDNSResponse, resp)
	w.addU(fDNSOpcode, opcode)
	if w.llmnr {
		w.addBool(fDNSConflict, flags&0x0400 != 0)
		w.addBool(fDNSTruncated, flags&0x0200 != 0)
		w.addBool(fDNSTentative, flags&0x0100 != 0)
	} else {
		if resp {
			w.addBool(fDNSAuthorit, flags&0x0400 != 0)
		}
		w.addBool(fDNSTruncated, flags&0x0200 != 0)
		w.addBool(fDNSRecDesired, flags&0x0100 != 0)
		if resp {
			w.addBool(fDNSRecAvail, flags&0x0080 != 0)
		}
		w.addBool(fDNSZ, flags&0x0040 != 0)
		if resp || flags&0x0020 != 0 {
			w.addBool(fDNSAuthentic, flags&0x0020 != 0)
		}
		w.addBool(fDNSCheckDis, flags&0x0010 != 0)
	}
	if resp {
		w.addU(fDNSRcode, rcode)
	}
	update := opcode == 5
	var counts [4]uint64
	countFields := [4][2]*Field{{fDNSCountQ, fDNSCountZones}, {fDNSCountAns, fDNSCountPrereq},
		{fDNSCountAuth, fDNSCountUpd}, {fDNSCountAdd, fDNSCountAdd}}
	for i := range counts {
		c, ok := w.u16(4 + 2*i)
		if !ok {
			return
		}
		counts[i] = c
		if update {
			w.addU(countFields[i][1], c)
		} else {
			w.addU(countFields[i][0], c)
		}
	}
	off := 12
	if opcode == 6 && counts == [4]uint64{} {
		// A DSO message: TLVs, no records. Its fields are not declared.
		return
	}
	for i := uint64(0); i < counts[0] && !w.stop; i++ {
		off = w.question(off)
	}
	for s := 1; s < 4; s++ {
		for i := uint64(0); i < counts[s] && !w.stop; i++ {
			off = w.record(off)
		}
	}
	if w.stop {
		return
	}
	if n := len(m) - off; n > 0 {
		w.itemBytes(fDNSExtraData, off, n)
		w.add(fDNSExtraLen, Int(int64(n)))
	}
}

// question walks one entry of the question section.
func (w *dnsWalk) question(off int) int {
	raw, used, ok := w.name(off, 0)
	if !ok {
		return off
	}
	typ, ok1 := w.u16(off + used)
	class, ok2 := w.u16(off + used + 2)
	if !ok1 || !ok2 {
		return off
	}
	qu := false
	if w.mdns {
		qu = class&0x8000 != 0
		class &= 0x7fff
	}
	if w.doInfo {
		w.info = append(w.info, ' ')
		w.info = appendTypeShort(w.info, uint16(typ))
		w.info = append(w.info, ' ')
		w.info = appendFormatText(w.info, raw)
		if w.mdns {
			if qu {
				w.info = append(w.info, `, "QU" question`...)
			} else {
				w.info = append(w.info, `, "QM" question`...)
			}
		}
	}
	if w.wants(fDNSQryName) {
		w.add(fDNSQryName, Str(string(appendFormatText(w.tbuf[:0], raw))))
	}
	nlen := len(raw)
	if nlen <= 1 {
		nlen = 0
	}
	w.addU(fDNSQryNameLen, uint64(nlen))
	w.addU(fDNSLabels, uint64(dnsLabels(raw)))
	w.addU(fDNSQryType, typ)
	w.addU(fDNSQryClass, class)
	if w.mdns {
		w.addBool(fDNSQryQU, qu)
	}
	return off + used + 4
}

// dnsLabels counts the labels of a name as Wireshark does: dots plus one.
func dnsLabels(raw []byte) int {
	if len(raw) <= 1 {
		return 0
	}
	n := 1
	for _, c := range raw {
		if c == '.' {
			n++
		}
	}
	return n
}

// record walks one resource record; it returns the offset of the next.
func (w *dnsWalk) record(off int) int {
	raw, used, ok := w.name(off, 0)
	if !ok {
		return off
	}
	p := off + used
	typ, ok1 := w.u16(p)
	class, ok2 := w.u16(p + 2)
	if !ok1 || !ok2 {
		return off
	}
	rdlen, ok := w.u16(p + 8)
	if !ok {
		return off
	}
	flush := false
	if w.mdns {
		flush = class&0x8000 != 0
	}
	if w.doInfo {
		w.info = append(w.info, ' ')
		w.info = appendTypeShort(w.info, uint16(typ))
		if flush {
			w.info = append(w.info, ", cache flush"...)
		}
	}
	if p+10+int(rdlen) > len(w.m) && !w.doInfo {
		// Wireshark's record subtree spans the data: building the tree,
		// it throws before showing any field of the record. The Info
		// column is that of a pass without a tree, which goes on.
		w.stop = true
		return off
	}
	// The owner name, or for SRV its service, protocol and name parts.
	if typ == 33 {
		if w.wants(fDNSSrvService) || w.wants(fDNSSrvProto) || w.wants(fDNSSrvName) {
			s := string(appendFormatText(w.tbuf[:0], raw))
			parts := [3]string{}
			n := 0
			for n < 2 {
				i := indexByte(s, '.')
				if i < 0 {
					break
				}
				parts[n] = s[:i]
				s = s[i+1:]
				n++
			}
			parts[n] = s
			w.add(fDNSSrvService, Str(parts[0]))
			if n >= 1 {
				w.add(fDNSSrvProto, Str(parts[1]))
			}
			if n >= 2 {
				w.add(fDNSSrvName, Str(parts[2]))
			}
		}
	} else if w.wants(fDNSRespName) {
		w.add(fDNSRespName, Str(string(appendFormatText(w.tbuf[:0], raw))))
	}
	w.addU(fDNSRespType, typ)
	if typ == 41 {
		if w.mdns {
			w.addU(fDNSUDPPayload, class&0x7fff)
			w.addBool(fDNSCacheFlush, flush)
		} else {
			w.addU(fDNSUDPPayload, class)
		}
		w.addU(fDNSExtRcode, uint64(w.m[p+4]))
		w.addU(fDNSEDNSVersion, uint64(w.m[p+5]))
		z := uint64(binary.BigEndian.Uint16(w.m[p+6:]))
		w.addU(fDNSRespZ, z)
		w.addBool(fDNSRespZDO, z&0x8000 != 0)
		w.addU(fDNSRespZRes, z&0x7fff)
	} else {
		if w.mdns {
			w.addU(fDNSRespClass, class&0x7fff)
			w.addBool(fDNSCacheFlush, flush)
		} else {
			w.addU(fDNSRespClass, class)
		}
		w.addU(fDNSTTL, uint64(binary.BigEndian.Uint32(w.m[p+4:])))
	}
	w.addU(fDNSRespLen, rdlen)
	rd := p + 10
	next := rd + int(rdlen)
	if rdlen == 0 {
		return next
	}
	w.rdata(uint16(typ), rd, int(rdlen), raw)
	return next
}

// nameField adds a domain name read at off to f and returns its formatted
// text when the Info column needs it.
func (w *dnsWalk) nameField(f *Field, off int) (used int, text []byte, ok bool) {
	raw, used, ok := w.name(off, 0)
	if !ok {
		return 0, nil, false
	}
	if w.wants(f) || w.doInfo {
		text = appendFormatText(w.tbuf[:0], raw)
		if w.wants(f) {
			w.add(f, Str(string(text)))
		}
	}
	return used, text, true
}

func (w *dnsWalk) infoText(text []byte) {
	if w.doInfo {
		w.info = append(w.info, ' ')
		w.info = append(w.info, text...)
	}
}

// rdata walks the data of a record of type typ at rd, n bytes long; owner
// is the record's name, which some types show in the Info column.
func (w *dnsWalk) rdata(typ uint16, rd, n int, owner []byte) {
	m := w.m
	end := rd + n
	switch typ {
	case 1: // A
		if !w.itemBytes(fDNSA, rd, 4) {
			return
		}
		if w.doInfo {
			w.info = append(w.info, ' ')
			w.info = appendIPv4(w.info, m[rd:rd+4])
		}
	case 2, 5, 12, 39: // NS, CNAME, PTR, DNAME
		f := fDNSNS
		switch typ {
		case 5:
			f = fDNSCNAME
		case 12:
			f = fDNSPTR
		case 39:
			f = fDNSDName
		}
		if _, text, ok := w.nameField(f, rd); ok {
			w.infoText(text)
		}
	case 3, 4, 7, 8, 9: // MD, MF, MB, MG, MR
		w.infoOwner(owner)
		f := fDNSMD
		switch typ {
		case 4:
			f = fDNSMF
		case 7:
			f = fDNSMB
		case 8:
			f = fDNSMG
		case 9:
			f = fDNSMR
		}
		w.nameField(f, rd)
	case 6: // SOA
		used, text, ok := w.nameField(fDNSSOAMName, rd)
		if !ok {
			return
		}
		w.infoText(text)
		off := rd + used
		used, _, ok = w.nameField(fDNSSOARName, off)
		if !ok {
			return
		}
		off += used
		for _, f := range [...]*Field{fDNSSOASerial, fDNSSOARefresh, fDNSSOARetry, fDNSSOAExpire, fDNSSOAMinTTL} {
			if _, ok := w.itemU(f, off, 4); !ok {
				return
			}
			off += 4
		}
	case 10: // NULL
		w.infoOwner(owner)
		w.itemBytes(fDNSNull, rd, n)
	case 11: // WKS
		if !w.itemBytes(fDNSWKSAddr, rd, 4) {
			return
		}
		if w.doInfo {
			w.info = append(w.info, ' ')
			w.info = appendIPv4(w.info, m[rd:rd+4])
		}
		if _, ok := w.itemU(fDNSWKSProto, rd+4, 1); !ok {
			return
		}
		for off := rd + 5; off < end; off++ {
			b, ok := w.u8(off)
			if !ok {
				return
			}
			if b != 0 {
				w.addU(fDNSWKSBits, b)
			}
		}
	case 13: // HINFO
		cl, ok := w.u8(rd)
		if !ok || !w.has(rd+1, int(cl)) {
			return
		}
		ol, ok := w.u8(rd + 1 + int(cl))
		if !ok || !w.has(rd+2+int(cl), int(ol)) {
			return
		}
		if w.doInfo {
			w.info = append(w.info, ' ')
			w.info = append(w.info, wsString(m[rd+1:rd+1+int(cl)], false)...)
			w.info = append(w.info, ' ')
			w.info = append(w.info, wsString(m[rd+2+int(cl):rd+2+int(cl)+int(ol)], false)...)
		}
		w.addU(fDNSCPULen, cl)
		w.itemStr(fDNSCPU, rd+1, int(cl), false)
		w.addU(fDNSOSLen, ol)
		w.itemStr(fDNSOS, rd+2+int(cl), int(ol), false)
	case 14: // MINFO
		w.infoOwner(owner)
		used, _, ok := w.nameField(fDNSMinfoR, rd)
		if ok {
			w.nameField(fDNSMinfoE, rd+used)
		}
	case 15, 36: // MX, KX
		pf, nf := fDNSMXPref, fDNSMX
		if typ == 36 {
			pf, nf = fDNSKXPref, fDNSKX
		}
		pref, ok := w.u16(rd)
		if !ok {
			return
		}
		raw, _, ok := w.name(rd+2, 0)
		if !ok {
			return
		}
		text := appendFormatText(w.tbuf[:0], raw)
		if w.doInfo {
			w.info = append(w.info, ' ')
			w.info = strconv.AppendUint(w.info, pref, 10)
			w.info = append(w.info, ' ')
			w.info = append(w.info, text...)
		}
		w.addU(pf, pref)
		if w.wants(nf) {
			w.add(nf, Str(string(text)))
		}
	case 16, 99: // TXT, SPF
		lf, sf := fDNSTXTLen, fDNSTXT
		if typ == 99 {
			lf, sf = fDNSSPFLen, fDNSSPF
		}
		for off, left := rd, n; left > 0; {
			l, ok := w.itemU(lf, off, 1)
			if !ok {
				return
			}
			if !w.itemStr(sf, off+1, int(l), w.mdns && typ == 16) {
				return
			}
			off += 1 + int(l)
			left -= 1 + int(l)
		}
	case 17: // RP
		w.infoOwner(owner)
		used, _, ok := w.nameField(fDNSRPMailbox, rd)
		if ok {
			w.nameField(fDNSRPTxt, rd+used)
		}
	case 18: // AFSDB
		w.infoOwner(owner)
		if !w.has(rd, 2) {
			return
		}
		raw, _, ok := w.name(rd+2, 0)
		if !ok {
			return
		}
		w.itemU(fDNSAFSDBSub, rd, 2)
		if w.wants(fDNSAFSDBHost) {
			w.add(fDNSAFSDBHost, Str(string(appendFormatText(w.tbuf[:0], raw))))
		}
	case 28: // AAAA
		if !w.has(rd, 16) {
			return
		}
		if w.doInfo {
			w.info = append(w.info, ' ')
			w.info = appendIPv6(w.info, m[rd:rd+16])
		}
		w.itemBytes(fDNSAAAA, rd, 16)
	case 29: // LOC
		v, ok := w.itemU(fDNSLocVersion, rd, 1)
		if !ok {
			return
		}
		if v != 0 {
			w.itemBytes(fDNSLocUnknown, rd, n)
			return
		}
		off := rd + 1
		for _, f := range [...]*Field{fDNSLocSize, fDNSLocHPrec, fDNSLocVPrec} {
			if _, ok := w.itemU(f, off, 1); !ok {
				return
			}
			off++
		}
		for _, f := range [...]*Field{fDNSLocLat, fDNSLocLong, fDNSLocAlt} {
			if _, ok := w.itemU(f, off, 4); !ok {
				return
			}
			off += 4
		}
	case 33: // SRV
		var v [3]uint64
		for i, f := range [...]*Field{fDNSSrvPrio, fDNSSrvWeight, fDNSSrvPort} {
			var ok bool
			if v[i], ok = w.itemU(f, rd+2*i, 2); !ok {
				return
			}
		}
		_, text, ok := w.nameField(fDNSSrvTarget, rd+6)
		if !ok {
			return
		}
		if w.doInfo {
			for _, x := range v {
				w.info = append(w.info, ' ')
				w.info = strconv.AppendUint(w.info, x, 10)
			}
			w.infoText(text)
		}
	case 35: // NAPTR
		order, ok1 := w.itemU(fDNSNaptrOrder, rd, 2)
		if !ok1 {
			return
		}
		pref, ok := w.itemU(fDNSNaptrPref, rd+2, 2)
		if !ok {
			return
		}
		off := rd + 4
		var flags string
		for i, fs := range [...][2]*Field{{fDNSNaptrFlLen, fDNSNaptrFlags}, {fDNSNaptrSvLen, fDNSNaptrSvc}, {fDNSNaptrReLen, fDNSNaptrRegex}} {
			l, ok := w.itemU(fs[0], off, 1)
			if !ok {
				return
			}
			if !w.itemStr(fs[1], off+1, int(l), false) {
				return
			}
			if i == 0 {
				flags = wsString(m[off+1:off+1+int(l)], false)
			}
			off += 1 + int(l)
		}
		raw, _, ok := w.name(off, 0)
		if !ok {
			return
		}
		w.addU(fDNSNaptrRpLen, uint64(len(raw)))
		if w.wants(fDNSNaptrRepl) {
			w.add(fDNSNaptrRepl, Str(string(appendFormatText(w.tbuf[:0], raw))))
		}
		if w.doInfo {
			w.info = append(w.info, ' ')
			w.info = strconv.AppendUint(w.info, order, 10)
			w.info = append(w.info, ' ')
			w.info = strconv.AppendUint(w.info, pref, 10)
			w.info = append(w.info, ' ')
			w.info = append(w.info, flags...)
		}
	case 37: // CERT
		if _, ok := w.itemU(fDNSCertType, rd, 2); !ok {
			return
		}
		if _, ok := w.itemU(fDNSCertKeyTag, rd+2, 2); !ok {
			return
		}
		if _, ok := w.itemU(fDNSCertAlgo, rd+4, 1); !ok {
			return
		}
		if n > 5 {
			w.itemBytes(fDNSCert, rd+5, n-5)
		}
	case 41: // OPT
		w.opt(rd, n)
	case 43, 59, 32769: // DS, CDS, DLV
		if _, ok := w.itemU(fDNSDSKeyID, rd, 2); !ok {
			return
		}
		if _, ok := w.itemU(fDNSDSAlgo, rd+2, 1); !ok {
			return
		}
		if _, ok := w.itemU(fDNSDSDigType, rd+3, 1); !ok {
			return
		}
		w.itemBytes(fDNSDSDigest, rd+4, n-4)
	case 44: // SSHFP
		if _, ok := w.itemU(fDNSSSHFPAlgo, rd, 1); !ok {
			return
		}
		if _, ok := w.itemU(fDNSSSHFPType, rd+1, 1); !ok {
			return
		}
		if n > 2 {
			w.itemBytes(fDNSSSHFP, rd+2, n-2)
		}
	case 24, 46: // SIG, RRSIG
		if _, ok := w.itemU(fDNSSigCovered, rd, 2); !ok {
			return
		}
		if _, ok := w.itemU(fDNSSigAlgo, rd+2, 1); !ok {
			return
		}
		if _, ok := w.itemU(fDNSSigLabels, rd+3, 1); !ok {
			return
		}
		if _, ok := w.itemU(fDNSSigOrigTTL, rd+4, 4); !ok {
			return
		}
		for i, f := range [...]*Field{fDNSSigExp, fDNSSigInc} {
			t, ok := w.u32(rd + 8 + 4*i)
			if !ok {
				return
			}
			w.add(f, Int(int64(t)*1e9))
		}
		if _, ok := w.itemU(fDNSSigKeyTag, rd+16, 2); !ok {
			return
		}
		used, _, ok := w.nameField(fDNSSigSigner, rd+18)
		if !ok {
			return
		}
		if left := n - 18 - used; left != 0 {
			w.itemBytes(fDNSSig, rd+18+used, left)
		}
	case 47: // NSEC
		used, text, ok := w.nameField(fDNSNSECNext, rd)
		if !ok {
			return
		}
		w.infoText(text)
		w.typeBitmap(rd+used, n-used)
	case 48, 60: // DNSKEY, CDNSKEY
		fl, ok := w.itemU(fDNSKeyFlags, rd, 2)
		if !ok {
			return
		}
		w.addBool(fDNSKeyZone, fl&0x0100 != 0)
		w.addBool(fDNSKeyRevoked, fl&0x0080 != 0)
		w.addBool(fDNSKeySEP, fl&0x0001 != 0)
		w.addU(fDNSKeyRes, fl&0xfe7e)
		if _, ok := w.itemU(fDNSKeyProto, rd+2, 1); !ok {
			return
		}
		algo, ok := w.itemU(fDNSKeyAlgo, rd+3, 1)
		if !ok {
			return
		}
		if n >= 4 && w.has(rd, n) {
			w.addU(fDNSKeyID, uint64(dnsKeyID(m[rd:rd+n], algo)))
		}
		w.itemBytes(fDNSKeyPub, rd+4, n-4)
	case 25: // KEY
		fl, ok := w.itemU(fDNSKEYFlags, rd, 2)
		if !ok {
			return
		}
		w.addBool(fDNSKEYAuth, fl&0x8000 != 0)
		w.addBool(fDNSKEYConf, fl&0x4000 != 0)
		if fl&0xc000 != 0xc000 {
			// Both bits set means "no key": the other flags do not apply.
			w.addBool(fDNSKEYReq, fl&0x2000 != 0)
			w.addBool(fDNSKEYUser, fl&0x0400 != 0)
			w.addBool(fDNSKEYEntity, fl&0x0200 != 0)
			w.addBool(fDNSKEYIPsec, fl&0x0080 != 0)
			w.addBool(fDNSKEYMIME, fl&0x0040 != 0)
			w.addU(fDNSKEYSig, fl&0x000f)
		}
		if _, ok := w.itemU(fDNSKEYProto, rd+2, 1); !ok {
			return
		}
		algo, ok := w.itemU(fDNSKEYAlgo, rd+3, 1)
		if !ok {
			return
		}
		if n >= 4 && w.has(rd, n) {
			w.addU(fDNSKEYID, uint64(dnsKeyID(m[rd:rd+n], algo)))
		}
		if n > 4 {
			w.itemBytes(fDNSKEYPub, rd+4, n-4)
		}
	case 49: // DHCID
		w.infoOwner(owner)
		w.itemBytes(fDNSDHCID, rd, n)
	case 50, 51: // NSEC3, NSEC3PARAM
		if typ == 51 {
			w.infoOwner(owner)
		}
		if _, ok := w.itemU(fDNSN3Algo, rd, 1); !ok {
			return
		}
		fl, ok := w.itemU(fDNSN3Flags, rd+1, 1)
		if !ok {
			return
		}
		if typ == 50 {
			w.addBool(fDNSN3OptOut, fl&1 != 0)
		}
		if _, ok := w.itemU(fDNSN3Iter, rd+2, 2); !ok {
			return
		}
		sl, ok := w.itemU(fDNSN3SaltLen, rd+4, 1)
		if !ok || !w.itemBytes(fDNSN3Salt, rd+5, int(sl)) || typ == 51 {
			return
		}
		off := rd + 5 + int(sl)
		hl, ok := w.itemU(fDNSN3HashLen, off, 1)
		if !ok || !w.has(off+1, int(hl)) {
			return
		}
		if w.wants(fDNSN3Hash) {
			w.add(fDNSN3Hash, Str(base32Hex(m[off+1:off+1+int(hl)])))
		}
		off += 1 + int(hl)
		w.typeBitmap(off, n-(off-rd))
	case 52: // TLSA
		w.infoOwner(owner)
		for i, f := range [...]*Field{fDNSTLSAUsage, fDNSTLSASel, fDNSTLSAMatch} {
			if _, ok := w.itemU(f, rd+i, 1); !ok {
				return
			}
		}
		w.itemBytes(fDNSTLSAData, rd+3, n-3)
	case 64, 65: // SVCB, HTTPS
		w.svcb(rd, n)
	case 108: // EUI48
		w.itemBytes(fDNSEUI48, rd, 6)
	case 109: // EUI64
		w.itemBytes(fDNSEUI64, rd, 8)
	case 249: // TKEY
		used, _, ok := w.nameField(fDNSTKeyAlgo, rd)
		if !ok {
			return
		}
		off := rd + used
		for _, f := range [...]*Field{fDNSTKeyInc, fDNSTKeyExp} {
			t, ok := w.u32(off)
			if !ok {
				return
			}
			w.add(f, Int(int64(t)*1e9))
			off += 4
		}
		if _, ok := w.itemU(fDNSTKeyMode, off, 2); !ok {
			return
		}
		if _, ok := w.itemU(fDNSTKeyError, off+2, 2); !ok {
			return
		}
		kl, ok := w.itemU(fDNSTKeySize, off+4, 2)
		if !ok {
			return
		}
		off += 6
		if kl != 0 {
			if !w.itemBytes(fDNSTKeyData, off, int(kl)) {
				return
			}
			off += int(kl)
		}
		ol, ok := w.itemU(fDNSTKeyOSize, off, 2)
		if !ok {
			return
		}
		if ol != 0 {
			w.itemBytes(fDNSTKeyOData, off+2, int(ol))
		}
	case 250: // TSIG
		used, _, ok := w.nameField(fDNSTSIGAlgo, rd)
		if !ok {
			return
		}
		off := rd + used
		if !w.has(off, 6) {
			return
		}
		w.add(fDNSTSIGTime, Int(int64(beUint(m[off:off+6]))*1e9))
		off += 6
		if _, ok := w.itemU(fDNSTSIGFudge, off, 2); !ok {
			return
		}
		ml, ok := w.itemU(fDNSTSIGMACLen, off+2, 2)
		if !ok {
			return
		}
		off += 4
		if ml != 0 {
			if !w.has(off, int(ml)) {
				return
			}
			off += int(ml)
		}
		if _, ok := w.itemU(fDNSTSIGOrigID, off, 2); !ok {
			return
		}
		if _, ok := w.itemU(fDNSTSIGError, off+2, 2); !ok {
			return
		}
		ol, ok := w.itemU(fDNSTSIGOLen, off+4, 2)
		if !ok {
			return
		}
		if ol != 0 {
			w.itemBytes(fDNSTSIGOData, off+6, int(ol))
		}
	case 257: // CAA
		w.caa(rd, n)
	default:
		w.itemBytes(fDNSData, rd, n)
	}
}

// typeBitmap walks the type bit maps of NSEC and NSEC3 records (RFC
// 4034): Wireshark shows each type present as a dns.resp.type item. As
// there, a block overrunning the record reads on into what follows.
func (w *dnsWalk) typeBitmap(off, left int) {
	for left != 0 && !w.stop {
		base, ok1 := w.u8(off)
		size, ok2 := w.u8(off + 1)
		if !ok1 || !ok2 {
			return
		}
		off += 2
		left -= 2
		t := base * 256
		for ; size > 0; size-- {
			bits, ok := w.u8(off)
			if !ok {
				return
			}
			for mask := uint64(0x80); mask != 0; mask >>= 1 {
				if bits&mask != 0 {
					w.addU(fDNSRespType, t)
				}
				t++
			}
			off++
			left--
		}
	}
}

func (w *dnsWalk) infoOwner(owner []byte) {
	if w.doInfo {
		w.info = append(w.info, ' ')
		w.info = append(w.info, owner...)
	}
}

// opt walks the options of an OPT record.
func (w *dnsWalk) opt(off, n int) {
	for left := n; left > 0 && !w.stop; {
		code, ok := w.u16(off)
		if !ok {
			return
		}
		olen, ok := w.u16(off + 2)
		if !ok {
			return
		}
		left -= 4
		w.addU(fDNSOptCode, code)
		w.addU(fDNSOptLen, olen)
		off += 4
		if !w.itemBytes(fDNSOptData, off, int(olen)) {
			return
		}
		ol := int(olen)
		switch code {
		case 5, 6, 7: // DAU, DHU, N3U
			f := fDNSOptDAU
			if code == 6 {
				f = fDNSOptDHU
			} else if code == 7 {
				f = fDNSOptN3U
			}
			for i := 0; i < ol; i++ {
				w.addU(f, uint64(w.m[off+i]))
			}
		case 8, 0x50fa: // client subnet
			if !w.has(off, 4) {
				return
			}
			fam := uint64(binary.BigEndian.Uint16(w.m[off:]))
			w.addU(fDNSOptFamily, fam)
			w.addU(fDNSOptNetmask, uint64(w.m[off+2]))
			w.addU(fDNSOptScope, uint64(w.m[off+3]))
			alen := ol - 4
			a := w.m[off+4 : off+ol]
			switch {
			case fam == 1 && alen <= 4:
				var buf [4]byte
				copy(buf[:], a)
				w.add(fDNSOptAddr4, Bytes(append([]byte(nil), buf[:]...)))
			case fam == 2 && alen <= 16:
				var buf [16]byte
				copy(buf[:], a)
				w.add(fDNSOptAddr6, Bytes(append([]byte(nil), buf[:]...)))
			default:
				w.add(fDNSOptAddr, Bytes(a))
			}
		case 10: // cookie
			if ol < 8 {
				w.itemBytes(fDNSOptCookieC, off, 8)
				return
			}
			w.add(fDNSOptCookieC, Bytes(w.m[off:off+8]))
			w.add(fDNSOptCookieS, Bytes(w.m[off+8:off+ol]))
		case 11: // TCP keepalive
			if ol == 2 {
				w.addU(fDNSOptKeepaliv, uint64(binary.BigEndian.Uint16(w.m[off:])))
			}
		case 12:
			w.add(fDNSOptPadding, Bytes(w.m[off:off+ol]))
		case 13:
			if ol > 0 && w.wants(fDNSOptChain) {
				w.add(fDNSOptChain, Str(wsString(w.m[off:off+ol], false)))
			}
		case 15: // extended error
			if ol < 2 {
				w.itemU(fDNSOptEDECode, off, 2)
				return
			}
			w.addU(fDNSOptEDECode, uint64(binary.BigEndian.Uint16(w.m[off:])))
			if ol > 2 && w.wants(fDNSOptEDEText) {
				w.add(fDNSOptEDEText, Str(wsString(w.m[off+2:off+ol], true)))
			}
		}
		off += ol
		left -= ol
	}
}

// svcb walks SVCB and HTTPS data.
func (w *dnsWalk) svcb(rd, n int) {
	if _, ok := w.itemU(fDNSSVCBPrio, rd, 2); !ok {
		return
	}
	used, _, ok := w.nameField(fDNSSVCBTarget, rd+2)
	if !ok {
		return
	}
	end := rd + n
	for off := rd + 2 + used; off < end && !w.stop; {
		key, ok := w.itemU(fDNSSVCBKey, off, 2)
		if !ok {
			return
		}
		plen, ok := w.itemU(fDNSSVCBLen, off+2, 2)
		if !ok {
			return
		}
		v := off + 4
		l := int(plen)
		switch key {
		case 0:
			for i := 0; l >= 2 && l%2 == 0 && i+2 <= l; i += 2 {
				if _, ok := w.itemU(fDNSSVCBMand, v+i, 2); !ok {
					return
				}
			}
		case 1:
			for i := 0; i < l; {
				al, ok := w.itemU(fDNSSVCBALPNL, v+i, 1)
				if !ok || !w.itemStr(fDNSSVCBALPN, v+i+1, int(al), false) {
					return
				}
				i += 1 + int(al)
			}
		case 2:
		case 3:
			if _, ok := w.itemU(fDNSSVCBPort, v, 2); !ok {
				return
			}
		case 4:
			for i := 0; l%4 == 0 && i < l; i += 4 {
				if !w.itemBytes(fDNSSVCBIPv4, v+i, 4) {
					return
				}
			}
		case 5:
			if !w.itemBytes(fDNSSVCBECH, v, l) {
				return
			}
		case 6:
			for i := 0; l%16 == 0 && i < l; i += 16 {
				if !w.itemBytes(fDNSSVCBIPv6, v+i, 16) {
					return
				}
			}
		case 32769:
			if !w.itemBytes(fDNSSVCBODoH, v, l) {
				return
			}
		default:
			if l > 0 && !w.itemBytes(fDNSSVCBValue, v, l) {
				return
			}
		}
		off = v + l
	}
}

// caa walks CAA data: flags, then a tag and its value.
func (w *dnsWalk) caa(rd, n int) {
	fl, ok := w.itemU(fDNSCAAFlags, rd, 1)
	if !ok {
		return
	}
	w.addBool(fDNSCAACrit, fl&0x80 != 0)
	tl, ok := w.u8(rd + 1)
	if !ok || !w.has(rd+2, int(tl)) {
		return
	}
	vl := n - int(tl) - 2
	if vl < 0 || !w.has(rd+2+int(tl), vl) {
		w.stop = true
		return
	}
	tag := wsString(w.m[rd+2:rd+2+int(tl)], false)
	val := string(appendFormatText(nil, []byte(wsString(w.m[rd+2+int(tl):rd+2+int(tl)+vl], false))))
	f := fDNSCAAUnknown
	switch {
	case hasPrefixOf("issue", tag):
		f = fDNSCAAIssue
	case hasPrefixOf("issuewild", tag):
		f = fDNSCAAWild
	case hasPrefixOf("iodef", tag):
		f = fDNSCAAIodef
	}
	w.add(f, Str(val))
	w.addU(fDNSCAATagLen, tl)
	w.add(fDNSCAATag, Str(tag))
	w.add(fDNSCAAValue, Str(val))
}

// hasPrefixOf is strncmp(s, tag, len(tag)) == 0.
func hasPrefixOf(s, tag string) bool {
	return len(tag) <= len(s) && s[:len(tag)] == tag
}

// name reads the domain name at off as Wireshark's get_dns_name does,
// into the walk's scratch buffer: labels joined by dots, or one of
// Wireshark's placeholders. used is the number of bytes the name takes
// at off; ok is false when bytes are missing or the name is invalid.
func (w *dnsWalk) name(off, maxLen int) (raw []byte, used int, ok bool) {
	raw, used, ok = dnsName(w.m, off, maxLen, w.nbuf[:0], &w.steps)
	if !ok {
		w.stop = true
	}
	return raw, used, ok
}

const dnsMaxName = 255

// dnsName expands the name at off in m into buf. maxLen, when not 0,
// bounds the bytes the name may take (a name inside an option). As in
// Wireshark, the text of a bitstring label is written but not counted in
// the name's length, so only labels show.
func dnsName(m []byte, off, maxLen int, buf []byte, steps *int) (raw []byte, used int, ok bool) {
	start := off
	length := -1
	pointers := 0
	maxname := dnsMaxName
	np := buf
	nameLen := 0
	for {
		if maxLen != 0 && off-start > maxLen-1 {
			break
		}
		if off >= len(m) || off < 0 {
			return nil, 0, false
		}
		c := int(m[off])
		off++
		if c == 0 {
			break
		}
		switch c & 0xc0 {
		case 0x00:
			if len(np) > 0 {
				if maxname > 0 {
					np = append(np, '.')
					nameLen++
					maxname--
				}
			} else {
				maxname--
			}
			for ; c > 0; c-- {
				if maxLen != 0 && off-start > maxLen-1 {
					return nil, 0, false
				}
				if off >= len(m) {
					return nil, 0, false
				}
				if maxname > 0 {
					np = append(np, m[off])
					nameLen++
					maxname--
				}
				off++
			}
		case 0x40:
			if c&0x3f != 1 {
				// Wireshark gives up on the name here and counts the
				// bytes from where it started, pointers or not.
				l := off - start
				if l < 2 {
					return nil, 0, false
				}
				return []byte("<Unknown extended label>"), l, true
			}
			// A bitstring label (RFC 2673).
			if off >= len(m) {
				return nil, 0, false
			}
			bitCount := int(m[off])
			off++
			labelLen := (bitCount-1)/8 + 1
			np, maxname = appendBounded(np, maxname, "\\[x")
			for ; labelLen > 0; labelLen-- {
				if off >= len(m) {
					return nil, 0, false
				}
				np, maxname = appendBounded(np, maxname, string(appendHex(nil, uint64(m[off]), 2)))
				off++
			}
			np, maxname = appendBounded(np, maxname, "/"+strconv.Itoa(bitCount)+"]")
		case 0x80:
			return nil, 0, false
		case 0xc0:
			if off >= len(m) {
				return nil, 0, false
			}
			indir := (c&0x3f)<<8 | int(m[off])
			off++
			pointers++
			if length < 0 {
				length = off - start
			}
			if indir == off+2 || pointers > dnsMaxName {
				return []byte("<Name contains a pointer that loops>"), length, true
			}
			off = indir
		}
		*steps += 1 + c&0x3f
		if *steps > dnsMaxSteps {
			return nil, 0, false
		}
	}
	if maxname <= 0 {
		np = append(np[:0], "<Name too long>"...)
		nameLen = len(np)
	}
	if length < 0 {
		length = off - start
	}
	if len(np) == 0 && length <= 2 {
		return append(np, "<Root>"...), length, true
	}
	if length < 2 || (length > 2 && nameLen == 0) {
		return nil, 0, false
	}
	return np[:nameLen], length, true
}

// appendBounded appends s while room is left, as Wireshark's snprintf
// into the name buffer does: nothing at all when s does not fit.
func appendBounded(np []byte, maxname int, s string) ([]byte, int) {
	if maxname <= 0 {
		return np, maxname
	}
	if len(s) >= maxname {
		return np, 0
	}
	return append(np, s...), maxname - len(s)
}

// dnsKeyID computes the key tag of DNSKEY data (RFC 4034 appendix B).
func dnsKeyID(d []byte, algo uint64) uint16 {
	if algo == 1 {
		n := len(d)
		return uint16(d[n-3])<<8 | uint16(d[n-2])
	}
	var ac uint32
	i := 0
	for ; i+1 < len(d); i += 2 {
		ac += uint32(d[i])<<8 + uint32(d[i+1])
	}
	if i < len(d) {
		ac += uint32(d[i]) << 8
	}
	ac += ac >> 16 & 0xffff
	return uint16(ac)
}

// base32Hex encodes b with the extended hex alphabet (RFC 4648), lower
// case and without padding, as Wireshark shows NSEC3 hashes.
func base32Hex(b []byte) string {
	const alpha = "0123456789abcdefghijklmnopqrstuv"
	var out []byte
	var acc uint64
	bits := 0
	for _, c := range b {
		acc = acc<<8 | uint64(c)
		bits += 8
		for bits >= 5 {
			out = append(out, alpha[acc>>(bits-5)&31])
			bits -= 5
		}
	}
	if bits > 0 {
		out = append(out, alpha[acc<<(5-bits)&31])
	}
	return string(out)
}

func appendTypeShort(dst []byte, t uint16) []byte {
	if s, ok := dnsTypeShort[t]; ok {
		return append(dst, s...)
	}
	dst = append(dst, "Unknown ("...)
	dst = strconv.AppendUint(dst, uint64(t), 10)
	return append(dst, ')')
}

func nameOr(names map[uint64]string, v uint64, pre, post string) string {
	if s, ok := names[v]; ok {
		return s
	}
	return pre + strconv.FormatUint(v, 10) + post
}

func appendHex(dst []byte, v uint64, digits int) []byte {
	var buf [16]byte
	s := strconv.AppendUint(buf[:0], v, 16)
	for i := len(s); i < digits; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

func appendIPv6(dst, b []byte) []byte {
	var v Value
	v.B = b
	return fDNSAAAA.AppendValue(dst, v)
}

func trailingZeros(m uint64) int { return bits.TrailingZeros64(m) }

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// wsString reads bytes as Wireshark reads a string field: up to the first
// NUL, with bytes that are not ASCII (or not UTF-8, when utf is set)
// replaced by U+FFFD.
func wsString(b []byte, utf bool) string {
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	clean := true
	for _, c := range b {
		if c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		if b[0] < 0x80 {
			out = append(out, b[0])
			b = b[1:]
			continue
		}
		if utf {
			r, n := utf8.DecodeRune(b)
			if r != utf8.RuneError || n > 1 {
				out = append(out, b[:n]...)
				b = b[n:]
				continue
			}
		}
		out = append(out, "\uFFFD"...)
		b = b[1:]
	}
	return string(out)
}

// appendFormatText shows a name as Wireshark's format_text does:
// printable characters as they are, others as C escapes.
func appendFormatText(dst, s []byte) []byte {
	for len(s) > 0 {
		c := s[0]
		if c >= 0x80 {
			r, n := utf8.DecodeRune(s)
			if r != utf8.RuneError || n > 1 {
				dst = append(dst, s[:n]...)
				s = s[n:]
				continue
			}
			dst = append(dst, "\uFFFD"...)
			s = s[1:]
			continue
		}
		s = s[1:]
		switch c {
		case '\a':
			dst = append(dst, `\a`...)
		case '\b':
			dst = append(dst, `\b`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		case '\v':
			dst = append(dst, `\v`...)
		default:
			if c < 0x20 || c == 0x7f {
				dst = append(dst, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
			} else {
				dst = append(dst, c)
			}
		}
	}
	return dst
}
