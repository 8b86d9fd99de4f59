package kerberos_test

import (
	. "github.com/wirelark/wirelark/dissectors/kerberos"

	"testing"

	"github.com/wirelark/wirelark/internal/capturetest"
)

// BenchmarkParse decodes every Kerberos message of kerberos_tso.pcapng
// (Windows tickets with PACs, the largest messages of the captures).
func BenchmarkParse(b *testing.B) {
	msgs := port88Messages(b, capturetest.Path(b, "corpus/kerberos/kerberos_tso.pcapng"))
	size := 0
	for _, w := range msgs {
		size += len(w.data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range msgs {
			if _, err := Parse(w.data); err != nil {
				b.Fatal(err)
			}
		}
	}
}
