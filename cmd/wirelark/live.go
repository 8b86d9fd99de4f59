package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wirelark/wirelark/engine/capfilter"
	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/filter"
)

// captureFlags are the live-capture flags of run and show.
type captureFlags struct {
	ifaces     multi
	filter     string
	duration   time.Duration
	write      string
	snaplen    int
	bufferSize int
	noPromisc  bool
}

func (c *captureFlags) register(fs *flag.FlagSet) {
	fs.Var(&c.ifaces, "i", "capture live on this interface (repeatable; any: all of them; see `wirelark interfaces`)")
	fs.StringVar(&c.filter, "f", "", "capture filter (pcap-filter syntax, as tcpdump), run in the kernel")
	fs.DurationVar(&c.duration, "duration", 0, "stop the capture after this long (e.g. 30s)")
	fs.StringVar(&c.write, "w", "", "write the packets captured to this file (.pcapng: pcapng, else pcap); with -Y, only those it matches")
	fs.IntVar(&c.snaplen, "snaplen", live.DefaultSnaplen, "bytes kept of each packet captured")
	fs.IntVar(&c.bufferSize, "buffer-size", live.DefaultBufferSize>>10, "capture buffer size in KiB (packets wait there while the script is busy)")
	fs.BoolVar(&c.noPromisc, "no-promisc", false, "do not put the interfaces in promiscuous mode")
}

func (c *captureFlags) live() bool { return len(c.ifaces) > 0 }

// check rejects capture flags given without -i.
func (c *captureFlags) check() error {
	if c.live() {
		return nil
	}
	switch {
	case c.filter != "":
		return errors.New("-f needs -i (a capture filter applies to live capture; for files use -Y)")
	case c.duration != 0:
		return errors.New("--duration needs -i")
	case c.write != "":
		return errors.New("-w needs -i")
	}
	return nil
}

// capture is a live source with the command line's limits: a count of
// packets, a duration, and a copy of the packets to a file.
type capture struct {
	src   *live.Source
	limit int64 // packets, 0: no limit
	n     int64
	timer *time.Timer

	w    *live.Writer
	wflt *filter.Filter // -Y: write only what it matches
	dec  *packet.Decoder
}

// openCapture opens the interfaces of c. On failure it reports the error
// and returns the exit status.
func openCapture(cmd string, c *captureFlags, count int64, yfilter *filter.Filter, stderr io.Writer) (*capture, int) {
	src, err := live.Open(c.ifaces, live.Options{
		Snaplen: c.snaplen, BufferSize: c.bufferSize << 10, NoPromisc: c.noPromisc,
		Filter: c.filter, Compile: compileCapture,
	})
	if err != nil {
		fmt.Fprintf(stderr, "wirelark %s: %v\n", cmd, err)
		if c := captureCaret(err); c != "" {
			fmt.Fprintln(stderr, c)
		}
		return nil, exitUsage
	}
	cp := &capture{src: src, limit: count}
	if c.write != "" {
		var ifs []live.WriterInterface
		for i, l := range src.LinkTypes() {
			ifs = append(ifs, live.WriterInterface{Name: src.Interfaces()[i].Name, Link: l})
		}
		if cp.w, err = live.NewWriter(c.write, ifs, c.snaplen); err != nil {
			src.Close()
			fmt.Fprintf(stderr, "wirelark %s: -w: %v\n", cmd, err)
			return nil, exitUsage
		}
		if yfilter != nil {
			cp.wflt, cp.dec = yfilter, packet.NewDecoder()
		}
	}
	if c.duration > 0 {
		cp.timer = time.AfterFunc(c.duration, src.Stop)
	}
	// As tshark says it: the capture is on from here.
	fmt.Fprintf(stderr, "wirelark %s: capturing on %s\n", cmd, strings.Join(c.ifaces, ", "))
	return cp, exitOK
}

// Next reads the next packet and copies it to the -w file. The count
// reached, it stops the capture.
func (c *capture) Next(f *source.Frame) error {
	if c.limit > 0 && c.n >= c.limit {
		c.src.Stop()
		return io.EOF
	}
	if err := c.src.Next(f); err != nil {
		return err
	}
	c.n++
	if c.w != nil && (c.wflt == nil || c.wflt.Match(c.dec.Decode(f))) {
		if err := c.w.Write(f); err != nil {
			c.src.Stop()
			return err
		}
	}
	return nil
}

// Stop ends the capture; Next returns io.EOF from then on.
func (c *capture) Stop() { c.src.Stop() }

// close closes the -w file and the sockets, and prints the capture's
// counters, as tcpdump does at the end.
func (c *capture) close(cmd string, stderr io.Writer) error {
	if c.timer != nil {
		c.timer.Stop()
	}
	var err error
	if c.w != nil {
		if err = c.w.Close(); err != nil {
			err = fmt.Errorf("-w: %w", err)
		}
	}
	st := c.src.Stats()
	c.src.Close()
	fmt.Fprintf(stderr, "wirelark %s: %d packets captured\n", cmd, c.n)
	live.PrintStats(stderr, "wirelark "+cmd+": ", st)
	return err
}

// captureCaret points at the column of a capture filter syntax error.
func captureCaret(err error) string { return capfilter.Caret(err) }

// compileCapture compiles -f for an interface's link type.
var compileCapture live.CompileFunc = capfilter.CompileLiveRaw

// stopOnSignal calls stop at SIGINT or SIGTERM, which ends a capture the
// way the end of a file does; a second signal exits at once. The
// returned function undoes it.
func stopOnSignal(stop func()) func() {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		n := 0
		for range ch {
			if n++; n > 1 {
				os.Exit(exitInterrupted)
			}
			stop()
		}
	}()
	return func() {
		signal.Stop(ch)
		close(ch)
	}
}
