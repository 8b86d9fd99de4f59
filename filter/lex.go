package filter

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // field or protocol name, number, address, byte string, keyword
	tString         // "..." or r"..." (text holds the decoded value)
	tChar           // '.' (text holds the one decoded byte)
	tSlice          // [...] (text holds what is between the brackets)
	tLParen
	tRParen
	tLBrace
	tRBrace
	tComma
	tDotDot
	tAnd    // && and
	tOr     // || or
	tNot    // ! not
	tCmp    // comparison operators, op says which
	tBitAnd // & bitwise_and
)

// op is a comparison operator.
type op uint8

const (
	opNone     op = iota
	opEq          // == eq any_eq: some occurrence equals
	opNe          // != ne all_ne: the field is present and no occurrence equals
	opAllEq       // === all_eq: the field is present and every occurrence equals
	opAnyNe       // ~= !== any_ne: some occurrence differs
	opGt          // > gt
	opGe          // >= ge
	opLt          // < lt
	opLe          // <= le
	opContains    // contains
	opMatches     // matches ~
	opIn          // in
	opNotIn       // not in
)

var opNames = [...]string{opNone: "?", opEq: "==", opNe: "!=", opAllEq: "===", opAnyNe: "~=", opGt: ">", opGe: ">=",
	opLt: "<", opLe: "<=", opContains: "contains", opMatches: "matches", opIn: "in", opNotIn: "not in"}

func (o op) String() string { return opNames[o] }

// ordered reports whether o compares by order rather than equality.
func (o op) ordered() bool { return o >= opGt && o <= opLe }

type token struct {
	kind tokKind
	op   op
	pos  int // byte offset of the token in the expression
	end  int // byte offset just past it
	text string
}

// keywords are the word operators. Wireshark accepts them in lower case
// only.
var keywords = map[string]token{
	"and": {kind: tAnd}, "or": {kind: tOr}, "not": {kind: tNot},
	"eq": {kind: tCmp, op: opEq}, "any_eq": {kind: tCmp, op: opEq},
	"ne": {kind: tCmp, op: opNe}, "all_ne": {kind: tCmp, op: opNe},
	"all_eq": {kind: tCmp, op: opAllEq}, "any_ne": {kind: tCmp, op: opAnyNe},
	"gt": {kind: tCmp, op: opGt}, "ge": {kind: tCmp, op: opGe},
	"lt": {kind: tCmp, op: opLt}, "le": {kind: tCmp, op: opLe},
	"contains": {kind: tCmp, op: opContains}, "matches": {kind: tCmp, op: opMatches},
	"in": {kind: tCmp, op: opIn}, "bitwise_and": {kind: tBitAnd},
}

// lexer splits an expression into tokens. Words are runs of the
// characters that make up field names and unquoted literals (numbers,
// addresses, subnets, byte strings): what a word means is decided by the
// type checker, once it knows the field on the other side.
type lexer struct {
	src string
	pos int
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c == '+'
}

func (lx *lexer) errAt(pos, end int, format string, args ...any) *SyntaxError {
	return newError(lx.src, pos, end, format, args...)
}

func (lx *lexer) next() (token, error) {
	s := lx.src
	for lx.pos < len(s) && (s[lx.pos] == ' ' || s[lx.pos] == '\t' || s[lx.pos] == '\n' || s[lx.pos] == '\r') {
		lx.pos++
	}
	start := lx.pos
	if start >= len(s) {
		return token{kind: tEOF, pos: start, end: start}, nil
	}
	tok := func(k tokKind, o op, n int) (token, error) {
		lx.pos += n
		return token{kind: k, op: o, pos: start, end: lx.pos, text: s[start:lx.pos]}, nil
	}
	has := func(p string) bool { return strings.HasPrefix(s[start:], p) }
	c := s[start]
	switch {
	case c == '(':
		return tok(tLParen, 0, 1)
	case c == ')':
		return tok(tRParen, 0, 1)
	case c == '{':
		return tok(tLBrace, 0, 1)
	case c == '}':
		return tok(tRBrace, 0, 1)
	case c == ',':
		return tok(tComma, 0, 1)
	case has(".."):
		return tok(tDotDot, 0, 2)
	case has("&&"):
		return tok(tAnd, 0, 2)
	case has("||"):
		return tok(tOr, 0, 2)
	case has("==="):
		return tok(tCmp, opAllEq, 3)
	case has("!=="):
		return tok(tCmp, opAnyNe, 3)
	case has("=="):
		return tok(tCmp, opEq, 2)
	case has("!="):
		return tok(tCmp, opNe, 2)
	case has("~="):
		return tok(tCmp, opAnyNe, 2)
	case has(">="):
		return tok(tCmp, opGe, 2)
	case has("<="):
		return tok(tCmp, opLe, 2)
	case c == '>':
		return tok(tCmp, opGt, 1)
	case c == '<':
		return tok(tCmp, opLt, 1)
	case c == '~':
		return tok(tCmp, opMatches, 1)
	case c == '!':
		return tok(tNot, 0, 1)
	case c == '&':
		return tok(tBitAnd, 0, 1)
	case c == '=':
		return token{}, lx.errAt(start, start+1, `"=" is not an operator; use "==" to compare`)
	case c == '|':
		return token{}, lx.errAt(start, start+1, `"|" is not an operator; use "||" or "or"`)
	case c == '"':
		return lx.quoted(start, start+1, false)
	case (c == 'r' || c == 'R') && start+1 < len(s) && s[start+1] == '"':
		return lx.quoted(start, start+2, true)
	case c == '\'':
		return lx.char(start)
	case c == '[':
		end := strings.IndexByte(s[start:], ']')
		if end < 0 {
			return token{}, lx.errAt(start, start+1, `missing "]" to close this "["`)
		}
		lx.pos = start + end + 1
		return token{kind: tSlice, pos: start, end: lx.pos, text: s[start+1 : start+end]}, nil
	case isWordByte(c):
		i := start
		for i < len(s) && isWordByte(s[i]) {
			// ".." separates the ends of a range: {1..1024}.
			if s[i] == '.' && i+1 < len(s) && s[i+1] == '.' {
				break
			}
			i++
		}
		lx.pos = i
		w := s[start:i]
		if k, ok := keywords[w]; ok {
			k.pos, k.end, k.text = start, i, w
			return k, nil
		}
		return token{kind: tWord, pos: start, end: i, text: w}, nil
	}
	r, n := utf8.DecodeRuneInString(s[start:])
	return token{}, lx.errAt(start, start+n, "unexpected character %q", r)
}

