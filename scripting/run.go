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
type FrameSource interface {
	Next(*source.Frame) error
}

// Run reads every frame of src, decodes it and dispatches it: on_start
// first, on_packet for each packet that passes FILTER and the -Y filter,
// on_end after the last. Work is done only as needed: with no on_packet,
// no filter runs and no Packet value is made.
//
// Run returns nil; a *HandlerError when a handler fails (without
// KeepGoing: nothing runs after it, on_end included); ErrInterrupted after
// Interrupt; or the source's error (a *source.FormatError for a damaged
// file), after on_end has run over the packets read before the damage.
// Rows emitted are in the sink in every case; closing it is the caller's.
func (s *Script) Run(src FrameSource) error {
	if s.interrupted.Load() {
		return ErrInterrupted
	}
	if h := s.handlers[hStart]; h != nil {
		if err := s.call(h, 0); err != nil {
			return err
		}
	}
	dec := packet.NewDecoder()
	hp := s.handlers[hPacket]
	var f source.Frame
	var srcErr error
	for !s.interrupted.Load() {
		if err := src.Next(&f); err != nil {
			if err != io.EOF {
				srcErr = err
			}
			break
		}
		s.run.Packets++
		s.run.Bytes += int64(len(f.Data))
		if s.run.Packets == 1 {
			s.run.First = f.Time
		}
		s.run.Last = f.Time
		p := dec.Decode(&f)
		s.run.Decoded++
		if p.Malformed != "" {
			s.run.Malformed++
		}
		if hp == nil {
			continue
		}
		if s.filter != nil && !s.filter.Match(p) || s.cfg.Filter != nil && !s.cfg.Filter.Match(p) {
			s.run.FilteredOut++
			continue
		}
		pv := newPacket(p, &s.sc)
		s.run.PacketValues++
		hp.args[0] = pv
		err := s.call(hp, p.Num)
		pv.expire()
		hp.args[0] = nil
		if err != nil {
			return err
		}
	}
	if s.interrupted.Load() {
		return ErrInterrupted
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
