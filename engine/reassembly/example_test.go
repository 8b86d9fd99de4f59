package reassembly_test

import (
	"fmt"

	"github.com/wirelark/wirelark/engine/reassembly"
)

func Example() {
	r := reassembly.New(reassembly.Limits{}, func(c reassembly.Chunk) {
		if c.Gap > 0 {
			fmt.Printf("%v: %d bytes missing (%v)\n", c.Dir, c.Gap, c.Cause)
		}
		fmt.Printf("%v: %q\n", c.Dir, c.Data)
	})
	// Connection 0: a SYN, its reply, then data out of order.
	r.Segment(reassembly.Segment{Stream: 0, Dir: reassembly.Orig, Seq: 1000, Flags: reassembly.SYN})
	r.Segment(reassembly.Segment{Stream: 0, Dir: reassembly.Resp, Seq: 5000, Ack: 1001, Flags: reassembly.SYN | reassembly.ACK})
	r.Segment(reassembly.Segment{Stream: 0, Dir: reassembly.Orig, Seq: 1005, Ack: 5001, Flags: reassembly.ACK, Payload: []byte("world")})
	r.Segment(reassembly.Segment{Stream: 0, Dir: reassembly.Orig, Seq: 1001, Ack: 5001, Flags: reassembly.ACK, Payload: []byte("hey ")})
	r.Segment(reassembly.Segment{Stream: 0, Dir: reassembly.Resp, Seq: 5001, Ack: 1010, Flags: reassembly.ACK, Payload: []byte("ok")})
	// A hole the capture never fills, delivered past at the end.
	r.Segment(reassembly.Segment{Stream: 0, Dir: reassembly.Resp, Seq: 5010, Ack: 1010, Flags: reassembly.ACK, Payload: []byte("late")})
	r.CloseAll()
	fmt.Printf("%+v gaps, %d bytes\n", r.Stats().Gaps, r.Stats().Delivered)
	// Output:
	// orig: "hey "
	// orig: "world"
	// resp: "ok"
	// resp: 7 bytes missing (closed)
	// resp: "late"
	// 1 gaps, 15 bytes
}
