package scripts_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/scripting/output"
)

// corpusDir holds the shared corpus of third-party captures.
const corpusDir = "../../shared/corpus"

// msgGolden is one run of a protocol-message script over a capture:
// text output always, JSON too when json is set (once per script).
type msgGolden struct {
	script, capture string
	json            bool
}

var msgGoldens = []msgGolden{
	{"smb_commands", filepath.Join(shared, "smb2_session.pcap"), true},
	{"smb_files", filepath.Join(shared, "smb2_session.pcap"), true},
	{"smb_files", filepath.Join(shared, "smb1_session.pcap"), false},
	{"smb_files", filepath.Join(shared, "mixed_office.pcap"), false},
	{"smb_mapping", filepath.Join(shared, "smb2_session.pcap"), true},
	{"smb_mapping", filepath.Join(shared, "smb1_session.pcap"), false},
	{"smb_mapping", filepath.Join(corpusDir, "smb/smb_many_open_files_500.pcap.gz"), false},
	{"smb_commands", filepath.Join(shared, "smb1_session.pcap"), false},
	{"smb_commands", filepath.Join(shared, "mixed_office.pcap"), false},
	{"smb_commands", filepath.Join(corpusDir, "smb/smb311.pcap"), false},
	{"kerberos_log", filepath.Join(shared, "kerberos.pcap"), true},
	{"kerberos_log", filepath.Join(shared, "mixed_office.pcap"), false},
	{"kerberos_log", filepath.Join(corpusDir, "kerberos/kinit.pcap"), false},
	{"dhcp_transactions", filepath.Join(shared, "dhcp_dora.pcap"), true},
	{"dhcp_transactions", filepath.Join(shared, "dhcp_dora.pcapng"), false},
	{"dhcp_transactions", filepath.Join(shared, "mixed_office.pcap"), false},
	{"dhcp_transactions", filepath.Join(corpusDir, "dhcp/dhcp-all-msg-types.pcap"), false},
	{"dhcp_transactions", filepath.Join(corpusDir, "dhcp/dhcp-rfc3004.pcap"), false},
	{"dhcp_transactions", filepath.Join(corpusDir, "dhcp/dhcp-rfc4388.pcap"), false},
	{"dhcp_transactions", filepath.Join(corpusDir, "dhcp/dhcp-mud.pcap"), false},
	{"dhcp_transactions", filepath.Join(corpusDir, "dhcp/dhcp-option-108.pcapng"), false},
	{"dhcp_transactions", filepath.Join(corpusDir, "dhcp/hw-type0.pcap"), false},
	{"dhcp_transactions", "../testdata/mixed.pcap", false},
	{"dns_latency", filepath.Join(shared, "dns_queries.pcap"), true},
	{"dns_latency", filepath.Join(shared, "mixed_office.pcap"), false},
	{"dns_latency", filepath.Join(corpusDir, "dns/dns_tcp.pcap"), false},
	{"dns_latency", filepath.Join(corpusDir, "dns/long-connection.pcap"), false},
	{"dns_latency", "../testdata/mixed.pcap", false},
	{"ping_rtt", filepath.Join(shared, "icmp_ping.pcap"), true},
	{"ping_rtt", filepath.Join(shared, "ipv6_nd.pcap"), false},
	{"ping_rtt", filepath.Join(shared, "mixed_office.pcap"), false},
	{"ping_rtt", filepath.Join(corpusDir, "icmp/communityid-icmp.pcap"), false},
	{"ping_rtt", "../testdata/mixed.pcap", false},
	{"traceroute", filepath.Join(shared, "traceroute.pcap"), true},
	{"traceroute", filepath.Join(shared, "traceroute_udp.pcap"), false},
	{"traceroute", filepath.Join(corpusDir, "icmp/mpls-traceroute.pcap"), false},
	{"icmp_errors", filepath.Join(shared, "icmp_unreachable.pcap"), true},
	{"icmp_errors", filepath.Join(shared, "traceroute_udp.pcap"), false},
	{"icmp_errors", filepath.Join(corpusDir, "icmp/icmp-destunreach-no-context.pcap"), false},
	{"icmp_errors", filepath.Join(corpusDir, "icmp6/communityid-icmp6.pcap"), false},
	{"icmp_errors", filepath.Join(corpusDir, "icmp6/icmp6-redirect-hdr-opt.pcap"), false},
	{"icmp_errors", "../testdata/mixed.pcap", false},
	{"igmp_groups", filepath.Join(shared, "igmp_membership.pcap"), true},
	{"igmp_groups", filepath.Join(corpusDir, "igmp/IGMP_V1.pcap"), false},
	{"igmp_groups", filepath.Join(corpusDir, "igmp/IGMP_V2.pcap"), false},
	{"igmp_groups", filepath.Join(corpusDir, "igmp/home-multicast-short.pcap"), false},
	{"ipv6_neighbors", filepath.Join(shared, "ipv6_nd.pcap"), true},
	{"ipv6_neighbors", filepath.Join(shared, "ipv6_tcp.pcap"), false},
	{"ipv6_neighbors", filepath.Join(corpusDir, "icmp6/icmp6-nd-options.pcap"), false},
	{"ipv6_neighbors", "../testdata/mixed.pcap", false},
}

// captureOrSkip skips a test whose capture is not there (the shared
// folders live next to the repository, not in it).
func captureOrSkip(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("capture %s not available: %v", path, err)
	}
}

// TestMessageScriptGoldens runs the protocol-message scripts against the
// files in testdata/scripts (go test ./scripts -update rewrites them).
func TestMessageScriptGoldens(t *testing.T) {
	for _, g := range msgGoldens {
		formats := []output.Format{output.Text}
		if g.json {
			formats = append(formats, output.JSON)
		}
		for _, f := range formats {
			base := strings.TrimSuffix(filepath.Base(g.capture), ".pcap")
			golden := filepath.Join(goldenDir, g.script+"."+base+"."+f.Ext())
			t.Run(filepath.Base(golden), func(t *testing.T) {
				captureOrSkip(t, g.capture)
				got := run(t, g.script, g.capture, f, nil)
				checkGolden(t, golden, got)
			})
		}
	}
}

// tableRows runs a script over a capture and returns the rows of one table,
// as JSON decodes them (numbers are float64).
func tableRows(t *testing.T, script, capture, table string) []map[string]any {
	t.Helper()
	captureOrSkip(t, capture)
	var out []map[string]any
	for _, line := range strings.Split(run(t, script, capture, output.JSON, nil), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if r["_table"] == table {
			out = append(out, r)
		}
	}
	return out
}

// jsonCell formats a JSON value as the expectations write it: null as "-",
// numbers in the shortest form, lists joined by commas.
func jsonCell(v any) string {
	switch v := v.(type) {
	case nil:
		return "-"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = jsonCell(x)
		}
		return strings.Join(parts, ",")
	case bool:
		if v {
			return "True"
		}
		return "False"
	}
	return v.(string)
}

// pickCells returns the named columns of a row as cells.
func pickCells(r map[string]any, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = jsonCell(r[c])
	}
	return out
}

// expectRows checks rows against expectations, in order and in number.
func expectRows(t *testing.T, got []map[string]any, cols []string, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		for _, r := range got {
			t.Logf("got %v", pickCells(r, cols))
		}
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		if g := pickCells(got[i], cols); strings.Join(g, "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %s = %v, want %v", i+1, strings.Join(cols, ","), g, w)
		}
	}
}
