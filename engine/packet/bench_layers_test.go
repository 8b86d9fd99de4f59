package packet_test

import (
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// BenchmarkDecodeLayers decodes every layer without the capture-wide
// stream analysis, as `show -e` does when no chosen field needs it.
func BenchmarkDecodeLayers(b *testing.B) {
	benchRun(b, func() func(*source.Frame) {
		dec := packet.NewDecoder()
		dec.Track = false
		return func(f *source.Frame) { benchSink += len(dec.Decode(f).Layers) }
	})
}
