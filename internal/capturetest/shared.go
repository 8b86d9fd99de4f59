package capturetest

import (
	"os"
	"path/filepath"
	"testing"
)

// maxDepth bounds the walk up from the working directory to the
// repository root.
const maxDepth = 16

// Dir returns the shared capture directory, ../shared beside the
// repository root, as a path relative to the working directory (a test's
// working directory is its package's). The root is the nearest directory
// upwards holding go.mod; Dir returns "" when there is none.
func Dir() string {
	up := "."
	for range maxDepth {
		if _, err := os.Stat(filepath.Join(up, "go.mod")); err == nil {
			return filepath.Join(up, "..", "shared")
		}
		up = filepath.Join(up, "..")
	}
	return ""
}

// Lookup returns the path of rel (slash-separated, relative to the shared
// directory) and whether that file exists.
func Lookup(rel string) (string, bool) {
	dir := Dir()
	if dir == "" {
		return "", false
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	_, err := os.Stat(p)
	return p, err == nil
}

// Path returns the path of rel in the shared directory, or skips the test
// when the file is absent: the shared captures are not part of the
// repository.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	p, ok := Lookup(rel)
	if !ok {
		tb.Skipf("shared capture %s not found (looked for %s)", rel, p)
	}
	return p
}
