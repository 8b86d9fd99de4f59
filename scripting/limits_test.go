package scripting

import (
	"strings"
	"testing"
	"time"
)

func TestParseLimit(t *testing.T) {
	cases := []struct {
		spec string
		want Limits
		err  string
	}{
		{"flows=100", Limits{Flows: 100}, ""},
		{"flows=2k", Limits{Flows: 2048}, ""},
		{"stream-bytes=1m", Limits{StreamBytes: 1 << 20}, ""},
		{"buffer-bytes=2G", Limits{BufferBytes: 2 << 30}, ""},
		{"streams=10", Limits{Streams: 10}, ""},
		{"tcp-timeout=90s", Limits{TCPTimeout: 90 * time.Second}, ""},
		{"udp-timeout=5m", Limits{UDPTimeout: 5 * time.Minute}, ""},
		{"icmp-timeout=1s", Limits{ICMPTimeout: time.Second}, ""},
		{"flows", Limits{}, "want name=value"},
		{"flows=0", Limits{}, "not a positive count"},
		{"flows=-3", Limits{}, "not a positive count"},
		{"flows=lots", Limits{}, "not a positive count"},
		{"tcp-timeout=10", Limits{}, "not a positive duration"},
		{"flow=10", Limits{}, "unknown limit \"flow\""},
	}
	for _, c := range cases {
		var l Limits
		err := l.ParseLimit(c.spec)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.spec, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one saying %q", c.spec, err, c.err)
		case c.err == "" && l != c.want:
			t.Errorf("%s: %+v, want %+v", c.spec, l, c.want)
		}
	}
}

// TestLimitsApply checks that the limits reach the flow table: with room
// for 2 flows the others are evicted, and a 1 s UDP timeout ends the UDP
// flows of mixed_office.pcap (DNS, DHCP, Kerberos minutes apart) as
// inactive; both are counted in run.flows.
func TestLimitsApply(t *testing.T) {
	src := `
def on_conn_end(c):
    pass
def on_end(run):
    print(run.flows.conns, run.flows.evicted, run.flows.timeouts)
`
	counters := func(capture string, l Limits) []string {
		r := runSrc(t, src, []string{cap(capture)}, func(c *Config) { c.Limits = l })
		if r.err != nil {
			t.Fatal(r.err)
		}
		f := strings.Fields(r.out)
		if len(f) != 3 {
			t.Fatalf("output %q", r.out)
		}
		return f
	}
	free, tight := counters("tcp_anomalies.pcap", Limits{}), counters("tcp_anomalies.pcap", Limits{Flows: 2})
	if free[1] != "0" || tight[1] == "0" {
		t.Errorf("evicted: %s without a limit, %s with flows=2; want 0, then some", free[1], tight[1])
	}
	free, tight = counters("mixed_office.pcap", Limits{}), counters("mixed_office.pcap", Limits{UDPTimeout: time.Second})
	if free[2] != "0" || tight[2] == "0" {
		t.Errorf("timeouts: %s without a limit, %s with udp-timeout=1s; want 0, then some", free[2], tight[2])
	}
}
