package scripting

import (
	"strings"
	"testing"
)

// TestPacketAndMessageConn checks pkt.conn and msg.conn: the connection a
// packet or message belongs to, tracked because the script reads .conn.
func TestPacketAndMessageConn(t *testing.T) {
	res := runSrc(t, `
def on_packet(pkt):
    c = pkt.conn
    if pkt.tcp and pkt.tcp.flags.syn and not pkt.tcp.flags.ack:
        emit("syn", num = pkt.num, stream = pkt["tcp.stream"], conn = c.id, proto = c.proto, orig_p = c.orig_p)
    if pkt.arp:
        emit("arp", num = pkt.num, no_conn = c == None)

def on_dns(msg):
    emit("dns", num = msg.pkt.num, stream = msg.pkt["udp.stream"], conn = msg.conn.id if msg.conn else None)
`, []string{mixed})
	if res.err != nil {
		t.Fatal(res.err)
	}
	// Every SYN's conn is its own tcp.stream, every DNS message's conn its
	// udp.stream, and ARP packets belong to no connection.
	var syns, dns, arps int
	for _, line := range strings.Split(res.out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 5 && f[0] != "num":
			syns++
			if f[1] != f[2] || f[3] != "tcp" {
				t.Errorf("SYN row %q: conn id is not tcp.stream", line)
			}
		case len(f) == 3 && f[0] != "num" && f[2] != "None" && f[1] != "None":
			dns++
			if f[1] != f[2] {
				t.Errorf("DNS row %q: conn id is not udp.stream", line)
			}
		case len(f) == 2 && f[1] == "True":
			arps++
		}
	}
	if syns == 0 || dns == 0 || arps == 0 {
		t.Fatalf("rows: %d SYN, %d DNS, %d ARP; want some of each:\n%s", syns, dns, arps, res.out)
	}
}

// TestConnOffWithoutUse checks that a script that never reads .conn gets
// no connection table (its cost is not paid).
func TestConnOffWithoutUse(t *testing.T) {
	res := runSrc(t, "def on_packet(pkt):\n    pass\n", []string{mixed})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.script.conns != nil {
		t.Error("connection tracking on for a script that does not use it")
	}
}
