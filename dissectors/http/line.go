package http

import "bytes"

// Lines and the first line of a message.

// lineEnd finds the end of the first line of b as Wireshark's
// tvb_find_line_end does when it may ask for more data: n is the line's
// length without its terminator (CR, LF or CRLF) and next where the
// following line starts; ok is false when b holds no complete line (a CR
// as b's last byte may yet be followed by its LF).
func lineEnd(b []byte) (n, next int, ok bool) {
	for i, c := range b {
		switch c {
		case '\n':
			return i, i + 1, true
		case '\r':
			if i+1 == len(b) {
				return 0, 0, false
			}
			if b[i+1] == '\n' {
				return i, i + 2, true
			}
			return i, i + 1, true
		}
	}
	return 0, 0, false
}

// LineEnd finds the end of the first line of b (see lineEnd); a line that
// runs to the end of b ends there.
func LineEnd(b []byte) (n, next int) {
	if n, next, ok := lineEnd(b); ok {
		return n, next
	}
	n = len(b)
	if n > 0 && b[n-1] == '\r' {
		n--
	}
	return n, len(b)
}

// Kind says what a message's first line makes it.
type Kind uint8

const (
	NotHTTP  Kind = iota // not a request or status line: continuation data
	Request              // a request line: method, URI, version
	Response             // a status line: version, code, phrase
)

// FirstLine is a message's request or status line; its slices alias the
// line. A part the line lacks is nil.
type FirstLine struct {
	Kind    Kind
	Method  []byte // requests
	URI     []byte // requests
	Version []byte // requests and responses ("HTTP/1.1")
	// Code is a response's status code: the first three characters after
	// the version, as digits (Wireshark reads no more; a code that is not
	// three digits reads as 0). HasCode says the line has them.
	Code    int
	HasCode bool
	Phrase  []byte // responses: the reason phrase
}

// methods are the request methods Wireshark's HTTP dissector recognizes
// (HTTP, WebDAV, SSDP, RTSP-over-HTTP tunnels and others), by length.
var methods = map[string]bool{
	"GET": true, "PUT": true,
	"HEAD": true, "POST": true, "COPY": true, "LOCK": true, "MOVE": true, "POLL": true, "BIND": true, "LINK": true,
	"TRACE": true, "PATCH": true, "MKCOL": true, "MERGE": true, "LABEL": true, "BCOPY": true, "BMOVE": true,
	"DELETE": true, "SEARCH": true, "UNLOCK": true, "REPORT": true, "UPDATE": true, "NOTIFY": true, "REBIND": true,
	"UNBIND": true, "UNLINK": true, "SOURCE": true,
	"BDELETE": true, "CONNECT": true, "OPTIONS": true, "CHECKIN": true,
	"PROPFIND": true, "CHECKOUT": true, "CCM_POST": true, "M-SEARCH": true,
	"PROPPATCH": true, "SUBSCRIBE": true, "BPROPFIND": true,
	"BPROPPATCH": true, "UNCHECKOUT": true, "MKACTIVITY": true,
	"MKWORKSPACE": true, "UNSUBSCRIBE": true, "RPC_CONNECT": true,
	"RPC_IN_DATA": true, "RPC_OUT_DATA": true,
	"VERSION-CONTROL":  true,
	"BASELINE-CONTROL": true,
}

// ParseFirstLine reads a request or status line (without its
// terminator). A line that is neither has Kind NotHTTP.
func ParseFirstLine(line []byte) FirstLine {
	var fl FirstLine
	if len(line) >= 5 && string(line[:5]) == "HTTP/" {
		fl.Kind = Response
		i := indexByte(line, ' ')
		if i < 0 {
			fl.Version = line
			return fl
		}
		fl.Version = line[:i]
		rest := line[i+1:]
		if len(rest) >= 3 {
			fl.HasCode = true
			for _, c := range rest[:3] {
				if c < '0' || c > '9' {
					fl.Code = 0
					break
				}
				fl.Code = fl.Code*10 + int(c-'0')
			}
			// The phrase follows the space after the code, however
			// long the code ran.
			if j := indexByte(rest, ' '); j >= 0 && j+1 < len(rest) {
				fl.Phrase = rest[j+1:]
			}
		}
		return fl
	}
	i := indexByte(line, ' ')
	tok := line
	if i >= 0 {
		tok = line[:i]
	}
	if !methods[string(tok)] {
		return fl
	}
	fl.Kind = Request
	fl.Method = tok
	if i < 0 {
		return fl
	}
	rest := line[i+1:]
	j := indexByte(rest, ' ')
	if j < 0 {
		if len(rest) > 0 {
			fl.URI = rest
		}
		return fl
	}
	fl.URI = rest[:j]
	if v := rest[j+1:]; len(v) > 0 {
		fl.Version = v
	}
	return fl
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// LooksLikeHTTP is Wireshark's heuristic for HTTP on a TCP port no
// dissector claims: the segment's first line is complete and starts
// with "HTTP/1." or ends with it followed by one character (a request
// line's version), case-insensitively.
func LooksLikeHTTP(b []byte) bool {
	// The first line end, found with the fast byte search: most segments
	// this sees are not text.
	n := bytes.IndexByte(b, '\n')
	if n < 0 {
		n = len(b)
	}
	if r := bytes.IndexByte(b[:n], '\r'); r >= 0 {
		n = r
		if r+1 == len(b) {
			return false // a CR at the end: the line may go on
		}
	} else if n == len(b) {
		return false
	}
	if n == 8 {
		return false
	}
	line := b[:n]
	return hasPrefixFold(line, "HTTP/1.") || n > 8 && hasPrefixFold(line[n-8:], "HTTP/1.")
}
