package kerberos

// KDCOptions holds the kdc-options bit string of a KDC request, bit 0 (the
// first bit on the wire, RFC 4120 numbering) in the most significant bit,
// so the value printed in hex reads as Wireshark's kerberos.kdc_options.
type KDCOptions uint32

// KDC options (RFC 4120 §5.4.1, RFC 6806, MS-KILE), named as Wireshark's
// kerberos.KDCOptions.* fields.
const (
	OptForwardable           KDCOptions = 1 << (31 - 1)
	OptForwarded             KDCOptions = 1 << (31 - 2)
	OptProxiable             KDCOptions = 1 << (31 - 3)
	OptProxy                 KDCOptions = 1 << (31 - 4)
	OptAllowPostdate         KDCOptions = 1 << (31 - 5)
	OptPostdated             KDCOptions = 1 << (31 - 6)
	OptRenewable             KDCOptions = 1 << (31 - 8)
	OptHardwareAuth          KDCOptions = 1 << (31 - 11)
	OptConstrainedDelegation KDCOptions = 1 << (31 - 14)
	OptCanonicalize          KDCOptions = 1 << (31 - 15)
	OptRequestAnonymous      KDCOptions = 1 << (31 - 16)
	OptDisableTransitedCheck KDCOptions = 1 << (31 - 26)
	OptRenewableOK           KDCOptions = 1 << (31 - 27)
	OptEncTktInSkey          KDCOptions = 1 << (31 - 28)
	OptRenew                 KDCOptions = 1 << (31 - 30)
	OptValidate              KDCOptions = 1 << (31 - 31)
)

var kdcOptionNames = []struct {
	bit  KDCOptions
	name string
}{
	{OptForwardable, "forwardable"}, {OptForwarded, "forwarded"}, {OptProxiable, "proxiable"},
	{OptProxy, "proxy"}, {OptAllowPostdate, "allow-postdate"}, {OptPostdated, "postdated"},
	{OptRenewable, "renewable"}, {OptHardwareAuth, "opt-hardware-auth"},
	{OptConstrainedDelegation, "constrained-delegation"}, {OptCanonicalize, "canonicalize"},
	{OptRequestAnonymous, "request-anonymous"},
	{OptDisableTransitedCheck, "disable-transited-check"}, {OptRenewableOK, "renewable-ok"},
	{OptEncTktInSkey, "enc-tkt-in-skey"}, {OptRenew, "renew"}, {OptValidate, "validate"},
}

// Has reports whether every option of f is set.
func (o KDCOptions) Has(f KDCOptions) bool { return o&f == f }

// Names lists the options set, in bit order, with Wireshark's names
// ("forwardable", "renewable", "canonicalize", ...). Bits without a name
// are left out.
func (o KDCOptions) Names() []string {
	var out []string
	for _, n := range kdcOptionNames {
		if o&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// APOptions holds the ap-options bit string of an AP-REQ, bit 0 in the most
// significant bit, as KDCOptions.
type APOptions uint32

// AP options (RFC 4120 §5.5.1).
const (
	APUseSessionKey  APOptions = 1 << (31 - 1)
	APMutualRequired APOptions = 1 << (31 - 2)
)

// Has reports whether every option of f is set.
func (o APOptions) Has(f APOptions) bool { return o&f == f }

// Names lists the options set with Wireshark's names ("use-session-key",
// "mutual-required").
func (o APOptions) Names() []string {
	var out []string
	if o&APUseSessionKey != 0 {
		out = append(out, "use-session-key")
	}
	if o&APMutualRequired != 0 {
		out = append(out, "mutual-required")
	}
	return out
}

// bitsToUint32 packs the first 32 bits of a BIT STRING's bytes, bit 0 in
// the most significant bit; bits past bitLen are ignored and missing ones
// are zero.
func bitsToUint32(b []byte, bitLen int) uint32 {
	var v uint32
	for i := 0; i < 32 && i < bitLen && i/8 < len(b); i++ {
		if b[i/8]&(0x80>>(i%8)) != 0 {
			v |= 1 << (31 - i)
		}
	}
	return v
}
