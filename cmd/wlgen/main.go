// Command wlgen writes a synthetic capture of realistic mixed LAN traffic
// (see internal/trafficgen), for benchmarks and tests that need large
// captures that are not worth storing:
//
//	wlgen -n 2000000 -o big.pcap [-seed N] [-nano]
//	wlgen -n 2000000 -o big.pcap -repeat real.pcap
//
// -repeat makes the capture from copies of a real one instead, one after
// the other, with the client ports moved so that each copy's connections
// are new (trafficgen.Repeat): a large capture of one protocol.
//
// The same flags give the same file, byte for byte.
package main

import (
	"flag"
	"fmt"
	"io"
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
	repeat := flag.String("repeat", "", "make the capture from copies of this real capture instead of synthetic traffic")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: wlgen -n PACKETS -o FILE [-seed N] [-nano]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() > 0 || *n <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	gen := func(w io.Writer) (trafficgen.Stats, error) {
		return trafficgen.Write(w, trafficgen.Options{Packets: *n, Seed: *seed, Nanosecond: *nano, Hosts: *hosts})
	}
	if *repeat != "" {
		gen = func(w io.Writer) (trafficgen.Stats, error) { return trafficgen.Repeat(w, *repeat, *n) }
	}
	st, err := write(*out, gen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wlgen:", err)
		os.Exit(1)
	}
	if !*quiet && *repeat != "" {
		fmt.Fprintf(os.Stderr, "wlgen: %s: %d packets from copies of %s, %s of traffic\n", *out, st.Packets, *repeat, st.Last.Sub(st.First).Round(1e6))
	} else if !*quiet {
		fmt.Fprintf(os.Stderr, "wlgen: %s: %d packets, %d bytes of packet data, %s of traffic\n",
			*out, st.Packets, st.Bytes, st.Last.Sub(st.First).Round(1e6))
		fmt.Fprintf(os.Stderr, "wlgen: tcp %d (%d connections), udp %d, dns %d, dhcp %d, arp %d, icmp %d, icmpv6 %d, ipv6 %d\n",
			st.TCP, st.TCPConns, st.UDP, st.DNS, st.DHCP, st.ARP, st.ICMP, st.ICMPv6, st.IPv6)
	}
}

// write generates into a temporary file renamed into place at the end, so
// an interrupted run leaves no truncated capture behind.
func write(name string, gen func(io.Writer) (trafficgen.Stats, error)) (trafficgen.Stats, error) {
	if name == "-" {
		return gen(os.Stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".wlgen-*.pcap")
	if err != nil {
		return trafficgen.Stats{}, err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	st, err := gen(f)
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
