package http

// Message framing over a byte stream, as Wireshark's HTTP dissector
// delimits messages with its default preferences (reassemble headers and
// bodies, req_resp_hdrs_do_reassembly in req_resp_hdrs.c):
//
//   - a message whose first byte is not printable, or whose first line
//     is neither a request nor a status line, is continuation data that
//     runs to the end of the bytes at hand;
//   - the head runs to the first empty line (CR, LF or CRLF ends a line);
//   - a response to HEAD, a 1xx, 204 or 304 response has no body;
//   - otherwise "Transfer-Encoding: chunked" delimits the body by its
//     chunks (ending after the empty line that follows the zero-size
//     chunk), else Content-Length, else a
//     response's body runs until the connection closes and a request has
//     none.

// Status is what Framer.Next found.
type Status uint8

const (
	NeedMore     Status = iota // the message goes on past the bytes given
	Complete                   // the message ends at the length returned
	Continuation               // not a message: continuation data, to the end of the bytes
	UntilClose                 // the body runs until the connection closes
)

// phases of a Framer.
const (
	phStart = iota
	phHeaders
	phFixed
	phChunkLine
	phChunkData
	phTrailer
	phUntilClose
)

// Framer finds where one message ends in bytes that grow as segments
// come. Its zero value is ready for a message; Reset readies it for the
// next. Scanning resumes where the previous call stopped, so feeding a
// long message segment by segment costs its length once.
type Framer struct {
	phase   uint8
	kind    Kind
	head    bool // a request whose method is HEAD
	chunked bool
	hasLen  bool
	code    int
	length  int64
	pos     int // where scanning resumes
	end     int // phFixed, phChunkData: where the body or chunk ends
}

// Reset readies the Framer for a new message.
func (f *Framer) Reset() { *f = Framer{} }

// Kind is the kind of the message's first line, once it was read.
func (f *Framer) Kind() Kind { return f.kind }

// IsHEAD reports whether the message is a request with method HEAD.
func (f *Framer) IsHEAD() bool { return f.head }

// Code is a response's status code, once its first line was read.
func (f *Framer) Code() int { return f.code }

// Want is the length the message is known to have (head and
// Content-Length body), or 0 while it is not known.
func (f *Framer) Want() int {
	if f.phase == phFixed {
		return f.end
	}
	return 0
}

// Next examines b, the message's bytes from its first: the bytes of the
// previous call (of the same message) followed by what came since.
// afterHEAD says the last request on the connection was a HEAD, so a
// response has no body. It returns Complete with the message's length,
// Continuation with len(b), UntilClose, or NeedMore.
func (f *Framer) Next(b []byte, afterHEAD bool) (int, Status) {
	// Each pass of the loop consumes a line or ends the call, so it runs
	// at most len(b) times.
	for {
		switch f.phase {
		case phStart:
			if len(b) == 0 {
				return 0, NeedMore
			}
			if c := b[0]; c < 0x20 || c > 0x7e {
				return len(b), Continuation
			}
			n, next, ok := lineEnd(b)
			if !ok {
				return 0, NeedMore
			}
			fl := ParseFirstLine(b[:n])
			if fl.Kind == NotHTTP {
				return len(b), Continuation
			}
			f.kind, f.code = fl.Kind, fl.Code
			f.head = fl.Kind == Request && string(fl.Method) == "HEAD"
			f.pos, f.phase = next, phHeaders
		case phHeaders:
			n, next, ok := lineEnd(b[f.pos:])
			if !ok {
				return 0, NeedMore
			}
			line := b[f.pos : f.pos+n]
			f.pos += next
			if n > 0 {
				f.header(line)
				continue
			}
			if f.kind == Response && (afterHEAD || f.code/100 == 1 || f.code == 204 || f.code == 304) {
				return f.pos, Complete
			}
			switch {
			case f.chunked:
				f.phase = phChunkLine
			case f.hasLen:
				if f.length <= 0 {
					return f.pos, Complete
				}
				f.phase = phFixed
				f.end = f.pos + int(min(f.length, 1<<40))
			case f.kind == Response:
				f.phase = phUntilClose
			default:
				return f.pos, Complete
			}
		case phFixed:
			if len(b) >= f.end {
				return f.end, Complete
			}
			return 0, NeedMore
		case phChunkLine:
			n, next, ok := lineEnd(b[f.pos:])
			if !ok {
				return 0, NeedMore
			}
			size, ok := scanHex(b[f.pos : f.pos+n])
			if !ok {
				// A chunk size Wireshark cannot read ends its
				// reassembly: the message is what there is.
				return len(b), Complete
			}
			f.pos += next
			if size == 0 {
				f.phase = phTrailer
				continue
			}
			f.end = f.pos + int(min(size, 1<<40)) + 2 // the chunk and its CRLF
			f.phase = phChunkData
		case phChunkData:
			if len(b) < f.end {
				return 0, NeedMore
			}
			f.pos, f.phase = f.end, phChunkLine
		case phTrailer:
			n, next, ok := lineEnd(b[f.pos:])
			if !ok {
				return 0, NeedMore
			}
			f.pos += next
			if n == 0 {
				return f.pos, Complete
			}
		default: // phUntilClose
			return 0, UntilClose
		}
	}
}

