// Package tsharktest runs tshark, Wireshark's command-line dissector, for
// the tests that compare wirelark's decoding with Wireshark's. The tests
// skip when tshark is not installed.
package tsharktest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Path returns the tshark binary, or skips the test with a message saying
// how to install it.
func Path(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed: the comparison with Wireshark needs it (apt-get install tshark)")
	}
	return bin
}

// Fields runs `tshark -r file -T fields` for the named fields with every
// occurrence of a field joined by commas, and returns one row of cells per
// frame. extra are further tshark options (e.g. "-o", "ip.defragment:FALSE").
// Times print in UTC whatever the machine's zone.
func Fields(bin, file string, fields []string, extra ...string) ([][]string, error) {
	args := append([]string{"-n", "-r", file}, extra...)
	args = append(args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "quote=n")
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "LC_ALL=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil && out.Len() == 0 {
		return nil, fmt.Errorf("tshark on %s: %v: %s", file, err, errb.String())
	}
	var rows [][]string
	if out.Len() == 0 {
		return rows, nil
	}
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		cells := strings.Split(line, "\t")
		if len(cells) != len(fields) {
			return nil, fmt.Errorf("tshark on %s: %d cells in a row of %d fields: %q", file, len(cells), len(fields), line)
		}
		rows = append(rows, cells)
	}
	return rows, nil
}
