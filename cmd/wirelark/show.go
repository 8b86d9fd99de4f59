package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/filter"
	"github.com/wirelark/wirelark/show"
)

func cmdShow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	var fields, eopts multi
	fs.Var(&fields, "e", "print this field (repeatable), as tshark -T fields -e")
	fs.Var(&eopts, "E", "field output option: header=y, separator=/t|/s|C, aggregator=C, occurrence=f|l|a, quote=d|s|n")
	detail := fs.Bool("V", false, "print the detail tree of each packet")
	header := fs.Bool("header", false, "print a header line of field names (same as -E header=y)")
	count := fs.Int("c", 0, "stop after this many packets shown (0: all)")
	yfilter := fs.String("Y", "", "display filter: show only the packets it matches (Wireshark syntax)")
	var cf captureFlags
	cf.register(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark show: %v\n", err)
		return exitUsage
	}
	if len(files) == 0 && !cf.live() {
		fmt.Fprintln(stderr, "wirelark show: no capture file given (use - for standard input, or -i IFACE to capture)")
		return exitUsage
	}
	if err := cf.check(); err != nil || cf.live() && len(files) > 0 {
		if err == nil {
			err = errors.New("give capture files or -i, not both")
		}
		fmt.Fprintf(stderr, "wirelark show: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriterSize(stdout, 1<<16)
	defer out.Flush()

	var fw *show.FieldWriter
	if len(fields) > 0 {
		fw, err = show.NewFieldWriter(out, fields)
		if err != nil {
			fmt.Fprintf(stderr, "wirelark show: -e: %v\n", err)
			return exitUsage
		}
		for _, o := range eopts {
			h, err := fw.ParseOption(o)
			if err != nil {
				fmt.Fprintf(stderr, "wirelark show: %v\n", err)
				return exitUsage
			}
			*header = *header || h
		}
		if *header {
			fw.Header()
		}
	}

	var flt *filter.Filter
	if *yfilter != "" {
		if flt, err = filter.Compile(*yfilter); err != nil {
			fmt.Fprintf(stderr, "wirelark show: -Y: %v\n", err)
			if c := filter.Caret(err); c != "" {
				fmt.Fprintln(stderr, c)
			}
			return exitUsage
		}
	}

	var src interface{ Next(*source.Frame) error }
	if cf.live() {
		cp, code := openCapture("show", &cf, 0, flt, stderr)
		if cp == nil {
			return code
		}
		defer stopOnSignal(cp.Stop)()
		defer func() {
			out.Flush()
			if err := cp.close("show", stderr); err != nil {
				fmt.Fprintf(stderr, "wirelark show: %v\n", err)
			}
		}()
		src = cp
	} else {
		m, err := source.OpenAll(files)
		if err != nil {
			fmt.Fprintf(stderr, "wirelark show: %v\n", err)
			return exitUsage
		}
		defer m.Close()
		src = m
	}

	dec := packet.NewDecoder()
	// Stream analysis costs a flow lookup per packet: skip it when nothing
	// shown needs it (the list and tree show TCP sequence numbers).
	if fw != nil {
		dec.Track = fw.NeedsTracking() || flt != nil && anyTracked(flt)
	}
	var f source.Frame
	n := 0
	for *count == 0 || n < *count {
		err := src.Next(&f)
		if err == io.EOF {
			break
		}
		if live.IsIdle(err) {
			out.Flush()
			continue
		}
		if err != nil {
			out.Flush()
			var fe *source.FormatError
			if errors.As(err, &fe) {
				fmt.Fprintf(stderr, "wirelark show: %v (%d packets shown before the damage)\n", err, n)
			} else {
				fmt.Fprintf(stderr, "wirelark show: %v\n", err)
			}
			return exitUsage
		}
		p := dec.Decode(&f)
		if flt != nil && !flt.Match(p) {
			continue
		}
		n++
		switch {
		case fw != nil:
			err = fw.Write(p)
		case *detail:
			show.Tree(out, p)
			err = out.WriteByte('\n')
		default:
			_, err = out.WriteString(show.List(p).String() + "\n")
		}
		if err == nil && cf.live() {
			// Live packets are shown as they come.
			err = out.Flush()
		}
		if err != nil {
			// Output closed (e.g. piped into head): stop quietly.
			return exitOK
		}
	}
	return exitOK
}

func cmdFields(args []string, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	var want *packet.Proto
	if len(args) > 0 {
		want = packet.Fields.Proto(args[0])
		if want == nil {
			msg := fmt.Sprintf("wirelark fields: unknown protocol %q", args[0])
			if near := packet.Fields.Nearest(args[0]); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			fmt.Fprintln(stderr, msg)
			return exitUsage
		}
	}
	for _, pr := range packet.Fields.Protos() {
		if want != nil && pr != want {
			continue
		}
		fmt.Fprintf(out, "%s\tprotocol\t%s\n", pr.Name, pr.Title)
		for _, f := range pr.Fields {
			desc := f.Label
			if f.Desc != "" {
				desc += ": " + f.Desc
			}
			fmt.Fprintf(out, "%s\t%s\t%s\n", f.Name, f.TypeName(), desc)
		}
	}
	return exitOK
}

func anyTracked(flt *filter.Filter) bool {
	for _, f := range flt.Fields() {
		if f.NeedsTrack() {
			return true
		}
	}
	for _, pr := range flt.Protos() {
		if pr.Desegmented {
			return true
		}
	}
	return false
}
