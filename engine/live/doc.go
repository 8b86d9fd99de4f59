// Package live captures packets from network interfaces on Linux, in pure
// Go: one AF_PACKET socket per interface (or one for all of them, "any"),
// a classic BPF capture filter run in the kernel, kernel timestamps in
// nanoseconds, promiscuous mode, and the kernel's and the interfaces'
// drop counters. A Source hands frames out as engine/source's readers do,
// so scripts and `show` run over a live interface as over a file.
//
// The sockets are read with recvmsg(2) rather than through a TPACKET_V3
// ring. A ring saves a system call per packet, but it hands packets out in
// blocks that the kernel retires on a timer, which delays packets on a
// quiet interface, and its gain only shows above the rate a script's
// handlers keep up with anyway; the socket's receive buffer
// (Options.BufferSize, 2 MiB by default as libpcap's) absorbs bursts.
// recvmsg copies each packet into the Source's own buffer, which then
// stays valid until the next call as engine/source promises, and brings
// the packet's metadata (direction, VLAN tag, original length) with it.
//
// Ethernet and loopback interfaces give Ethernet frames (DLT 1; loopback
// with zero MACs, as Linux frames it); VLAN tags the kernel took off are
// put back, as libpcap does. Other interfaces, and "any", give Linux
// cooked frames (DLT 113): the 16-byte SLL header is built from the
// packet's link-layer address.
package live
