// Command wlgen writes a synthetic capture of realistic mixed LAN traffic
// (see internal/trafficgen), for benchmarks and tests that need large
// captures that are not worth storing:
//
//	wlgen -n 2000000 -o big.pcap [-seed N] [-nano]
//
// The same flags give the same file, byte for byte.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wirelark/wirelark/internal/trafficgen"
)

func main() {
	n := flag.Int("n", 100000, "number of packets")
	out := flag.String("o", "", "output file (required; - for standard output)")
	seed := flag.Int64("seed", 1, "random seed: equal seeds give identical captures")
	nano := flag.Bool("nano", false, "write nanosecond timestamps")
	hosts := flag.Int("hosts", 0, "number of LAN hosts (0: the generator's default)")
	quiet := flag.Bool("q", false, "do not print a summary")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: wlgen -n PACKETS -o FILE [-seed N] [-nano]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() > 0 || *n <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	st, err := write(*out, trafficgen.Options{Packets: *n, Seed: *seed, Nanosecond: *nano, Hosts: *hosts})
	if err != nil {
		fmt.Fprintln(os.Stderr, "wlgen:", err)
		os.Exit(1)
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "wlgen: %s: %d packets, %d bytes of packet data, %s of traffic\n",
			*out, st.Packets, st.Bytes, st.Last.Sub(st.First).Round(1e6))
		fmt.Fprintf(os.Stderr, "wlgen: tcp %d (%d connections), udp %d, dns %d, dhcp %d, arp %d, icmp %d, icmpv6 %d, ipv6 %d\n",
			st.TCP, st.TCPConns, st.UDP, st.DNS, st.DHCP, st.ARP, st.ICMP, st.ICMPv6, st.IPv6)
	}
}

// write generates into a temporary file renamed into place at the end, so
// an interrupted run leaves no truncated capture behind.
func write(name string, opts trafficgen.Options) (trafficgen.Stats, error) {
	if name == "-" {
		return trafficgen.Write(os.Stdout, opts)
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".wlgen-*.pcap")
	if err != nil {
		return trafficgen.Stats{}, err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	st, err := trafficgen.Write(f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return st, err
	}
	// CreateTemp makes the file private; a capture is an ordinary file.
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return st, err
	}
	return st, os.Rename(f.Name(), name)
}
