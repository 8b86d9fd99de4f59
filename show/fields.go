package show

import (
	"bufio"
	"fmt"

	"github.com/wirelark/wirelark/engine/packet"
)

// Occurrence selects which occurrences of a field are printed, as tshark's
// -E occurrence=f|l|a.
type Occurrence byte

const (
	AllOccurrences   Occurrence = 'a'
	FirstOccurrence  Occurrence = 'f'
	LastOccurrence   Occurrence = 'l'
	defaultSeparator            = '\t'
)

// FieldWriter prints chosen fields of each packet on one line.
type FieldWriter struct {
	w          *bufio.Writer
	fields     []*packet.Field
	Separator  string
	Aggregator string
	Occurrence Occurrence
	Quote      byte // 0, '"' or '\''
	buf        []byte
	vals       []packet.Value
}

// NewFieldWriter resolves the field names; an unknown name is an error that
// suggests the nearest registered one.
func NewFieldWriter(w *bufio.Writer, names []string) (*FieldWriter, error) {
	fw := &FieldWriter{w: w, Separator: "\t", Aggregator: ",", Occurrence: AllOccurrences}
	for _, n := range names {
		f, err := packet.Fields.Lookup(n)
		if err != nil {
			pr := packet.Fields.Proto(n)
			if pr == nil {
				return nil, err
			}
			f = protoField(pr)
		}
		fw.fields = append(fw.fields, f)
	}
	return fw, nil
}

// Header writes the field names as a header line.
func (fw *FieldWriter) Header() error {
	b := fw.buf[:0]
	for i, f := range fw.fields {
		if i > 0 {
			b = append(b, fw.Separator...)
		}
		b = append(b, f.Name...)
	}
	b = append(b, '\n')
	fw.buf = b
	_, err := fw.w.Write(b)
	return err
}

// Write prints one packet's line.
func (fw *FieldWriter) Write(p *packet.Packet) error {
	b := fw.buf[:0]
	for i, f := range fw.fields {
		if i > 0 {
			b = append(b, fw.Separator...)
		}
		vs := f.Values(p, fw.vals[:0])
		fw.vals = vs[:0]
		switch fw.Occurrence {
		case FirstOccurrence:
			if len(vs) > 1 {
				vs = vs[:1]
			}
		case LastOccurrence:
			if len(vs) > 1 {
				vs = vs[len(vs)-1:]
			}
		}
		if len(vs) > 0 && fw.Quote != 0 {
			b = append(b, fw.Quote)
		}
		for j, v := range vs {
			if j > 0 {
				b = append(b, fw.Aggregator...)
			}
			b = f.AppendValue(b, v)
		}
		if len(vs) > 0 && fw.Quote != 0 {
			b = append(b, fw.Quote)
		}
	}
	b = append(b, '\n')
	fw.buf = b
	_, err := fw.w.Write(b)
	return err
}

// ParseOption applies one tshark-style -E option ("header=y",
// "separator=,", "occurrence=f", "aggregator=;", "quote=d"). It reports
// whether a header was asked for.
func (fw *FieldWriter) ParseOption(opt string) (header bool, err error) {
	k, v, ok := cut(opt, '=')
	if !ok {
		return false, fmt.Errorf("-E %q: expected name=value", opt)
	}
	switch k {
	case "header":
		return v == "y", nil
	case "separator":
		switch v {
		case "/t":
			fw.Separator = "\t"
		case "/s":
			fw.Separator = " "
		default:
			fw.Separator = v
		}
	case "aggregator":
		switch v {
		case "/s":
			fw.Aggregator = " "
		default:
			fw.Aggregator = v
		}
	case "occurrence":
		switch v {
		case "a", "f", "l":
			fw.Occurrence = Occurrence(v[0])
		default:
			return false, fmt.Errorf("-E occurrence=%s: expected a, f or l", v)
		}
	case "quote":
		switch v {
		case "d":
			fw.Quote = '"'
		case "s":
			fw.Quote = '\''
		case "n":
			fw.Quote = 0
		default:
			return false, fmt.Errorf("-E quote=%s: expected d, s or n", v)
		}
	default:
		return false, fmt.Errorf("-E %s: unknown option (header, separator, aggregator, occurrence, quote)", k)
	}
	return false, nil
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// NeedsTracking reports whether a chosen field needs the decoder's
// capture-wide stream analysis.
func (fw *FieldWriter) NeedsTracking() bool {
	for _, f := range fw.fields {
		if f.NeedsTrack() {
			return true
		}
	}
	return false
}

// protoField makes a field of a protocol's name, whose value is the
// layer's tree line, as tshark prints for -e PROTO.
func protoField(pr *packet.Proto) *packet.Field {
	return &packet.Field{Name: pr.Name, Label: pr.Title, Type: packet.TString, Proto: pr,
		Get: func(p *packet.Packet, l *packet.Layer, dst []packet.Value) []packet.Value {
			title := pr.Title
			if pr.Node != nil {
				title = pr.Node(p, l)
			}
			return append(dst, packet.Str(title))
		}}
}
