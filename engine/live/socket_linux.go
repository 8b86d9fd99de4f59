package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Room kept before the packet in the read buffer for a VLAN tag the
// kernel took off Ethernet frames.
const (
	vlanLen  = 4
	ethAddrs = 12 // destination and source MACs, before the EtherType
)

// socket is one AF_PACKET socket and the frame last read from it.
type socket struct {
	fd      int
	it      Interface
	link    layers.LinkType
	cooked  bool
	loIndex int     // loopback's ifindex: its outgoing copies are skipped
	vm      *bpf.VM // the filter run here when the kernel cannot run it

	buf  []byte // head room, then up to snaplen bytes
	room int
	oob  [128]byte
	name unix.RawSockaddrLinklayer
	iov  unix.Iovec
	msg  unix.Msghdr

	// The frame read and not yet handed out.
	has       bool
	time      int64
	off, end  int // Data is buf[off:end]
	wireLen   int
	statsPath string
	rxDrop0   uint64 // rx_dropped when the capture started
	packets   uint64 // PACKET_STATISTICS, summed (the kernel resets them on read)
	drops     uint64
	final     *Stats // the counters when the socket closed
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// openSocket opens and sets up the socket of one interface. prog is the
// capture filter compiled for the interface's link type, nil for none.
func openSocket(it Interface, opt *Options, prog []bpf.RawInstruction, loIndex int) (*socket, error) {
	s := &socket{it: it, link: it.LinkType(), loIndex: loIndex, fd: -1}
	s.cooked = s.link == layers.LinkTypeLinuxSLL
	typ := unix.SOCK_RAW
	s.room = vlanLen
	snap := opt.snaplen()
	if s.cooked {
		typ = unix.SOCK_DGRAM
		s.room = sllLen
		snap = max(snap-sllLen, 1)
	}
	s.buf = make([]byte, s.room+snap)
	// Protocol 0: the socket receives nothing until bound to the
	// interface, so no packet of another interface gets in first.
	fd, err := unix.Socket(unix.AF_PACKET, typ|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, &PermissionError{Iface: it.Name, Err: err}
		}
		return nil, fmt.Errorf("%s: socket: %w", it.Name, err)
	}
	s.fd = fd
	fail := func(what string, err error) (*socket, error) {
		unix.Close(fd)
		return nil, fmt.Errorf("%s: %s: %w", it.Name, what, err)
	}
	// Beyond net.core.rmem_max only with CAP_NET_ADMIN (FORCE).
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, opt.bufferSize()); err != nil {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, opt.bufferSize()); err != nil {
			return fail("buffer size", err)
		}
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		return fail("timestamps", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_AUXDATA, 1); err != nil {
		return fail("auxdata", err)
	}
	if prog != nil {
		// As libpcap: reject everything until the real filter is in, so
		// that nothing unfiltered is queued meanwhile.
		if err := attach(fd, []bpf.RawInstruction{{Op: 0x06, K: 0}}); err != nil {
			return fail("capture filter", err)
		}
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: it.Index}
	if err := unix.Bind(fd, sa); err != nil {
		return fail("bind", err)
	}
	if !opt.NoPromisc && it.Index != 0 {
		mr := &unix.PacketMreq{Ifindex: int32(it.Index), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, mr); err != nil {
			return fail("promiscuous mode", err)
		}
	}
	if prog != nil {
		s.drain()
		kprog := prog
		if s.cooked {
			kprog = cookedProgram(prog)
		}
		if kprog == nil || attach(fd, kprog) != nil {
			// Run it here on what the kernel passes; the reject-all
			// filter goes first.
			if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DETACH_FILTER, 0); err != nil {
				return fail("capture filter", err)
			}
			ins, ok := bpf.Disassemble(prog)
			if !ok {
				return fail("capture filter", errors.New("program not understood"))
			}
			vm, err := bpf.NewVM(ins)
			if err != nil {
				return fail("capture filter", err)
			}
			s.vm = vm
		}
	}
	// Reading PACKET_STATISTICS resets it: start from zero here.
	unix.GetsockoptTpacketStats(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if it.Index != 0 {
		s.statsPath = filepath.Join("/sys/class/net", it.Name, "statistics", "rx_dropped")
		s.rxDrop0, _ = readCounter(s.statsPath)
	}
	return s, nil
}

// attach sets prog as the socket's kernel filter.
func attach(fd int, prog []bpf.RawInstruction) error {
	f := make([]unix.SockFilter, len(prog))
	for i, in := range prog {
		f[i] = unix.SockFilter{Code: in.Op, Jt: in.Jt, Jf: in.Jf, K: in.K}
	}
	return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &unix.SockFprog{Len: uint16(len(f)), Filter: &f[0]})
}

