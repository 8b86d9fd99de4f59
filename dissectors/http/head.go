package http

import "errors"

// MaxHeaders bounds the header lines ParseHead keeps; more are read past
// but not returned.
const MaxHeaders = 256

// Errors of ParseHead.
var (
	ErrNotHTTP    = errors.New("http: first line is not a request or status line")
	ErrIncomplete = errors.New("http: head not terminated by an empty line")
)

// Header is one header line, split at its first colon; the value has its
// leading blanks removed. Both alias the bytes parsed.
type Header struct {
	Name, Value []byte
}

// Head is a message's first line and headers.
type Head struct {
	FirstLine
	Headers []Header
	// Len is the length of the head, up to and including the empty line
	// that ends it (or all the bytes when ErrIncomplete).
	Len int
}

// ParseHead reads the head of the message starting b. It returns
// ErrNotHTTP when the first line is neither a request nor a status line,
// and ErrIncomplete, with what it read, when no empty line ends the head.
func ParseHead(b []byte) (Head, error) {
	var h Head
	n, next := LineEnd(b)
	h.FirstLine = ParseFirstLine(b[:n])
	if h.Kind == NotHTTP {
		return h, ErrNotHTTP
	}
	off := next
	for off < len(b) {
		n, next := LineEnd(b[off:])
		line := b[off : off+n]
		off += next
		if n == 0 {
			h.Len = off
			return h, nil
		}
		if len(h.Headers) < MaxHeaders {
			h.Headers = append(h.Headers, splitHeader(line))
		}
	}
	h.Len = len(b)
	return h, ErrIncomplete
}

func splitHeader(line []byte) Header {
	i := indexByte(line, ':')
	if i < 0 {
		return Header{Name: line}
	}
	v := line[i+1:]
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	return Header{Name: line[:i], Value: v}
}

// Get returns the value of the first header named name (case-insensitive).
func (h *Head) Get(name string) ([]byte, bool) {
	for _, x := range h.Headers {
		if equalFold(x.Name, name) {
			return x.Value, true
		}
	}
	return nil, false
}

// ContentLength returns the Content-Length header's value when it is a
// decimal number, as Wireshark's http.content_length.
func (h *Head) ContentLength() (uint64, bool) {
	v, ok := h.Get("Content-Length")
	if !ok {
		return 0, false
	}
	return ParseDecimal(v)
}

// ParseDecimal reads a whole value as an unsigned decimal number (leading
// and trailing blanks allowed), refusing overflow, as Wireshark reads
// Content-Length for http.content_length.
func ParseDecimal(v []byte) (uint64, bool) {
	v = trimBlanks(v)
	if len(v) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range v {
		if c < '0' || c > '9' || n > (1<<64-1-9)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

func trimBlanks(v []byte) []byte {
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	return v
}

// equalFold compares ASCII case-insensitively.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether b starts with s, ASCII case-insensitively.
func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && equalFold(b[:len(s)], s)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 32
	}
	return c
}

// MediaType returns a Content-Type value's media type, lower-cased and
// without parameters ("text/html; charset=utf-8" gives "text/html").
func MediaType(v []byte) string {
	if i := indexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	v = trimBlanks(v)
	out := make([]byte, len(v))
	for i, c := range v {
		out[i] = lower(c)
	}
	return string(out)
}

// HeadLen returns the length of the head of the message starting b, up to
// and including the empty line that ends it; false when there is none.
func HeadLen(b []byte) (int, bool) {
	for off := 0; off < len(b); {
		n, next := LineEnd(b[off:])
		off += next
		if n == 0 {
			return off, true
		}
	}
	return len(b), false
}

// FindHeader returns the value of the first header named name
// (case-insensitive) in the head of the message starting b, without
// building the list ParseHead does.
func FindHeader(b []byte, name string) ([]byte, bool) {
	_, off := LineEnd(b) // the first line
	for off < len(b) {
		n, next := LineEnd(b[off:])
		line := b[off : off+n]
		off += next
		if n == 0 {
			break
		}
		if len(line) > len(name) && line[len(name)] == ':' && equalFold(line[:len(name)], name) {
			return splitHeader(line).Value, true
		}
	}
	return nil, false
}
