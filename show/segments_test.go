package show

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/internal/tsharktest"
)

// TestReassembledSegmentsAgainstTshark: the Protocol and Info columns of
// the frames whose segment waits in a message later frames complete
// ("[TCP segment of a reassembled PDU]", after HTTP's first line or
// NBSS's message type when the segment holds them) are tshark's, on
// captures of DNS, HTTP and SMB over TCP. Frames where tshark adds TCP analysis notes ("[TCP
// Retransmission]", ...) to the Info are left out: those are not written
// in this release.
func TestReassembledSegmentsAgainstTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	const seg = "[TCP segment of a reassembled PDU]"
	compared := 0
	for _, rel := range []string{
		"captures/http_get.pcap", "captures/mixed_office.pcap", "captures/smb2_session.pcap", "captures/smb1_session.pcap",
		"corpus/http/get.pcap", "corpus/http/wikipedia.pcap", "corpus/http/iso-download.pcap.gz",
		"corpus/dns/dns_tcp.pcap", "corpus/dns/long-connection.pcap",
	} {
		file := filepath.Join("..", "..", "shared", rel)
		if _, err := os.Stat(file); err != nil {
			continue
		}
		rows, err := tsharktest.Fields(bin, file, []string{"_ws.col.Protocol", "_ws.col.Info"})
		if err != nil {
			t.Skipf("%s: %v", rel, err)
		}
		i := 0
		render(t, file, func(_ *bufio.Writer, p *packet.Packet) {
			defer func() { i++ }()
			if i >= len(rows) {
				return
			}
			c := List(p)
			want := rows[i]
			if !strings.Contains(want[1], seg) && !strings.Contains(c.Info, seg) || strings.HasPrefix(want[1], "[TCP ") {
				return
			}
			compared++
			if c.Protocol != want[0] || c.Info != want[1] {
				t.Errorf("%s frame %d: %s %q, tshark %s %q", rel, i+1, c.Protocol, c.Info, want[0], want[1])
			}
		})
	}
	if compared == 0 {
		t.Skip("none of the captures is available")
	}
	t.Logf("%d segments compared", compared)
}
