package scripting

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/show"
)

// CaptureDocs is the reference of capture.open and the Capture value,
// for help(cap) in the REPL; a test keeps it in step with the attributes.
var CaptureDocs = []Doc{
	{"capture.open", "capture.open(path)", "Opens and indexes a capture file (pcap or pcapng, gzip'd or not) and returns a capture; only the REPL has it."},
	{"capture.live", "capture.live(\"eth0\", filter=\"\", count=0, duration=None, snaplen=0, promisc=True)", "Captures on an interface (a name, a list of names, or \"any\") until count packets, the duration (seconds, or a string such as \"30s\") or Ctrl-C, and returns a capture of what was seen, held in memory; filter is a capture filter (tcpdump syntax). Needs CAP_NET_RAW."},
	{"cap.conns", "cap.conns()", "Every TCP, UDP and ICMP connection (Conn values, as on_conn_end receives them), in order of start; afterwards pkt.conn is set for the capture's packets."},
	{"cap.filter", "cap.filter(\"dhcp || arp\")", "The packets a Wireshark display filter matches, as a list."},
	{"cap.format", "cap.format", "The file's format: \"pcap\" or \"pcapng\", with \"+gzip\" when compressed."},
	{"cap.link_types", "cap.link_types", "The link-layer types of the frames, in order of first use (\"Ethernet\", ...)."},
	{"cap.path", "cap.path", "The file's path, as given."},
	{"cap.run", "cap.run(\"@scripts/dhcp_transactions.star\", args={})", "Runs a script's handlers over the capture (a path, @lib/path.star, or a name from `wirelark scripts`) and prints its tables as text; args are its ARGS."},
	{"cap.stats", "cap.stats()", "The protocol hierarchy, as tshark -q -z io,phs prints it."},
	{"cap.streams", "cap.streams()", "One Stream per TCP connection, by tcp.stream (the direction of Follow's Node 0); stream.follow() shows the conversation as Wireshark's Follow TCP Stream."},
}

// ListLine is the packet's line in a packet list, as tshark prints it,
// with the number and time right-aligned in their columns.
func (pv *Packet) ListLine() (string, error) {
	p, err := pv.live()
	if err != nil {
		return "", err
	}
	return show.List(p).String(), nil
}

// FieldNamesBelow lists the dotted field names below a packet, layer or
// group of fields ("flags.syn" below a tcp layer), for completing
// attribute chains that pass through a field with children
// (pkt.tcp.flags.syn, see rewrite.go); nil for other values.
func FieldNamesBelow(v starlark.Value) []string {
	switch v := v.(type) {
	case *Packet:
		return relNames(tree().root)
	case *Layer:
		return relNames(v.n)
	case *Group:
		return relNames(v.n)
	}
	return nil
}

