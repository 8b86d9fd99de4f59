// Package http reads HTTP/1.x messages as Wireshark's HTTP dissector
// does: the request or status line, the header lines, and where a message
// ends in the byte stream of a TCP direction (Content-Length, chunked
// transfer coding, or the end of the connection). It parses bytes and
// knows nothing of packets; engine/packet wires it to TCP desegmentation
// and to the field registry.
package http
