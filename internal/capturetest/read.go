package capturetest

import (
	"errors"
	"io"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// Frames hands fn each frame of a capture in file order with its 1-based
// number, as Wireshark counts. f.Data is valid only during the call.
//
// A capture that cannot be opened fails the test. One that ends in the
// middle of a record (some shared captures are cut short on purpose)
// gives the frames before the damage and a line in the test's log, as
// tshark reads up to the damage too.
func Frames(tb testing.TB, file string, fn func(n int, f *source.Frame)) {
	tb.Helper()
	rd, err := source.Open(file)
	if err != nil {
		tb.Fatalf("open %s: %v", file, err)
	}
	defer rd.Close()
	var f source.Frame
	for n := 1; ; n++ {
		err := rd.Next(&f)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			tb.Logf("%s: frame %d: %v", file, n, err)
			return
		}
		fn(n, &f)
	}
}

// Packets decodes each frame of a capture with one packet.Decoder, so that
// TCP analysis (tcp.stream, relative sequence numbers) runs as in the
// engine, and hands fn the packets in order. The packet is valid only
// during the call. Errors are handled as by Frames.
func Packets(tb testing.TB, file string, fn func(*packet.Packet)) {
	tb.Helper()
	dec := packet.NewDecoder()
	Frames(tb, file, func(_ int, f *source.Frame) { fn(dec.Decode(f)) })
}