// drain discards what was queued before the filter was attached; the
// queue is bounded by the receive buffer, the loop by a count anyway.
func (s *socket) drain() {
	var b [64]byte
	for i := 0; i < 1<<20; i++ {
		if _, _, err := unix.Recvfrom(s.fd, b[:], unix.MSG_DONTWAIT); err != nil && err != unix.EINTR {
			return
		}
	}
}

// read takes the next packet off the socket, if one is queued, into the
// socket's buffer. It reports whether it got one that passes the filter.
func (s *socket) read() (bool, error) {
	for {
		got, err := s.recv()
		if !got || err != nil {
			return false, err
		}
		if s.keep() {
			s.has = true
			return true, nil
		}
	}
}

// recv is one recvmsg(2), without allocating.
func (s *socket) recv() (bool, error) {
	s.iov.Base = &s.buf[s.room]
	s.iov.SetLen(len(s.buf) - s.room)
	s.msg = unix.Msghdr{
		Name:    (*byte)(unsafe.Pointer(&s.name)),
		Namelen: unix.SizeofSockaddrLinklayer,
		Iov:     &s.iov,
		Iovlen:  1,
		Control: &s.oob[0],
	}
	s.msg.SetControllen(len(s.oob))
	for {
		n, _, e := unix.Syscall(unix.SYS_RECVMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&s.msg)), unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		switch e {
		case 0:
			return true, s.frame(int(n))
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false, nil
		case unix.ENETDOWN:
			return false, fmt.Errorf("%s: the interface went down", s.it.Name)
		}
		return false, fmt.Errorf("%s: recvmsg: %w", s.it.Name, e)
	}
}

// frame fills in the frame just received: n is its length on the wire
// (MSG_TRUNC), the metadata is in the control messages and the address.
func (s *socket) frame(n int) error {
	got := min(n, len(s.buf)-s.room)
	s.time = 0
	s.off, s.end, s.wireLen = s.room, s.room+got, n
	ctl := parseControl(s.oob[:s.msg.Controllen])
	s.time = ctl.time
	if s.time == 0 {
		s.time = time.Now().UnixNano()
	}
	if s.cooked {
		s.sll()
		return nil
	}
	if ctl.vlan && got >= ethAddrs {
		// Put back the tag the kernel (or the NIC) took off, after the
		// MAC addresses.
		b := s.buf
		copy(b[0:ethAddrs], b[vlanLen:vlanLen+ethAddrs])
		binary.BigEndian.PutUint16(b[ethAddrs:], ctl.tpid)
		binary.BigEndian.PutUint16(b[ethAddrs+2:], ctl.tci)
		s.off = 0
		s.wireLen += vlanLen
	}
	return nil
}

// sll writes the Linux cooked header before the packet, as libpcap
// builds it from the sockaddr_ll.
func (s *socket) sll() {
	h := s.buf[s.room-sllLen : s.room]
	binary.BigEndian.PutUint16(h[0:], uint16(s.name.Pkttype))
	binary.BigEndian.PutUint16(h[2:], s.name.Hatype)
	alen := min(int(s.name.Halen), 8)
	binary.BigEndian.PutUint16(h[4:], uint16(s.name.Halen))
	clear(h[6:14])
	copy(h[6:14], s.name.Addr[:alen])
	// sll_protocol is in network order in memory already.
	binary.NativeEndian.PutUint16(h[14:], s.name.Protocol)
	s.off -= sllLen
	s.wireLen += sllLen
}

// keep decides whether the packet just read is handed out: not a copy of
// a packet sent on loopback (it comes back as received), and passing a
// filter the kernel could not run.
func (s *socket) keep() bool {
	if s.name.Pkttype == unix.PACKET_OUTGOING && int(s.name.Ifindex) == s.loIndex {
		return false
	}
	if s.vm != nil {
		n, err := s.vm.Run(s.buf[s.off:s.end])
		if err != nil || n == 0 {
			return false
		}
		s.end = min(s.end, s.off+n)
	}
	return true
}

// stats reads the kernel's counters of the socket and the interface.
func (s *socket) stats() Stats {
	if s.final != nil {
		return *s.final
	}
	if st, err := unix.GetsockoptTpacketStats(s.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS); err == nil {
		s.packets += uint64(st.Packets)
		s.drops += uint64(st.Drops)
	}
	out := Stats{Iface: s.it.Name, Received: s.packets, KernelDrops: s.drops}
	if s.statsPath != "" {
		if v, err := readCounter(s.statsPath); err == nil && v >= s.rxDrop0 {
			out.IfaceDrops = v - s.rxDrop0
		}
	}
	return out
}

func readCounter(path string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

func (s *socket) close() error {
	if s.fd < 0 {
		return nil
	}
	st := s.stats()
	s.final = &st
	err := unix.Close(s.fd)
	s.fd = -1
	return err
}
