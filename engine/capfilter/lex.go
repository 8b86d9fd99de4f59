package capfilter

import (
	"net/netip"
	"strings"
)

// tokKind classifies a token of a capture filter.
type tokKind int

const (
	tEOF  tokKind = iota
	tWord         // keyword, name, number, address, MAC, port range
	tOp           // punctuation and operators
)

// token is one lexical element; pos and end are byte offsets into the
// expression. escaped marks a word written with a leading backslash
// (\tcp), which libpcap uses to name a protocol that is also a keyword.
type token struct {
	kind     tokKind
	text     string
	pos, end int
	escaped  bool
}

// operators, longest first so that "<=" wins over "<".
var operators = []string{"&&", "||", "==", "!=", "<=", ">=", "<<", ">>",
	"(", ")", "[", "]", ":", "+", "-", "*", "/", "%", "&", "|", "^", "=", "<", ">", "!"}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == ':'
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lex splits expr into tokens. Words follow libpcap's scanner: a word may
// contain '-' and '.' (tcp-syn, 1-1024, host names), so "len-14" is one
// word there as here; ':' belongs to a word only when the whole word is an
// IPv6 address or a MAC address, so that tcp[13:1] splits as expected.
func lex(expr string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(expr) {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			i++
			continue
		case c == '\\':
			j := i + 1
			for j < len(expr) && isWordByte(expr[j]) && expr[j] != ':' {
				j++
			}
			if j == i+1 {
				return nil, errAt(expr, i, i+1, "a name must follow '\\'")
			}
			toks = append(toks, token{kind: tWord, text: expr[i+1 : j], pos: i, end: j, escaped: true})
			i = j
			continue
		case isAlnum(c) || c == ':' && i+1 < len(expr) && expr[i+1] == ':':
			j := i
			for j < len(expr) && isWordByte(expr[j]) {
				j++
			}
			w := expr[i:j]
			if strings.Contains(w, ":") && !isMACWord(w) && !isIPv6Word(w) {
				// Not an address: the word ends at the first ':'.
				k := strings.IndexByte(w, ':')
				if k == 0 {
					break // "::" that is no address: lexed as operators below
				}
				w = w[:k]
			}
			// A word ends with a letter or digit, as in libpcap.
			for len(w) > 1 && !isAlnum(w[len(w)-1]) && !strings.HasSuffix(w, "::") {
				w = w[:len(w)-1]
			}
			if w != "" && (isAlnum(w[0]) || strings.HasPrefix(w, "::")) {
				toks = append(toks, token{kind: tWord, text: w, pos: i, end: i + len(w)})
				i += len(w)
				continue
			}
		}
		matched := false
		for _, op := range operators {
			if strings.HasPrefix(expr[i:], op) {
				toks = append(toks, token{kind: tOp, text: op, pos: i, end: i + len(op)})
				i += len(op)
				matched = true
				break
			}
		}
		if !matched {
			r := []rune(expr[i:])[0]
			n := len(string(r))
			return nil, errAt(expr, i, i+n, "unexpected character %q", r)
		}
	}
	toks = append(toks, token{kind: tEOF, pos: len(expr), end: len(expr)})
	return toks, nil
}

// isMACWord reports whether w is a colon-separated MAC address
// (1:2:3:4:5:6 or 00:11:22:33:44:55).
func isMACWord(w string) bool {
	_, ok := parseMAC(w)
	return ok && strings.Contains(w, ":")
}

func isIPv6Word(w string) bool {
	a, err := netip.ParseAddr(w)
	return err == nil && a.Is6() && !a.Is4In6() || err == nil && strings.Contains(w, ":")
}
