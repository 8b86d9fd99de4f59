package capturetest

import (
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"
)

// SharkFields locates the shared capture rel as Path does (skipping the
// test when it is absent) and runs tshark (bin, from tsharktest.Path) on
// it for fields, on the frames matching the display filter, as
// tsharktest.Fields does. It returns the capture's path and tshark's rows;
// tshark failing fails the test.
func SharkFields(tb testing.TB, bin, rel string, fields []string, filter string) (file string, rows [][]string) {
	tb.Helper()
	file = Path(tb, rel)
	rows, err := tsharktest.Fields(bin, file, fields, "-Y", filter)
	if err != nil {
		tb.Fatal(err)
	}
	return file, rows
}
