package repl

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/scripting"
	"github.com/wirelark/wirelark/scripts"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// A scripted session over dhcp_dora.pcap: the banner, len, packets,
// a filter, show, hex, help, an error, a block and a shipped script, as
// `wirelark repl dhcp_dora.pcap < session.star` prints them.
func TestGoldenSession(t *testing.T) {
	capture := sharedCapture(t, "dhcp_dora.pcap")
	cmds, err := os.ReadFile(filepath.Join("testdata", "session.star"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := Run(Config{
		Capture: capture, Builtin: scripting.EmbeddedRoot(scripting.BuiltinRoot, scripts.Files),
		MaxSteps: scripting.DefaultMaxSteps, In: bytes.NewReader(cmds), Out: &out, Err: &out,
	})
	if code != ExitError {
		t.Errorf("exit status %d, want %d (the session has one error)", code, ExitError)
	}
	golden := filepath.Join("testdata", "session.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("session output differs from %s (go test -run Golden -update rewrites it):\n%s", golden, out.String())
	}
}
