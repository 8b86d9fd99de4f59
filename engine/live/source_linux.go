package live

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/wirelark/wirelark/engine/source"
)

// Source captures on one or more interfaces. Next and Close are for one
// goroutine; Stop may be called from any.
type Source struct {
	socks   []*socket
	ifaces  []Interface
	stopFD  int // eventfd written by Stop, to wake a waiting Next
	stopped atomic.Bool
	tick    time.Duration
	last    time.Time // when Next last returned
	poll    []unix.PollFd
	closed  bool
	mu      sync.Mutex // stats
}

// Open starts capturing on the named interfaces ("any" for all). The
// capture filter, if any, is compiled for each interface's link type
// before any socket is opened, so a syntax error comes first. Errors name
// the interface: an *UnknownInterfaceError, a *PermissionError without
// CAP_NET_RAW, or what the compiler returned.
func Open(names []string, opt Options) (*Source, error) {
	if len(names) == 0 {
		return nil, errors.New("no interface given")
	}
	its, err := lookup(names)
	if err != nil {
		return nil, err
	}
	progs := make([][]bpf.RawInstruction, len(its))
	if opt.Filter != "" {
		if opt.Compile == nil {
			return nil, errors.New("capture filter given but no compiler")
		}
		for i, it := range its {
			if progs[i], err = opt.Compile(opt.Filter, it.LinkType(), opt.snaplen()); err != nil {
				return nil, err
			}
			if len(progs[i]) == 0 {
				return nil, fmt.Errorf("capture filter %q compiled to no instructions", opt.Filter)
			}
		}
	}
	loIndex := -1
	if all, err := Interfaces(); err == nil {
		for _, it := range all {
			if it.Loopback && it.Index != 0 {
				loIndex = it.Index
				break
			}
		}
	}
	s := &Source{ifaces: its, tick: opt.Tick, stopFD: -1}
	if s.tick == 0 {
		s.tick = DefaultTick
	}
	for i, it := range its {
		sk, err := openSocket(it, &opt, progs[i], loIndex)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.socks = append(s.socks, sk)
	}
	if s.stopFD, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		s.Close()
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	for _, sk := range s.socks {
		s.poll = append(s.poll, unix.PollFd{Fd: int32(sk.fd), Events: unix.POLLIN})
	}
	s.poll = append(s.poll, unix.PollFd{Fd: int32(s.stopFD), Events: unix.POLLIN})
	s.last = time.Now()
	return s, nil
}

// Interfaces are those captured on, in the order given to Open; a
// frame's Iface indexes them.
func (s *Source) Interfaces() []Interface { return s.ifaces }

// LinkTypes are the link types of the interfaces' frames, in order.
func (s *Source) LinkTypes() []layers.LinkType {
	out := make([]layers.LinkType, len(s.socks))
	for i, sk := range s.socks {
		out[i] = sk.link
	}
	return out
}

// Next fills f with the next packet captured, on whichever interface,
// in the order of their kernel timestamps among those waiting. f.Data is
// valid until the next call. Next returns ErrIdle when nothing came for
// the tick, and io.EOF once Stop was called.
func (s *Source) Next(f *source.Frame) error {
	for {
		if s.stopped.Load() || s.closed {
			return io.EOF
		}
		// Read what is queued without waiting: one system call per
		// packet while they keep coming.
		for _, sk := range s.socks {
			if !sk.has {
				if _, err := sk.read(); err != nil {
					return err
				}
			}
		}
		var best *socket
		bi := 0
		for i, sk := range s.socks {
			if sk.has && (best == nil || sk.time < best.time) {
				best, bi = sk, i
			}
		}
		if best != nil {
			best.has = false
			*f = source.Frame{
				Time: best.time, Len: best.wireLen, Data: best.buf[best.off:best.end],
				LinkType: best.link, Iface: bi, Nano: true,
			}
			s.last = time.Now()
			return nil
		}
		wait := -1
		if s.tick > 0 {
			left := time.Until(s.last.Add(s.tick))
			if left <= 0 {
				s.last = time.Now()
				return ErrIdle
			}
			wait = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		for i := range s.poll {
			s.poll[i].Revents = 0
		}
		if _, err := unix.Poll(s.poll, wait); err != nil && err != unix.EINTR {
			return fmt.Errorf("poll: %w", err)
		}
		for i, p := range s.poll[:len(s.socks)] {
			if p.Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 && p.Revents&unix.POLLIN == 0 {
				// The error itself comes out of the next read.
				if _, err := s.socks[i].read(); err != nil {
					return err
				}
				return fmt.Errorf("%s: capture socket failed", s.socks[i].it.Name)
			}
		}
	}
}

// Stop ends the capture: a Next waiting returns io.EOF at once, and so
// does every later call. It is safe to call from a signal handler's
// goroutine and more than once.
func (s *Source) Stop() {
	if s.stopped.Swap(true) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopFD >= 0 {
		var one = [8]byte{1}
		unix.Write(s.stopFD, one[:])
	}
}

// Stats returns the counters of each interface so far.
func (s *Source) Stats() []Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Stats, 0, len(s.socks))
	for _, sk := range s.socks {
		out = append(out, sk.stats())
	}
	return out
}

// Close releases the sockets; promiscuous mode ends with them.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var err error
	for _, sk := range s.socks {
		err = errors.Join(err, sk.close())
	}
	if s.stopFD >= 0 {
		unix.Close(s.stopFD)
		s.stopFD = -1
	}
	return err
}
