package live_test

import (
	"net"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/wirelark/wirelark/engine/capfilter"
	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/live/netnstest"
)

// sendTagged writes n frames tagged with VLAN vid in the data from
// interface ifname inside ns with a packet socket: UDP to port 7000+vid or
// an ICMP echo request, from 10.215.R.from, to a MAC address nobody has,
// so nothing answers. A capture on the sending end sees the frame leave
// with the tag in the data; on the receiving end the kernel takes the tag
// out into the packet's metadata before any packet socket sees it, as it
// does with tags the hardware strips.
func sendTagged(t *testing.T, p *netnstest.Pair, ns, ifname string, from byte, vid uint16, icmp bool, n int) {
	t.Helper()
	err := netnstest.Do(ns, func() error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		r := p.AddrB.As4()[2]
		eth := &layers.Ethernet{SrcMAC: ifi.HardwareAddr, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, EthernetType: layers.EthernetTypeDot1Q}
		tag := &layers.Dot1Q{VLANIdentifier: vid, Type: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, SrcIP: net.IP{10, 215, r, from}, DstIP: net.IP{10, 215, r, 3 - from}}
		var l4 gopacket.SerializableLayer
		if icmp {
			ip.Protocol = layers.IPProtocolICMPv4
			l4 = &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 0x5757, Seq: 1}
		} else {
			ip.Protocol = layers.IPProtocolUDP
			udp := &layers.UDP{SrcPort: layers.UDPPort(7000 + vid), DstPort: layers.UDPPort(7000 + vid)}
			udp.SetNetworkLayerForChecksum(ip)
			l4 = udp
		}
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		if err := gopacket.SerializeLayers(buf, opts, eth, tag, ip, l4, gopacket.Payload("wirelark vlan test")); err != nil {
			return err
		}
		to := &unix.SockaddrLinklayer{Ifindex: ifi.Index, Halen: 6}
		copy(to.Addr[:], eth.DstMAC)
		for i := 0; i < n; i++ {
			if err := unix.Sendto(fd, buf.Bytes(), 0, to); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// vlanClasses counts captured frames by kind: "plain icmp" for the
// untagged pings, else "meta|data udp|icmp VID" for the tagged frames
// (meta: sent from A, so the tag reached B's socket in the metadata; data:
// sent from B, the tag in the data), as the frames read back show them.
func vlanClasses(p *netnstest.Pair, frames []frame) map[string]int {
	c := map[string]int{}
	r := p.AddrB.As4()[2]
	for _, f := range frames {
		ip, _ := f.pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		d, _ := f.pkt.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q)
		kind := "other"
		switch {
		case ip == nil:
		case d == nil && ip.Protocol == layers.IPProtocolICMPv4:
			kind = "plain icmp"
		case d != nil && ip.SrcIP.Equal(net.IP{10, 215, r, 1}) || d != nil && ip.SrcIP.Equal(net.IP{10, 215, r, 2}):
			kind = "meta "
			if ip.SrcIP[3] == 2 {
				kind = "data "
			}
			if ip.Protocol == layers.IPProtocolICMPv4 {
				kind += "icmp "
			} else {
				kind += "udp "
			}
			kind += strconv.Itoa(int(d.VLANIdentifier))
		}
		c[kind]++
	}
	return c
}

// TestVLANFilterOnSocket captures on a veth with filters compiled for a
// live socket, while frames tagged with VLAN 100 and 200 arrive (the tag
// in the skb metadata) and leave (the tag in the data), and untagged pings
// go both ways, and checks which frames the kernel passed. (VLAN
// sub-interfaces would need the 8021q module; frames written with a
// packet socket reach the capture the same two ways.)
func TestVLANFilterOnSocket(t *testing.T) {
	p := netnstest.New(t)
	const n = 2
	traffic := func(t *testing.T) {
		t.Helper()
		if got, err := netnstest.Ping(p.A, p.AddrB, n); err != nil || got != n {
			t.Fatalf("ping: %d replies, %v", got, err)
		}
		for _, vid := range []uint16{100, 200} {
			sendTagged(t, p, p.A, p.IfA, 1, vid, false, n)
			sendTagged(t, p, p.B, p.IfB, 2, vid, false, n)
		}
		sendTagged(t, p, p.A, p.IfA, 1, 100, true, n)
		sendTagged(t, p, p.B, p.IfB, 2, 100, true, n)
	}
	all := []string{"plain icmp", "meta udp 100", "data udp 100", "meta udp 200", "data udp 200", "meta icmp 100", "data icmp 100"}
	tests := []struct {
		filter  string
		compile live.CompileFunc
		want    []string // the kinds seen, n frames each (2n pings)
	}{
		{"vlan", capfilter.CompileLiveRaw, all[1:]},
		{"vlan 100", capfilter.CompileLiveRaw, []string{"meta udp 100", "data udp 100", "meta icmp 100", "data icmp 100"}},
		{"vlan 200", capfilter.CompileLiveRaw, []string{"meta udp 200", "data udp 200"}},
		{"not vlan", capfilter.CompileLiveRaw, []string{"plain icmp"}},
		{"vlan and icmp", capfilter.CompileLiveRaw, []string{"meta icmp 100", "data icmp 100"}},
		{"vlan 100 and udp", capfilter.CompileLiveRaw, []string{"meta udp 100", "data udp 100"}},
		{"", nil, all},
		// Compiled for a file, "vlan" only finds tags in the data: this is
		// what shows that the tags from A reach the socket in the metadata.
		{"vlan", capfilter.CompileRaw, []string{"data udp 100", "data udp 200", "data icmp 100"}},
	}
	for _, tt := range tests {
		name := tt.filter
		if tt.compile == nil {
			name = "no filter"
		} else if tt.filter == "vlan" && len(tt.want) < len(all)-1 {
			name += " compiled for files"
		}
		t.Run(name, func(t *testing.T) {
			src := openIn(t, p.B, []string{p.IfB}, live.Options{Filter: tt.filter, Compile: tt.compile, Tick: 50 * time.Millisecond})
			wait := capture(t, src)
			traffic(t)
			got := vlanClasses(p, wait())
			for _, k := range all {
				want := 0
				if slices.Contains(tt.want, k) {
					want = n
					if k == "plain icmp" {
						want = 2 * n
					}
				}
				if got[k] != want {
					t.Errorf("%d frames of kind %q, want %d (all: %v)", got[k], k, want, got)
				}
			}
			if tt.compile != nil && got["other"] != 0 && !slices.Contains(tt.want, "plain icmp") {
				t.Errorf("%d other frames passed %q: %v", got["other"], tt.filter, got)
			}
			t.Logf("%v", got)
		})
	}
}