// quoted reads a double-quoted string whose body starts at body; raw
// strings keep backslashes as they are.
func (lx *lexer) quoted(start, body int, raw bool) (token, error) {
	s := lx.src
	var b []byte
	i := body
	for {
		if i >= len(s) {
			return token{}, lx.errAt(start, start+1, "missing closing quote")
		}
		c := s[i]
		if c == '"' {
			break
		}
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		if raw {
			// A raw string still cannot contain a bare quote: \" keeps
			// both characters.
			b = append(b, c)
			if i+1 < len(s) {
				b = append(b, s[i+1])
			}
			i += 2
			continue
		}
		n, v, err := lx.escape(i)
		if err != nil {
			return token{}, err
		}
		b = append(b, v...)
		i += n
	}
	lx.pos = i + 1
	return token{kind: tString, pos: start, end: lx.pos, text: string(b)}, nil
}

// escape decodes the backslash escape at s[i], returning its length and
// the bytes it stands for.
func (lx *lexer) escape(i int) (int, []byte, error) {
	s := lx.src
	if i+1 >= len(s) {
		return 0, nil, lx.errAt(i, i+1, "backslash at the end of the filter")
	}
	c := s[i+1]
	switch c {
	case 'a':
		return 2, []byte{7}, nil
	case 'b':
		return 2, []byte{8}, nil
	case 'f':
		return 2, []byte{12}, nil
	case 'n':
		return 2, []byte{'\n'}, nil
	case 'r':
		return 2, []byte{'\r'}, nil
	case 't':
		return 2, []byte{'\t'}, nil
	case 'v':
		return 2, []byte{11}, nil
	case '\\', '"', '\'':
		return 2, []byte{c}, nil
	case 'x':
		j := i + 2
		for j < len(s) && j < i+4 && isHex(s[j]) {
			j++
		}
		if j == i+2 {
			return 0, nil, lx.errAt(i, i+2, `\x must be followed by hex digits`)
		}
		v, _ := strconv.ParseUint(s[i+2:j], 16, 8)
		return j - i, []byte{byte(v)}, nil
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if i+2+n > len(s) {
			return 0, nil, lx.errAt(i, len(s), `\%c needs %d hex digits`, c, n)
		}
		v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return 0, nil, lx.errAt(i, i+2+n, "%s is not a valid character", s[i:i+2+n])
		}
		return 2 + n, utf8.AppendRune(nil, rune(v)), nil
	}
	if c >= '0' && c <= '7' {
		j := i + 1
		for j < len(s) && j < i+4 && s[j] >= '0' && s[j] <= '7' {
			j++
		}
		v, _ := strconv.ParseUint(s[i+1:j], 8, 16)
		if v > 255 {
			return 0, nil, lx.errAt(i, j, "%s is not a byte", s[i:j])
		}
		return j - i, []byte{byte(v)}, nil
	}
	r, n := utf8.DecodeRuneInString(s[i+1:])
	return 0, nil, lx.errAt(i, i+1+n, `\%c is not a valid escape sequence`, r)
}

// char reads a character constant such as 'a' or '\x01'.
func (lx *lexer) char(start int) (token, error) {
	s := lx.src
	i := start + 1
	var v []byte
	switch {
	case i >= len(s):
		return token{}, lx.errAt(start, start+1, "missing closing quote")
	case s[i] == '\\':
		n, b, err := lx.escape(i)
		if err != nil {
			return token{}, err
		}
		v, i = b, i+n
	default:
		_, n := utf8.DecodeRuneInString(s[i:])
		v, i = []byte(s[i:i+n]), i+n
	}
	if i >= len(s) || s[i] != '\'' {
		return token{}, lx.errAt(start, min(i+1, len(s)), "a character constant holds one character and ends with '")
	}
	if len(v) != 1 {
		return token{}, lx.errAt(start, i+1, "a character constant must be a single byte")
	}
	lx.pos = i + 1
	return token{kind: tChar, pos: start, end: lx.pos, text: string(v)}, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
