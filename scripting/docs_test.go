package scripting

import (
	"sort"
	"testing"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/stdlib"
)

// TestDocsCoverEverything keeps the reference in step with the names
// scripts see: a name without an entry, or an entry without a name, fails.
func TestDocsCoverEverything(t *testing.T) {
	want := map[string]bool{"print": true, "FILTER": true, "pkt.PROTO": true}
	for name := range predeclaredNames {
		want[name] = true
	}
	for _, name := range handlerNames(true) {
		want[name] = true
	}
	for name := range stdlib.NewStats().Module().Members {
		want["stats."+name] = true
	}
	for name := range stdlib.Hex.Members {
		want["hex."+name] = true
	}
	for _, name := range packetMembers {
		want["pkt."+name] = true
	}
	run := (&Script{handlers: [numHandlers]*bound{}}).statsValue()
	for _, name := range run.(starlark.HasAttrs).AttrNames() {
		want["run."+name] = true
	}
	have := map[string]bool{}
	for _, d := range Docs {
		if have[d.Name] {
			t.Errorf("%s is documented twice", d.Name)
		}
		have[d.Name] = true
		if d.Sig == "" || d.Text == "" {
			t.Errorf("%s: empty signature or text", d.Name)
		}
	}
	var missing, extra []string
	for n := range want {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	for n := range have {
		if !want[n] {
			extra = append(extra, n)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("not documented: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("documented but not there: %v", extra)
	}
}

func TestDocsFor(t *testing.T) {
	if n := len(DocsFor("stats")); n != 10 {
		t.Errorf("DocsFor(stats) = %d entries, want the module and its 9 members", n)
	}
	if d := DocsFor("emit"); len(d) != 1 || d[0].Sig != "emit(table, **fields)" {
		t.Errorf("DocsFor(emit) = %v", d)
	}
}
