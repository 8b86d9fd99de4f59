package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeExamples runs every "$ wirelark ..." example of README.md and
// compares its output with the text shown under it (up to a "..." line,
// which marks where the README cuts a long output), so the README cannot
// drift from what the command prints.
func TestReadmeExamples(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir("../.."); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	lines := strings.Split(string(raw), "\n")
	ran := 0
	for i := 0; i < len(lines); i++ {
		cmd, ok := strings.CutPrefix(lines[i], "$ wirelark ")
		if !ok {
			continue
		}
		var want []string
		cut := false
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			if strings.TrimSpace(lines[i]) == "..." {
				cut = true
				continue
			}
			if !cut {
				want = append(want, lines[i])
			}
		}
		args := shellWords(cmd)
		if strings.Contains(cmd, "../shared/") {
			if _, err := os.Stat("../shared"); err != nil {
				t.Logf("skipping %q: shared captures not found", cmd)
				continue
			}
		}
		out, stderr, code := runCmd(t, nil, args...)
		if code != 0 {
			t.Errorf("README example %q: exit %d: %s", cmd, code, stderr)
			continue
		}
		got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if cut && len(got) > len(want) {
			got = got[:len(want)]
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("README example %q prints:\n%s\nbut the README shows:\n%s", cmd, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		ran++
	}
	if ran == 0 {
		t.Fatal("no example found in README.md")
	}
	t.Logf("%d README examples checked", ran)
}

// shellWords splits a command line at blanks, keeping double-quoted parts
// together.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			inWord = true
		case r == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}
