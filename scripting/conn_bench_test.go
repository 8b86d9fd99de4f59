package scripting

import (
	"os"
	"testing"
)

// BenchmarkTCPHandshakeScript is `wirelark run scripts/tcp_handshake.star`
// over the generated capture: read, decode, flow table, handlers, with
// reading and decoding on a second goroutine as the command does.
func BenchmarkTCPHandshakeScript(b *testing.B) {
	src, err := os.ReadFile("../scripts/tcp_handshake.star")
	if err != nil {
		b.Fatal(err)
	}
	benchScript(b, string(src), false, func(c *Config) { c.Pipeline = true })
}

// BenchmarkStreamData reassembles every TCP stream for on_stream_data.
func BenchmarkStreamData(b *testing.B) {
	benchScript(b, "n = [0]\ndef on_stream_data(stream, data):\n    n[0] += len(data)\n", false, func(c *Config) { c.Pipeline = true })
}
