package scripting

import (
	"errors"
	"os"
	"time"

	"github.com/wirelark/wirelark/engine/flow"
)

// Live configures a run over a live capture.
type Live struct {
	// Connection timeouts; zero fields take Zeek's defaults (flow.Config),
	// negative ones turn the timer off.
	TCPInactivity, UDPInactivity, ICMPInactivity time.Duration
	AttemptDelay, CloseDelay, Linger             time.Duration
	// Tick is how often connection timers run on the wall clock while
	// packets keep coming or not; 0 is a second.
	Tick time.Duration
	// Now reads the wall clock; nil is time.Now.
	Now func() time.Time
}

// RunLive is Run over a live source. Packets are read, decoded and
// dispatched one at a time, as they come (never in batches), and the
// connection timers also run on the wall clock, every Tick and whenever
// the source reports that nothing came (its Next returning an error that
// is os.ErrDeadlineExceeded): a connection idle past its timeout gets
// on_conn_end while the capture goes on, as it would at a later packet's
// time in a file. The source ends the run by returning io.EOF (after its
// Stop), after which on_end runs as at the end of a file.
func (s *Script) RunLive(src FrameSource, l Live) error {
	return s.runFrom(src, &l)
}

// isIdle reports whether a source's error only says nothing came yet.
func isIdle(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// flowConfig is the connection table's configuration of the run.
func (l *Live) flowConfig() flow.Config {
	if l == nil {
		return flow.Config{}
	}
	return flow.Config{
		TCPInactivity: l.TCPInactivity, UDPInactivity: l.UDPInactivity, ICMPInactivity: l.ICMPInactivity,
		AttemptDelay: l.AttemptDelay, CloseDelay: l.CloseDelay, Linger: l.Linger,
	}
}

// wallClock runs connection timers on the wall clock.
type wallClock struct {
	now   func() time.Time
	every time.Duration
	next  time.Time
}

// clock is nil for a run over files.
func (l *Live) clock() *wallClock {
	if l == nil {
		return nil
	}
	c := &wallClock{now: l.Now, every: l.Tick}
	if c.now == nil {
		c.now = time.Now
	}
	if c.every <= 0 {
		c.every = time.Second
	}
	return c
}

// tick expires connections when a tick has passed since the last time.
func (c *wallClock) tick(t *connTracker) error {
	if t == nil {
		return nil
	}
	now := c.now()
	if now.Before(c.next) {
		return nil
	}
	c.next = now.Add(c.every)
	return t.expire(now.UnixNano())
}