// header notes the headers that delimit the body, as Wireshark's
// reassembly reads them: the line must start with the name.
func (f *Framer) header(line []byte) {
	// Most lines are neither: the first letter tells cheaply.
	if len(line) < 15 || line[0]|0x20 != 'c' && line[0]|0x20 != 't' {
		return
	}
	switch {
	case hasPrefixFold(line, "Content-Length:"):
		// Wireshark's reassembly reads the length with %i, its
		// dissection as a decimal number, which then decides where
		// the message ends; %i counts only where that fails.
		if v, ok := ParseDecimal(line[15:]); ok && v < 1<<50 {
			f.length, f.hasLen = int64(v), true
		} else if v, ok := scanInt(line[15:]); ok {
			f.length, f.hasLen = v, true
		}
	case hasPrefixFold(line, "Transfer-Encoding:"):
		v := line[18:]
		for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
			v = v[1:]
		}
		if hasPrefixFold(v, "chunked") {
			f.chunked = true
		}
	}
}

// scanInt reads a number as C's sscanf("%i") does: blanks, a sign, then
// hexadecimal after 0x, octal after 0, else decimal; false when no digit
// comes. Values saturate far beyond any message length.
func scanInt(b []byte) (int64, bool) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	base := int64(10)
	if i < len(b) && b[i] == '0' {
		base = 8
		if i+2 < len(b) && (b[i+1] == 'x' || b[i+1] == 'X') && hexDigit(b[i+2]) >= 0 {
			base = 16
			i += 2
		}
	}
	var v int64
	digits := 0
	for ; i < len(b); i++ {
		d := int64(hexDigit(b[i]))
		if d < 0 || d >= base {
			break
		}
		v = min(v*base+d, 1<<50)
		digits++
	}
	if digits == 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanHex reads a chunk size as sscanf("%x") does, ignoring chunk
// extensions after ';'.
func scanHex(b []byte) (int64, bool) {
	if i := indexByte(b, ';'); i >= 0 {
		b = b[:i]
	}
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if i+2 < len(b) && b[i] == '0' && (b[i+1] == 'x' || b[i+1] == 'X') && hexDigit(b[i+2]) >= 0 {
		i += 2
	}
	var v int64
	digits := 0
	for ; i < len(b) && hexDigit(b[i]) >= 0; i++ {
		v = min(v*16+int64(hexDigit(b[i])), 1<<50)
		digits++
	}
	if digits == 0 || neg && v != 0 {
		// A negative size is one Wireshark refuses.
		return 0, false
	}
	return v, true
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
