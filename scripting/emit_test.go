package scripting

import (
	"strings"
	"testing"

	"github.com/wirelark/wirelark/scripting/output"
)

func TestEmitColumns(t *testing.T) {
	src := `
def on_start():
    emit("t", b = 1, a = "x", c = [1, "y"])
    emit("t", a = "only a")
    emit("t", c = None, b = 2.5)
    emit("u", z = True, y = b"\x01")
    print("rows:", stats.count("t"), stats.count("u"))
`
	r := runSrc(t, src, []string{mixed})
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := `# t
  b  a       c
  1  x       1,y
  -  only a  -
2.5  -       -

# u
z     y
True  01
rows: 3 1
`
	if r.out != want {
		t.Errorf("got\n%s\nwant\n%s", r.out, want)
	}
}

func TestEmitErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{`emit("t", a = 1); emit("t", b = 2)`, "emit: table t has no column b: its columns are those of its first row: a"},
		{`emit("t", a = 1, b = 2); emit("t", a = 1, c = 2)`, "its columns are those of its first row: a and b"},
		{`emit("t", a = {})`, "emit: table t, column a: cannot emit a dict value"},
		{`emit("t", a = [[1]])`, "element 0: cannot emit a list value (emit takes None, bool, int, float, string or bytes (lists do not nest))"},
		{`emit("t")`, "a row needs at least one column=value"},
		{`emit("../x", a = 1)`, `emit: table name "../x": use letters, digits`},
		{`emit("t", "u", a = 1)`, "want emit(table, column=value, ...)"},
		{`emit(1, a = 1)`, "table name: got int, want string"},
		{`emit("t", _table = 1)`, "the column name _table is reserved"},
	}
	for _, tc := range tests {
		r := runSrc(t, "def on_start():\n    "+tc.body+"\n", []string{mixed})
		if r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.body, r.err, tc.want)
		}
	}
}

// print() writes after the rows emitted before it, even while text
// tables are still holding rows back to size their columns.
func TestPrintAfterRows(t *testing.T) {
	src := `
def on_end():
    emit("t", k = "a")
    print("between")
    emit("t", k = "b")
    emit("v", k = "c")
`
	r := runSrc(t, src, []string{mixed})
	want := "# t\nk\na\nbetween\nb\n\n# v\nk\nc\n"
	if r.err != nil || r.out != want {
		t.Errorf("got %q (%v), want %q", r.out, r.err, want)
	}
}

func TestEmitFormats(t *testing.T) {
	src := "def on_end():\n    emit(\"t\", n = 1, s = \"x,y\", f = 0.5, ok = False, l = [1, 2])\n"
	tests := []struct {
		f    output.Format
		want string
	}{
		{output.JSON, `{"_table":"t","n":1,"s":"x,y","f":0.5,"ok":false,"l":[1,2]}` + "\n"},
		{output.CSV, "n,s,f,ok,l\n1,\"x,y\",0.5,False,\"1,2\"\n"},
		{output.TSV, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tt\n#fields\tn\ts\tf\tok\tl\n#types\tint\tstring\tdouble\tbool\tvector[int]\n1\tx,y\t0.5\tF\t1,2\n"},
	}
	for _, tc := range tests {
		ref, err := FileRef(writeScript(t, "x.star", src))
		if err != nil {
			t.Fatal(err)
		}
		r := runRef(t, ref, []string{mixed}, tc.f)
		if r.err != nil || r.out != tc.want {
			t.Errorf("%v: got %q (%v), want %q", tc.f, r.out, r.err, tc.want)
		}
	}
}
