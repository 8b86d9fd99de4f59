package scripts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/scripting/output"
)

// connGolden is one run of a connection script over a capture, in text
// (and JSON when json is set), with the --arg stream of follow.
type connGolden struct {
	script, capture string
	stream          string
	json            bool
}

var connGoldens = []connGolden{
	{"tcp_handshake", filepath.Join(shared, "tcp_anomalies.pcap"), "", true},
	{"tcp_handshake", filepath.Join(shared, "mixed_office.pcap"), "", false},
	{"tcp_handshake", filepath.Join(shared, "ipv6_tcp.pcap"), "", false},
	{"tcp_handshake", "../testdata/mixed.pcap", "", false},
	{"conn_log", filepath.Join(shared, "tcp_anomalies.pcap"), "", true},
	{"conn_log", filepath.Join(shared, "mixed_office.pcap"), "", false},
	{"conn_log", filepath.Join(shared, "dns_queries.pcap"), "", false},
	{"conn_log", filepath.Join(shared, "icmp_ping.pcap"), "", false},
	{"conn_log", filepath.Join(shared, "dhcp_dora.pcap"), "", false},
	{"conn_log", "../testdata/mixed.pcap", "", false},
	{"follow", filepath.Join(shared, "http_get.pcap"), "0", false},
	{"follow", filepath.Join(shared, "telnet_login.pcap"), "0", false},
	{"follow", filepath.Join(shared, "tcp_anomalies.pcap"), "4", false},
	{"follow", filepath.Join(shared, "tcp_anomalies.pcap"), "0", false},
	{"follow", "../testdata/mixed.pcap", "0", false},
}

// TestConnGolden runs the connection scripts against the files in
// testdata/scripts (go test ./scripts -update rewrites them).
func TestConnGolden(t *testing.T) {
	for _, tc := range connGoldens {
		if _, err := os.Stat(tc.capture); err != nil {
			t.Logf("skipping %s over %s: the capture is absent (%v)", tc.script, tc.capture, err)
			continue
		}
		formats := []output.Format{output.Text}
		if tc.json {
			formats = append(formats, output.JSON)
		}
		var args map[string]string
		base := strings.TrimSuffix(filepath.Base(tc.capture), ".pcap")
		if tc.stream != "" {
			args = map[string]string{"stream": tc.stream}
			base += ".stream" + tc.stream
		}
		for _, f := range formats {
			golden := filepath.Join(goldenDir, tc.script+"."+base+"."+f.Ext())
			t.Run(filepath.Base(golden), func(t *testing.T) {
				got := run(t, tc.script, tc.capture, f, args)
				checkGolden(t, golden, got)
			})
		}
	}
}
