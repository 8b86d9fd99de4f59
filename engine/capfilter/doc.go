// Package capfilter compiles capture filters, in tcpdump's pcap-filter(7)
// syntax, to classic BPF programs that live capture attaches to a packet
// socket (SO_ATTACH_FILTER), so that the kernel drops what the user did not
// ask for before it is copied. It is pure Go: no libpcap is needed to build
// or to run it.
//
// The compiler is the project's own. The pure-Go alternatives looked at
// (github.com/packetcap/go-pcap's filter package being the most complete)
// split expressions on spaces and have no parentheses, no and/or
// precedence, no proto[offset] arithmetic, no IPv6 transport checks and no
// VLAN handling, and are not kept up; none is in the module's
// dependencies either.
//
// Code generation follows libpcap's gencode.c primitive by primitive (the
// same tests in the same order: IPv6 before IPv4 for ports, the IPv4
// fragment-offset check before any transport-header load, the IPv6
// fragment-header case of "ip6 proto", ARP and RARP for "host", "vlan"
// moving every later offset by four bytes), and a small optimiser does
// what libpcap's does to such code: jumps over tests whose outcome is known
// on the way in, removal of loads of values already in a register, merging
// of identical blocks. Most programs come out instruction for instruction
// as tcpdump -d prints them; the tests compare both the instructions and
// the accept/reject decision on every packet of the shared captures.
//
// Supported: host, net (CIDR, "mask", partial "net 10"), port, portrange
// with src/dst/"src or dst"/"src and dst" and ip, ip6, arp, rarp, tcp, udp,
// sctp qualifiers; ether host/src/dst, ether proto, ether broadcast and
// multicast, ip/ip6 multicast; the protocol names ip, ip6, arp, rarp, tcp,
// udp, sctp, icmp, icmp6, igmp; ip/ip6/ether proto; vlan [ID]; less,
// greater; proto[expr:size] and len with + - * / % & | ^ << >> and
// comparisons; and, or, not, &&, ||, ! with parentheses and libpcap's
// precedence (and/or equal, left to right); a bare value after and/or
// reusing the previous qualifiers ("host a or b"). Link types: Ethernet,
// Linux cooked v1 and v2 ("-i any"), raw IP. Host and network names are
// not resolved, and port and protocol names come from a built-in table,
// so a filter compiles the same everywhere.
//
// Programs for a live Linux packet socket come from CompileLive: there
// the kernel usually keeps the outermost VLAN tag in the packet's metadata
// rather than in its data, so "vlan" tests the tag with the kernel's
// ancillary loads first and in the data second, and the offsets after it
// are kept in scratch memory, as libpcap compiles for a live interface
// (tcpdump -i IFACE -d); the tests compare those programs with tcpdump's
// too. Compile is for files, where the tag is in the frame.
//
// Errors in the expression are *SyntaxError, with the column; Caret shows
// it under the expression. Expressions that match nothing (as "arp" on raw
// IP) give ErrRejectsAll, as libpcap refuses them. Programs longer than the
// kernel's 4096 instructions are refused.
package capfilter
