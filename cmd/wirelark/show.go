package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"

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
	files, err := parseInterspersed(fs, args)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark show: %v\n", err)
		return exitUsage
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "wirelark show: no capture file given (use - for standard input)")
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

	src, err := source.OpenAll(files)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark show: %v\n", err)
		return exitUsage
	}
	defer src.Close()

	dec := packet.NewDecoder()
	// Stream analysis costs a flow lookup per packet: skip it when nothing
	// shown needs it (the list and tree show TCP sequence numbers).
	if fw != nil {
		dec.Track = fw.NeedsTracking() || flt != nil && anyTracked(flt.Fields())
	}
	var f source.Frame
	n := 0
	for *count == 0 || n < *count {
		err := src.Next(&f)
		if err == io.EOF {
			break
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

func anyTracked(fs []*packet.Field) bool {
	for _, f := range fs {
		if f.Tracked {
			return true
		}
	}
	return false
}
