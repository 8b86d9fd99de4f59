package scripting

import (
	"fmt"
	"io"
	"time"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// FrameSource yields captured frames in order; *source.Merge is one.
// A live source's Next may also return an error that is
// os.ErrDeadlineExceeded when no frame came for a while (see RunLive):
// the run then goes on reading.
type FrameSource interface {
	Next(*source.Frame) error
}

// Run reads every frame of src, decodes it and dispatches it: on_start
// first, on_packet for each packet that passes FILTER and the -Y filter
// and then the handlers of the protocol messages it carries (see
// msgdispatch.go), the connection handlers as the flow table and the
// reassembler see every packet (conntrack.go), on_end after the last.
// Work is done only as needed: with no on_packet and no message handler,
// no filter runs and no Packet value is made; with no connection handler,
// there is no flow table.
//
// Run returns nil; a *HandlerError when a handler fails (without
// KeepGoing: nothing runs after it, on_end included); ErrInterrupted after
// Interrupt; or the source's error (a *source.FormatError for a damaged
// file), after on_end has run over the packets read before the damage.
// Rows emitted are in the sink in every case; closing it is the caller's.
func (s *Script) Run(src FrameSource) error { return s.runFrom(src, nil) }

// runFrom is Run, over a live source when live is set.
func (s *Script) runFrom(src FrameSource, live *Live) error {
	if s.interrupted.Load() {
		return ErrInterrupted
	}
	if h := s.handlers[hStart]; h != nil {
		if err := s.call(h, 0); err != nil {
			return err
		}
	}
	hp := s.handlers[hPacket]
	s.conns = newConnTracker(s, live.flowConfig())
	if s.handlers[hSMB] != nil {
		s.smb = newSMBTracker()
	}
	var srcErr, err error
	if s.needsPackets() && s.cfg.Pipeline && live == nil {
		srcErr, err = s.runPipelined(src, hp)
	} else {
		srcErr, err = s.runSequential(src, hp, live)
	}
	if err != nil {
		return err
	}
	if s.interrupted.Load() {
		return ErrInterrupted
	}
	if s.conns != nil {
		if err := s.conns.finish(); err != nil {
			return err
		}
	}
	if h := s.handlers[hEnd]; h != nil {
		if h.nargs == 1 {
			h.calls++ // on_end's own call shows in the stats it receives
			h.args[0] = s.statsValue()
			h.calls--
		}
		if err := s.call(h, 0); err != nil {
			return err
		}
	}
	return srcErr
}

// call runs one handler under its step budget. It returns an error when
// the run must stop.
func (s *Script) call(h *bound, pkt int) (err error) {
	h.calls++
	s.budget(s.thread)
	var t0 time.Time
	if s.timed {
		t0 = time.Now()
	}
	defer func() {
		if s.timed {
			s.run.ScriptTime += time.Since(t0)
		}
		if r := recover(); r != nil {
			err = s.failed(h, pkt, fmt.Errorf("internal error: %v", r))
		}
	}()
	if _, err := starlark.Call(s.thread, h.fn, h.args, nil); err != nil {
		return s.failed(h, pkt, err)
	}
	return nil
}

// failed records a handler error; with KeepGoing the run goes on.
func (s *Script) failed(h *bound, pkt int, err error) error {
	if s.interrupted.Load() {
		return ErrInterrupted
	}
	he := &HandlerError{Handler: h.name, Packet: pkt, Err: err}
	h.errs++
	if h.first == nil {
		h.first = he
	}
	if !s.cfg.KeepGoing {
		return he
	}
	// A call stopped by its step budget leaves the thread cancelled.
	s.thread.Uncancel()
	return nil
}

// HandlerErrors are the errors of one handler, with KeepGoing.
type HandlerErrors struct {
	Handler string
	Count   int64
	First   *HandlerError
}

// Errors lists the handlers that failed, in handler order.
func (s *Script) Errors() []HandlerErrors {
	var out []HandlerErrors
	for _, h := range s.handlers {
		if h != nil && h.errs > 0 {
			out = append(out, HandlerErrors{h.name, h.errs, h.first})
		}
	}
	return out
}

// count records a frame read in the run's counters.
func (st *RunStats) count(f *source.Frame, p *packet.Packet) {
	st.Packets++
	st.Bytes += int64(len(f.Data))
	if st.Packets == 1 {
		st.First = f.Time
	}
	st.Last = f.Time
	st.Decoded++
	if p.Malformed != "" {
		st.Malformed++
	}
}

// pass applies FILTER and -Y; it counts what they keep out.
func (s *Script) pass(st *RunStats, p *packet.Packet) bool {
	if s.filter != nil && !s.filter.Match(p) || s.cfg.Filter != nil && !s.cfg.Filter.Match(p) {
		st.FilteredOut++
		return false
	}
	return true
}

// deliver calls on_packet for p.
func (s *Script) deliver(hp *bound, p *packet.Packet) error {
	pv := newPacket(p, &s.sc)
	s.run.PacketValues++
	hp.args[0] = pv
	err := s.call(hp, p.Num)
	pv.expire()
	hp.args[0] = nil
	return err
}

// runSequential reads, decodes and dispatches one packet at a time. Over
// a live source, connection timers also run on the wall clock (see
// RunLive).
func (s *Script) runSequential(src FrameSource, hp *bound, live *Live) (srcErr, err error) {
	dec := s.newDecoder()
	defer func() { s.run.PDU = dec.PDUStats() }()
	var f source.Frame
	clock := live.clock()
	for !s.interrupted.Load() {
		if clock != nil {
			if err := clock.tick(s.conns); err != nil {
				return srcErr, err
			}
		}
		if err := src.Next(&f); err != nil {
			if isIdle(err) {
				continue
			}
			if err != io.EOF {
				srcErr = err
			}
			break
		}
		p := dec.Decode(&f)
		s.run.count(&f, p)
		if !s.needsPackets() {
			continue
		}
		if err := s.dispatch(hp, p, s.perPacket() && s.pass(&s.run, p)); err != nil {
			return srcErr, err
		}
	}
	return srcErr, nil
}

// Pipelined runs hand packets from the reading goroutine to the script's
// in batches, so that a channel operation is paid per batch.
//
// Every slot of every batch is a packet with its own copy of the frame
// and its own decoding storage, written on one core and read on the
// other. Decoding into 64 or 128 packets in turn runs as fast as into one
// (BenchmarkPipelineSlots), so a batch is 64. The work of the script's
// goroutine comes in bursts (a handler call per connection end, several
// timers due at once), and the reading goroutine must be able to run
// ahead through one without parking: with 16 batches tcp_handshake.star
// runs 1.37x as fast as with 4 (BenchmarkTCPHandshakeScript), on_packet
// scripts 5–10%; with 64 both are slower again, the slots falling out of
// the caches.
//
// A batch is also handed over once its frames hold batchBytes, so that
// the frames in flight stay a few MiB however large they are (64 KiB TSO
// frames, 256 KiB snapshots).
const (
	batchLen   = 64
	batches    = 16
	batchBytes = 256 << 10
)

type batch struct {
	pkts [batchLen]packet.Packet
	ok   [batchLen]bool // passed FILTER and -Y
	n    int
}

// runPipelined reads, decodes and filters on a goroutine of its own while
// on_packet runs on this one, so both cores work. Packets reach the script
// in capture order; the reader's counters join the run's at the end.
func (s *Script) runPipelined(src FrameSource, hp *bound) (srcErr, err error) {
	free := make(chan *batch, batches)
	full := make(chan *batch, batches)
	stop := make(chan struct{})
	for i := 0; i < batches; i++ {
		free <- new(batch)
	}
	var read RunStats
	go func() {
		dec := s.newDecoder()
		defer func() {
			read.PDU = dec.PDUStats()
			close(full)
		}()
		var f source.Frame
		for {
			var b *batch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			eof, err := s.fill(b, src, dec, &f, &read)
			if err != nil {
				srcErr = err
			}
			select {
			case full <- b:
			case <-stop:
				return
			}
			if eof || s.interrupted.Load() {
				return
			}
		}
	}()
	defer func() {
		// Stop the reader and wait for it before its counters are read.
		close(stop)
		for range full {
		}
		packets, bytes, first := read.Packets, read.Bytes, read.First
		s.run.Packets += packets
		s.run.Bytes += bytes
		if s.run.First == 0 {
			s.run.First = first
		}
		if read.Last != 0 {
			s.run.Last = read.Last
		}
		s.run.Decoded += read.Decoded
		s.run.Malformed += read.Malformed
		s.run.FilteredOut += read.FilteredOut
		s.run.PDU = read.PDU
	}()
	for b := range full {
		for i := 0; i < b.n; i++ {
			if s.interrupted.Load() {
				return nil, nil
			}
			if err := s.dispatch(hp, &b.pkts[i], b.ok[i]); err != nil {
				return nil, err
			}
		}
		free <- b
	}
	return srcErr, nil
}

// fill reads and decodes packets into b until it holds batchLen of them
// or batchBytes of frames, the source has none ready, or it ends (eof,
// with its error unless io.EOF). It counts what it reads in read.
func (s *Script) fill(b *batch, src FrameSource, dec *packet.Decoder, f *source.Frame, read *RunStats) (eof bool, err error) {
	b.n = 0
	size := 0
	for b.n < batchLen && size < batchBytes && !s.interrupted.Load() {
		if err := src.Next(f); err != nil {
			if isIdle(err) {
				// Hand over what there is.
				return false, nil
			}
			if err != io.EOF {
				return true, err
			}
			return true, nil
		}
		p := &b.pkts[b.n]
		dec.DecodeInto(f, p)
		read.count(f, p)
		// Connection tracking and SMB state need every packet.
		ok := s.perPacket() && s.pass(read, p)
		if ok || s.conns != nil || s.smb != nil {
			b.ok[b.n] = ok
			b.n++
			size += len(p.Data)
		}
	}
	return false, nil
}

// newDecoder returns the run's decoder. HTTP messages are put back
// together only when handlers or filters read packets: a run of
// connection handlers alone would copy every body for nothing.
func (s *Script) newDecoder() *packet.Decoder {
	d := packet.NewDecoder()
	d.HTTP = s.perPacket()
	return d
}

// needsPackets reports whether packets need any work beyond counting:
// handlers of packets and messages, or connection tracking.
func (s *Script) needsPackets() bool { return s.perPacket() || s.conns != nil }

// dispatch runs connection tracking on a packet (its events first: a conn
// starts before on_packet sees its first packet), then, if it passed the
// filters, on_packet and the message handlers.
func (s *Script) dispatch(hp *bound, p *packet.Packet, passed bool) error {
	if s.conns != nil {
		if err := s.conns.observe(p); err != nil {
			return err
		}
	}
	if s.smb != nil {
		s.smb.observe(p)
	}
	if !passed {
		return nil
	}
	return s.handle(hp, p)
}
