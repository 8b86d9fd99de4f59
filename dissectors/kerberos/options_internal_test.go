package kerberos

import "testing"

func TestBits(t *testing.T) {
	cases := []struct {
		b    []byte
		n    int
		want uint32
	}{
		{[]byte{0x40, 0x81, 0x00, 0x10}, 32, 0x40810010},
		{[]byte{0x40, 0x81, 0x00, 0x10, 0xff}, 40, 0x40810010}, // bits past 32 ignored
		{[]byte{0xff}, 3, 0xe0000000},                          // bits past the length ignored
		{[]byte{0xff, 0xff}, 32, 0xffff0000},                   // length past the bytes
		{nil, 0, 0},
	}
	for _, c := range cases {
		if got := bitsToUint32(c.b, c.n); got != c.want {
			t.Errorf("%x/%d: got %08x, want %08x", c.b, c.n, got, c.want)
		}
	}
}