// Help describes a value for the REPL's help(obj): what it is, then its
// attributes with one-line docs. A string names a field or protocol of
// the registry ("ip.src", "dhcp") or a documented name ("on_packet",
// "stats").
func Help(v starlark.Value) string {
	var b strings.Builder
	switch v := v.(type) {
	case *Capture:
		fmt.Fprintf(&b, "%s: an open capture. len(cap) packets; cap[0] is packet 1, cap[-1] the last; cap[a:b] a list; for p in cap reads them in order.\n", v)
		docTable(&b, CaptureDocs[1:])
	case *Packet:
		fmt.Fprintf(&b, "packet %d: one decoded frame. Its attributes, then one per protocol layer (pkt.ip, pkt.tcp.flags.syn, pkt[\"dns.qry.name\"]):\n", v.num)
		docTable(&b, docsUnder(Docs, "pkt"))
		if p, err := v.live(); err == nil {
			p.Complete()
			b.WriteString("Layers of this packet:\n")
			var rows []Doc
			for i := range p.Layers {
				pr := packet.Fields.ProtoByID(p.Layers[i].Proto)
				if pr == nil || pr.ID == packet.ProtoFrame {
					continue
				}
				rows = append(rows, Doc{Sig: "pkt." + pr.Name, Text: pr.Title})
			}
			docTable(&b, rows)
		}
	case *Layer:
		fmt.Fprintf(&b, "%s layer: %s. Its fields (absent ones are None; a repeated one is a list), payload, fields(), all(name):\n", v.pr.Name, v.pr.Title)
		owner := tree().fieldsOf[v.pr]
		rows := fieldDocs(owner)
		for i := range rows {
			rows[i].Sig = strings.TrimPrefix(rows[i].Sig, owner.Name+".")
		}
		docTable(&b, rows)
	case *Group:
		fmt.Fprintf(&b, "%s: a group of fields:\n", v.n.path)
		var rows []Doc
		for _, n := range relNames(v.n) {
			if f := packet.Fields.Field(v.n.path + "." + n); f != nil && !f.Hidden {
				rows = append(rows, Doc{Sig: n, Text: fieldLine(f)})
			}
		}
		docTable(&b, rows)
	case *Conn:
		fmt.Fprintf(&b, "%s: a connection, as Zeek's conn.log describes it.\n", v)
		docTable(&b, docsUnder(ConnDocs, "conn"))
	case *Stream:
		fmt.Fprintf(&b, "%s: one direction of a TCP connection's reassembled bytes.\n", v)
		docTable(&b, docsUnder(ConnDocs, "stream"))
	case *starlarkstruct.Module:
		if v.Name == "capture" {
			b.WriteString("capture: opens capture files.\n")
			docTable(&b, CaptureDocs[:1])
			break
		}
		return helpName(v.Name)
	case *starlark.Builtin:
		name := v.Name()
		switch v.Receiver().(type) {
		case *Capture:
			name = "cap." + name
		case *Packet:
			name = "pkt." + name
		case *Layer:
			name = "layer." + name
		}
		if d := docsUnder(append(append(append([]Doc(nil), Docs...), CaptureDocs...), ConnDocs...), name); len(d) > 0 {
			docTable(&b, d)
			break
		}
		fmt.Fprintf(&b, "%s: a built-in function of Starlark (see the language specification).\n", name)
	case starlark.String:
		return helpName(string(v))
	default:
		fmt.Fprintf(&b, "a %s value.", v.Type())
		if ha, ok := v.(starlark.HasAttrs); ok {
			if names := ha.AttrNames(); len(names) > 0 {
				fmt.Fprintf(&b, " Attributes: %s.", strings.Join(names, ", "))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// helpName explains a name given as a string: a registry field or
// protocol, or a documented name.
func helpName(name string) string {
	var b strings.Builder
	if pr := packet.Fields.Proto(name); pr != nil {
		fmt.Fprintf(&b, "%s: %s. Its fields:\n", pr.Name, pr.Title)
		docTable(&b, fieldDocs(pr))
		return b.String()
	}
	if f := packet.Fields.Field(name); f != nil {
		fmt.Fprintf(&b, "%s: %s\n", f.Name, fieldLine(f))
		if f.Desc != "" && f.Desc != f.Label {
			fmt.Fprintf(&b, "  %s\n", f.Desc)
		}
		return b.String()
	}
	docs := DocsFor(name)
	docs = append(docs, docsUnder(CaptureDocs, name)...)
	if len(docs) == 0 {
		msg := fmt.Sprintf("nothing is documented as %q", name)
		if n := packet.Fields.Nearest(name); n != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", n)
		}
		return msg + "\n"
	}
	docTable(&b, docs)
	return b.String()
}

// docsUnder returns the entries named prefix or prefix.something.
func docsUnder(docs []Doc, prefix string) []Doc {
	var out []Doc
	for _, d := range docs {
		if d.Name == prefix || strings.HasPrefix(d.Name, prefix+".") {
			out = append(out, d)
		}
	}
	return out
}

// fieldDocs lists a protocol's visible fields by their registry names.
func fieldDocs(pr *packet.Proto) []Doc {
	var out []Doc
	for _, f := range packet.Fields.All() {
		if f.Proto == pr && !f.Hidden {
			out = append(out, Doc{Sig: f.Name, Text: fieldLine(f)})
		}
	}
	return out
}

// fieldLine is a field's label and type.
func fieldLine(f *packet.Field) string {
	return fmt.Sprintf("%s (%s)", f.Label, f.Type)
}

// docTable writes entries as aligned lines: how it is used, what it does.
func docTable(b *strings.Builder, docs []Doc) {
	w := 0
	for _, d := range docs {
		w = max(w, len(d.Sig))
	}
	w = min(w, 36)
	for _, d := range docs {
		if len(d.Sig) > w {
			fmt.Fprintf(b, "  %s\n  %-*s  %s\n", d.Sig, w, "", d.Text)
			continue
		}
		fmt.Fprintf(b, "  %-*s  %s\n", w, d.Sig, d.Text)
	}
}
