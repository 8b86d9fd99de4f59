package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func str(s string) Cell   { return Cell{Kind: String, S: s} }
func num(i string) Cell   { return Cell{Kind: Int, I: i} }
func flt(f float64) Cell  { return Cell{Kind: Float, F: f} }
func boolean(b bool) Cell { return Cell{Kind: Bool, B: b} }
func list(c ...Cell) Cell { return Cell{Kind: List, L: c} }
func raw(b string) Cell   { return Cell{Kind: Bytes, S: b} }

// emitSample writes two interleaved tables: arp gets two rows, then dns
// one, then arp one more.
func emitSample(t *testing.T, s *Sink) {
	t.Helper()
	arp, err := s.NewTable("arp", []string{"time", "op", "ip", "ms"})
	if err != nil {
		t.Fatal(err)
	}
	dns, err := s.NewTable("dns", []string{"name", "answers", "ok"})
	if err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		t *Table
		r []Cell
	}{
		{arp, []Cell{flt(1709542800.004495), str("request"), str("10.0.0.53"), {}}},
		{arp, []Cell{flt(1709542800.005987), str("reply"), str("10.0.0.53"), flt(1.492)}},
		{dns, []Cell{str("a\tb.example"), list(str("10.0.0.1"), str("10.0.0.2")), boolean(true)}},
		{arp, []Cell{flt(1709542801), str("gratuitous"), str(""), num("12")}},
	}
	for _, r := range rows {
		if err := s.Write(r.t, r.r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStreamFormats(t *testing.T) {
	tests := []struct {
		f    Format
		want string
	}{
		{Text, `# arp
             time  op          ip            ms
1709542800.004495  request     10.0.0.53      -
1709542800.005987  reply       10.0.0.53  1.492
     1709542801.0  gratuitous                12

# dns
name          answers            ok
a\tb.example  10.0.0.1,10.0.0.2  True
`},
		{JSON, `{"_table":"arp","time":1709542800.004495,"op":"request","ip":"10.0.0.53","ms":null}
{"_table":"arp","time":1709542800.005987,"op":"reply","ip":"10.0.0.53","ms":1.492}
{"_table":"dns","name":"a\tb.example","answers":["10.0.0.1","10.0.0.2"],"ok":true}
{"_table":"arp","time":1709542801.0,"op":"gratuitous","ip":"","ms":12}
`},
		{CSV, `time,op,ip,ms
1709542800.004495,request,10.0.0.53,
1709542800.005987,reply,10.0.0.53,1.492

name,answers,ok
a	b.example,"10.0.0.1,10.0.0.2",True

time,op,ip,ms
1709542801.0,gratuitous,,12
`},
		{TSV, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tarp\n" +
			"#fields\ttime\top\tip\tms\n#types\tdouble\tstring\tstring\tdouble\n" +
			"1709542800.004495\trequest\t10.0.0.53\t-\n1709542800.005987\treply\t10.0.0.53\t1.492\n1709542801.0\tgratuitous\t(empty)\t12\n" +
			"\n#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n" +
			"#fields\tname\tanswers\tok\n#types\tstring\tvector[string]\tbool\n" +
			"a\\x09b.example\t10.0.0.1,10.0.0.2\tT\n"},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		s := NewStream(w, tc.f)
		emitSample(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tc.want {
			t.Errorf("%v:\ngot\n%s\nwant\n%s", tc.f, got, tc.want)
		}
	}
}

func TestJSONLinesParse(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	s := NewStream(w, JSON)
	tb, _ := s.NewTable("t", []string{"s", "b", "f"})
	s.Write(tb, []Cell{str("q\"\\<>\x01é\xff"), raw("\x00\xff"), flt(1e-7)})
	s.Close()
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("%s: %v", buf.String(), err)
	}
	if m["s"] != "q\"\\<>\x01é\ufffd" || m["b"] != "00ff" || m["f"] != 1e-7 || m["_table"] != "t" {
		t.Errorf("decoded %v from %s", m, buf.String())
	}
}

// A text table streams after BufferRows rows: its widths come from those,
// and a later, wider value is written in full.
func TestTextStreamsAfterBuffer(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	s := NewStream(w, Text)
	tb, _ := s.NewTable("t", []string{"k", "v"})
	for i := 0; i < BufferRows; i++ {
		s.Write(tb, []Cell{str("a"), num("1")})
	}
	if len(tb.held) != 0 || !tb.fixed {
		t.Fatalf("held %d rows after %d", len(tb.held), BufferRows)
	}
	s.Write(tb, []Cell{str("wider"), num("1")})
	if len(tb.held) != 0 {
		t.Fatal("rows after the buffer must not be held")
	}
	s.Close()
	lines := strings.Split(buf.String(), "\n")
	if last := lines[len(lines)-2]; last != "wider  1" {
		t.Errorf("last line %q", last)
	}
	if lines[1] != "k  v" || lines[2] != "a  1" {
		t.Errorf("header and first row: %q %q", lines[1], lines[2])
	}
}

// Drain writes held rows so that printed text comes after them.
func TestDrainBeforePrint(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	s := NewStream(w, Text)
	tb, _ := s.NewTable("t", []string{"k"})
	s.Write(tb, []Cell{str("x")})
	s.Drain()
	w.WriteString("printed\n")
	s.Write(tb, []Cell{str("y")})
	s.Close()
	if got, want := buf.String(), "# t\nk\nx\nprinted\ny\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDirOneFilePerTable(t *testing.T) {
	for _, f := range []Format{Text, JSON, CSV, TSV} {
		dir := filepath.Join(t.TempDir(), "out")
		s, err := NewDir(dir, f)
		if err != nil {
			t.Fatal(err)
		}
		emitSample(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		arp, err := os.ReadFile(filepath.Join(dir, "arp."+f.Ext()))
		if err != nil {
			t.Fatal(err)
		}
		dns, err := os.ReadFile(filepath.Join(dir, "dns."+f.Ext()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(arp), "dns") || strings.Contains(string(arp), "\n\n") || strings.Contains(string(arp), "# arp") {
			t.Errorf("%v: arp file has another section or a title:\n%s", f, arp)
		}
		if n := strings.Count(string(arp), "gratuitous"); n != 1 || !strings.Contains(string(dns), "b.example") {
			t.Errorf("%v: files:\n%s\n%s", f, arp, dns)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, name := range []string{"text", "json", "csv", "tsv"} {
		f, err := ParseFormat(name)
		if err != nil || f.String() != name {
			t.Errorf("%s: %v %v", name, f, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "text, json, csv, tsv") {
		t.Errorf("xml: %v", err)
	}
}

func TestFormatFloat(t *testing.T) {
	for f, want := range map[float64]string{0: "0.0", 1.5: "1.5", 1709542800.004495: "1709542800.004495", 1e-7: "1e-07", 2e21: "2e+21", -3: "-3.0"} {
		if got := FormatFloat(f); got != want {
			t.Errorf("FormatFloat(%v) = %q, want %q", f, got, want)
		}
	}
}
