package netnstest

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

// Server accepts TCP connections on addr:port inside ns and closes each
// after reading until the client closes. Close stops it.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup
}

// Listen starts a Server.
func Listen(ns string, addr netip.Addr, port int) (*Server, error) {
	s := &Server{}
	err := Do(ns, func() error {
		var err error
		s.ln, err = net.Listen("tcp4", netip.AddrPortFrom(addr, uint16(port)).String())
		return err
	})
	if err != nil {
		return nil, err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	return s, nil
}

// Close stops accepting and waits for the connections to end.
func (s *Server) Close() {
	s.ln.Close()
	s.wg.Wait()
}

// Connect opens n TCP connections from ns to addr:port one after the
// other, each closed once established, and returns their client ports.
func Connect(ns string, addr netip.Addr, port, n int) ([]int, error) {
	var ports []int
	err := Do(ns, func() error {
		for i := 0; i < n; i++ {
			c, err := net.DialTimeout("tcp4", netip.AddrPortFrom(addr, uint16(port)).String(), 5*time.Second)
			if err != nil {
				return err
			}
			ports = append(ports, c.LocalAddr().(*net.TCPAddr).Port)
			c.Write([]byte("hello\n"))
			c.Close()
		}
		return nil
	})
	return ports, err
}

// DialUDP opens a UDP socket from ns to addr:port and sends one
// datagram; the caller closes the returned socket.
func DialUDP(ns string, addr netip.Addr, port int) (*net.UDPConn, error) {
	var c *net.UDPConn
	err := Do(ns, func() error {
		var err error
		c, err = net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, uint16(port))))
		return err
	})
	return c, err
}

// SendUDP sends n datagrams of size bytes from ns to addr:port as fast as
// the socket takes them, and returns how many were sent. The socket is
// not connected, so ICMP errors from a closed port do not fail writes.
func SendUDP(ns string, addr netip.Addr, port, n, size int) (int, error) {
	var c *net.UDPConn
	err := Do(ns, func() error {
		var err error
		c, err = net.ListenUDP("udp4", nil)
		return err
	})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	to := netip.AddrPortFrom(addr, uint16(port))
	b := make([]byte, size)
	sent := 0
	for i := 0; i < n; i++ {
		if _, err := c.WriteToUDPAddrPort(b, to); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Ping sends n ICMP echo requests from ns to addr and waits for the
// replies; it returns how many came back.
func Ping(ns string, addr netip.Addr, n int) (int, error) {
	var c *icmp.PacketConn
	err := Do(ns, func() error {
		var err error
		c, err = icmp.ListenPacket("ip4:icmp", "0.0.0.0")
		return err
	})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	got := 0
	buf := make([]byte, 1500)
	for i := 0; i < n; i++ {
		m := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: 0x5757, Seq: i + 1, Data: []byte("wirelark")}}
		b, err := m.Marshal(nil)
		if err != nil {
			return got, err
		}
		if _, err := c.WriteTo(b, &net.IPAddr{IP: addr.AsSlice()}); err != nil {
			return got, err
		}
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		for {
			k, _, err := c.ReadFrom(buf)
			if err != nil {
				return got, fmt.Errorf("echo %d: %w", i+1, err)
			}
			r, err := icmp.ParseMessage(1, buf[:k])
			if err == nil && r.Type == ipv4.ICMPTypeEchoReply {
				if e, ok := r.Body.(*icmp.Echo); ok && e.ID == 0x5757 && e.Seq == i+1 {
					got++
					break
				}
			}
		}
	}
	return got, nil
}
