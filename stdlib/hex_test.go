package stdlib

import (
	"testing"
)

func TestDump(t *testing.T) {
	data := []byte("\xff\xff\xff\xff\xff\xff\x00\x0c\x29\x7d\x3c\xec\x08\x06\x00\x01ABC")
	want := "0000  ff ff ff ff ff ff 00 0c 29 7d 3c ec 08 06 00 01   ........)}<.....\n" +
		"0010  41 42 43                                          ABC\n"
	if got := Dump(data, 16); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if Dump(nil, 16) != "" {
		t.Error("empty data should give no lines")
	}
}

func TestHexModule(t *testing.T) {
	st := NewStats()
	tests := []struct{ src, want string }{
		{`hex.encode(b"\x01\xab")`, `"01ab"`},
		{`hex.encode("AB")`, `"4142"`},
		{`hex.decode("01:ab ff")`, `b"\x01\xab\xff"`},
		{`hex.dump(b"hi", width=4)`, `"0000  68 69         hi\n"`},
	}
	for _, tc := range tests {
		if got := eval(t, st, tc.src); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.src, got, tc.want)
		}
	}
	if err := evalErr(st, `hex.decode("zz")`); err == nil {
		t.Error("hex.decode of non-hex text should fail")
	}
	if err := evalErr(st, `hex.dump(b"x", width=0)`); err == nil {
		t.Error("width 0 should fail")
	}
}
