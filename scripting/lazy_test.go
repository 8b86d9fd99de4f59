package scripting

import "testing"

// Objects are made only as needed: a script without on_packet gets no
// Packet value and runs no filter; with on_packet, one value per call.
func TestLazyPacketValues(t *testing.T) {
	tests := []struct {
		src         string
		values      int64
		filteredOut int64
	}{
		{"def on_end(): pass\n", 0, 0},
		{"FILTER = \"arp\"\ndef on_start(): pass\ndef on_end(): pass\n", 0, 0},
		{"def on_packet(pkt): pass\n", 300, 0},
		{"FILTER = \"arp\"\ndef on_packet(pkt): pass\n", 11, 289},
	}
	for _, tc := range tests {
		r := runSrc(t, tc.src, []string{mixed})
		if r.err != nil {
			t.Fatal(r.err)
		}
		st := r.script.Stats()
		if st.PacketValues != tc.values || st.FilteredOut != tc.filteredOut || st.Packets != 300 || st.Decoded != 300 {
			t.Errorf("%q: %d packet values, %d filtered out, %d read, want %d, %d, 300", tc.src, st.PacketValues, st.FilteredOut, st.Packets, tc.values, tc.filteredOut)
		}
		if calls := st.Calls["on_packet"]; calls != tc.values {
			t.Errorf("%q: on_packet called %d times", tc.src, calls)
		}
	}
}

// The command line's -Y filter and the script's FILTER both apply.
func TestFilterAndY(t *testing.T) {
	r := runSrc(t, "FILTER = \"tcp\"\ndef on_packet(pkt): emit(\"n\", num = pkt.num)\n", []string{mixed}, func(c *Config) {
		c.Filter = mustFilter(t, "tcp.flags.syn == 1 && tcp.flags.ack == 0")
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if st := r.script.Stats(); st.Calls["on_packet"] != 12 {
		t.Errorf("on_packet called %d times, want the 12 SYNs without ACK", st.Calls["on_packet"])
	}
}
