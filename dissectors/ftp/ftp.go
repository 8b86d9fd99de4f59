// Package ftp parses the control connection of the File Transfer Protocol
// (RFC 959): lines of commands from the client, lines of numbered replies
// from the server. It reads lines as Wireshark's FTP dissector does
// (packet-ftp.c): a line ends at CR, LF or CRLF, or at the end of the
// bytes; a request's command is its first token up to a space, its
// argument what follows the spaces after it; a reply line starting with
// three digits carries a code, and its text starts after the code and the
// one character (space or hyphen) that follows it. A reply line without
// the digits is a line inside a multi-line reply.
package ftp

import "errors"

// MaxLines bounds the lines Parse returns; the rest of a longer input is
// left unparsed.
const MaxLines = 4096

// ErrEmpty is returned for an input without a byte.
var ErrEmpty = errors.New("ftp: no bytes")

// Line is one line of the control connection. Its slices alias the bytes
// parsed.
type Line struct {
	Text    []byte // the line, without its terminator
	Request bool   // sent to the server (a command)
	// Command is a request's first token (nil when the line starts with
	// a space); Arg the rest of a request's line after the spaces that
	// follow the command, or a reply's text after the code and its
	// separator (the whole line when there is no code).
	Command []byte
	Arg     []byte
	// HasCode is set when a reply line starts with three digits, which
	// Code holds.
	HasCode bool
	Code    int
	// More is set when the code is followed by a hyphen: the first line
	// of a multi-line reply (RFC 959 section 4.2).
	More bool
}

// LineEnd finds the end of the first line of b: n is the line's length
// without its terminator, next where the following line starts (len(b)
// when the line runs to the end).
func LineEnd(b []byte) (n, next int) {
	for i, c := range b {
		switch c {
		case '\n':
			return i, i + 1
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
	}
	return len(b), len(b)
}

// ParseLine reads one line (without its terminator), a request when
// request is set, else a reply.
func ParseLine(line []byte, request bool) Line {
	l := Line{Text: line, Request: request}
	if request {
		i := 0
		for i < len(line) && line[i] != ' ' && line[i] != '\r' && line[i] != '\n' {
			i++
		}
		if i > 0 {
			l.Command = line[:i]
		}
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i < len(line) {
			l.Arg = line[i:]
		}
		return l
	}
	if len(line) >= 3 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) {
		l.HasCode = true
		l.Code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
		l.More = len(line) >= 4 && line[3] == '-'
		if len(line) > 4 {
			l.Arg = line[4:]
		}
		return l
	}
	if len(line) > 0 {
		l.Arg = line
	}
	return l
}

// Parse splits b into lines and reads each; request says which side sent
// them. At most MaxLines lines are read.
func Parse(b []byte, request bool) ([]Line, error) {
	if len(b) == 0 {
		return nil, ErrEmpty
	}
	var out []Line
	for off := 0; off < len(b) && len(out) < MaxLines; {
		n, next := LineEnd(b[off:])
		out = append(out, ParseLine(b[off:off+n], request))
		off += next
	}
	return out, nil
}

// IsRequest says whether a segment between the ports is a request: sent
// to the control port (21), as Wireshark decides.
func IsRequest(dstPort uint16) bool { return dstPort == 21 }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
