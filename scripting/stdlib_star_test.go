package scripting

import "testing"

// The embedded @stdlib/fmt.star helpers, through the runtime that gives
// them math and time.
func TestStdlibFmt(t *testing.T) {
	r := runSrc(t, `
load("@stdlib/fmt.star", "rounded", "fixed", "ms", "pct", "human_bytes", "utc")
def on_start():
    print(rounded(2.34567, 2), rounded(-2.5, 0), rounded(None))
    print(fixed(6.4e-05), fixed(1.5, 2), fixed(-0.25, 1), fixed(2.5, 0), fixed(None))
    print(ms(0.0012345), ms(0.5, 0), ms(None))
    print(pct(1, 3), pct(5, 0), pct(2, 8, 0))
    print(human_bytes(512), human_bytes(1536), human_bytes(3 * 1024 * 1024), human_bytes(5 * 1024 * 1024 * 1024 * 1024))
    print(utc(1709542800.007995), utc(1709542800.9999999, 3), utc(1709542800.5, 0))
`, []string{mixed})
	want := "2.35 -3.0 None\n0.000064 1.50 -0.3 3 None\n1.235 500.0 None\n33.3 0.0 25.0\n512 B 1.5 KiB 3.0 MiB 5.0 TiB\n" +
		"2024-03-04 09:00:00.007995 2024-03-04 09:00:01.000 2024-03-04 09:00:01\n"
	if r.err != nil || r.out != want {
		t.Errorf("got %q (%v)\nwant %q", r.out, r.err, want)
	}
}
