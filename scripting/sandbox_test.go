package scripting

import (
	"strings"
	"testing"
)

// Scripts reach nothing but what the engine hands them.
func TestSandboxRefusals(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no open", "def on_start():\n    open(\"/etc/passwd\")\n", "undefined: open"},
		{"no absolute load", "load(\"/etc/passwd\", \"x\")\n", "absolute paths are not allowed"},
		{"no escaping load", "load(\"@stdlib/../../x\", \"x\")\n", "leaves its root"},
		{"infinite loop", "def on_start():\n    for i in range(1 << 62):\n        pass\n", "step budget exceeded: more than 10000000 steps in one call"},
		{"loop at top level", "def f():\n    for i in range(1 << 62):\n        pass\nf()\n", "step budget exceeded"},
		{"no clock", "def on_start():\n    time.now()\n", "time.now is not available: scripts have no clock"},
		{"no local zone", "def on_start():\n    time.time(year = 2024, location = \"Local\")\n", "the Local time zone is not available"},
		{"no while", "def on_start():\n    while True:\n        pass\n", "does not support while loops"},
		{"no recursion", "def f(n):\n    return f(n - 1)\ndef on_start():\n    f(3)\n", "called recursively"},
		{"no environment", "def on_start():\n    getenv(\"HOME\")\n", "undefined: getenv"},
		{"ARGS are read-only", "def on_start():\n    ARGS[\"x\"] = \"1\"\n", "frozen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runSrc(t, tc.src, []string{mixed})
			if r.err == nil || !strings.Contains(r.err.Error()+describe(r.err), tc.want) {
				t.Errorf("error %v, want %q", r.err, tc.want)
			}
		})
	}
}

// The time module works without a clock, in UTC.
func TestTimeModuleUTC(t *testing.T) {
	r := runSrc(t, `
def on_start():
    print(time.from_timestamp(1709542800, 7995000).format("2006-01-02 15:04:05.000000 MST"))
    print(time.parse_duration("1.5s") / time.millisecond)
`, []string{mixed})
	if r.err != nil || r.out != "2024-03-04 09:00:00.007995 UTC\n1500.0\n" {
		t.Errorf("output %q, error %v", r.out, r.err)
	}
}

// A smaller --max-steps stops a loop that the default allows.
func TestMaxSteps(t *testing.T) {
	src := "def on_start():\n    for i in range(1000):\n        pass\n"
	if r := runSrc(t, src, []string{mixed}); r.err != nil {
		t.Fatal(r.err)
	}
	r := runSrc(t, src, []string{mixed}, func(c *Config) { c.MaxSteps = 100 })
	if r.err == nil || !strings.Contains(r.err.Error(), "more than 100 steps") {
		t.Errorf("error %v", r.err)
	}
	// The budget is per call: many small calls are fine.
	r = runSrc(t, "def on_packet(pkt):\n    for i in range(20):\n        pass\n", []string{mixed}, func(c *Config) { c.MaxSteps = 200 })
	if r.err != nil {
		t.Errorf("per-call budget: %v", r.err)
	}
}
