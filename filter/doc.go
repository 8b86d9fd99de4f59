// Package filter compiles Wireshark display filters into predicates over
// decoded packets. It is the one filter implementation behind `show -Y`,
// `run -Y` and the REPL.
//
// A filter is parsed once, type-checked against the field registry
// (packet.Fields) and compiled to Go closures; Match then only reads the
// packet's fields into scratch buffers the Filter owns, so it does not
// allocate for the usual comparisons. Because of those buffers a Filter
// is not safe for concurrent use; Clone one per goroutine.
//
// # Language
//
// The syntax and meaning are Wireshark 4.0's:
//
//   - Presence: a protocol name (tcp, dns, mdns, icmpv6, _ws.malformed) is
//     true when the packet has a layer of that protocol, and a field name
//     (tcp.options.mss_val) when the field occurs at all. A bare boolean
//     field tests presence, not truth: use tcp.flags.syn == 1.
//   - Comparisons: == != === ~= !== > >= < <= and the word forms eq ne
//     all_eq any_eq all_ne any_ne gt ge lt le; contains; matches (also ~);
//     in {...} and not in {...}, whose elements are separated by commas
//     (or by blanks, as before Wireshark 4.0) and may be ranges lo..hi:
//     tcp.port in {80, 443, 8000..8080}.
//   - Logic: and && or || not !, with parentheses. not binds tightest,
//     then and, then or: "a or b and c" is "a or (b and c)".
//   - Bitwise and: tcp.flags & 0x02 (true when non-zero, or compared:
//     tcp.flags & 0x12 == 0x12).
//   - Slices of byte, string and address fields and of protocols:
//     eth.src[0:3] == 00:11:22, tcp.payload[-2:] == "\r\n", frame[0-1],
//     udp.payload[0:2,4:2] (ranges joined); a slice past the end of the
//     value does not exist.
//   - Functions: len(field) (length in bytes) and count(field) (number of
//     occurrences; absent fields give no value, as in Wireshark).
//   - Literals take the type of the field they are compared with: integers
//     in decimal, 0x hex, 0b binary or 0-prefixed octal, checked against
//     the field's width; value names of integer fields, quoted or not and
//     in any case (arp.opcode == reply, ip.proto == "UDP"); 1/0/true/false
//     for booleans; seconds for relative times (frame.time_relative > 1.5);
//     dates for frame.time ("2024-03-04 09:00:00" or "Mar  4, 2024
//     09:00:00", local time unless followed by UTC); IPv4 and IPv6
//     addresses and subnets (ip.addr == 10.0.0.0/8, ipv6.addr == fe80::/10);
//     Ethernet addresses as 00:11:22:33:44:55, 00-11-...,
//     0011.2233.4455 or 001122334455; byte strings as aa:bb:cc, aa-bb-cc,
//     aabbcc or a quoted string; strings quoted with C escapes (\n \t \\
//     \" \xhh \ooo \uXXXX), raw strings r"...", or unquoted words;
//     character constants 'a' and '\x01' for integers and bytes.
//   - Two fields can be compared (ip.src == ip.dst, tcp.srcport >
//     tcp.dstport); integers of different signedness and byte-like fields
//     of different kinds (bytes, slices, addresses) are compatible.
//
// Fields that occur several times (ip.addr, which is ip.src then ip.dst;
// tcp.port; eth.addr; a header quoted in an ICMP error; stacked VLAN tags)
// follow Wireshark 4.0: ==, the order comparisons, contains, matches and
// in hold if some occurrence satisfies them; != (all_ne) holds if the
// field occurs and no occurrence equals, so ip.addr != 10.0.0.1 excludes
// every packet to or from 10.0.0.1 and, like every comparison, is false
// when the field is absent; === (all_eq) needs every occurrence to be
// equal; ~= and !== (any_ne) need one that differs. "not in" is the
// negation of "in", so it also holds when the field is absent.
// Comparing two fields pairs every occurrence of one with every
// occurrence of the other under the same rules.
//
// # Differences from Wireshark
//
//   - matches uses Go's regexp syntax (RE2: no backreferences or
//     lookaround), not PCRE. As in Wireshark the match ignores case unless
//     the pattern starts with (?-i). On byte fields the pattern runs over
//     the raw bytes, read as UTF-8.
//   - Host names are not resolved: ip.addr == example.com is an error, not
//     a DNS lookup; neither are Ethernet vendor or host names.
//   - A literal on the left (80 == tcp.port) is an error, as in Wireshark;
//     so is a negative number for an unsigned field, which Wireshark
//     accepts and never matches.
//   - Sets may separate elements by blanks alone, which Wireshark 4.0
//     rejects.
//   - Not supported: arithmetic, field references ${...}, layer operators
//     (ip.addr#2), the functions upper, lower, string, max, min and abs,
//     and fields inside sets.
//   - The protocol bytes seen by contains, matches and slices of a
//     protocol (tcp contains "GET", udp[8:2]) are the layer's header and
//     payload as wirelark decoded them; where wirelark does not reassemble
//     (IP fragments, TCP streams) they are those of the frame.
//
// # Errors
//
// Compile returns a *SyntaxError: Error() is one line naming the column
// and what is wrong (unknown field names come with the nearest registered
// name as a suggestion), and Caret() adds the expression with a marker
// under the offending part:
//
//	column 1: unknown field or protocol "ip.scr" (did you mean "ip.src"?)
//	ip.scr == 10.0.0.1
//	^~~~~~
package filter
