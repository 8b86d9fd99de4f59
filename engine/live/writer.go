package live

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/wirelark/wirelark/engine/source"
)

// Writer writes frames to a capture file: pcapng when the name ends in
// .pcapng (one interface block per interface, so frames of several link
// types fit), classic pcap with nanosecond timestamps otherwise. The file
// is complete after each Flush and after Close.
type Writer struct {
	f     *os.File
	bw    *bufio.Writer
	pcap  *pcapgo.Writer
	ng    *pcapgo.NgWriter
	links []layers.LinkType
	ids   map[int]int // frame Iface to pcapng interface id
	n     int64
}

// WriterInterface names an interface of the frames to be written and its
// link type.
type WriterInterface struct {
	Name string
	Link layers.LinkType
}

// NewWriter creates path for frames whose Iface indexes ifaces.
func NewWriter(path string, ifaces []WriterInterface, snaplen int) (*Writer, error) {
	if len(ifaces) == 0 {
		return nil, fmt.Errorf("%s: no interface to write", path)
	}
	if snaplen <= 0 {
		snaplen = DefaultSnaplen
	}
	ng := strings.EqualFold(filepath.Ext(path), ".pcapng")
	if !ng {
		for _, it := range ifaces[1:] {
			if it.Link != ifaces[0].Link {
				return nil, fmt.Errorf("%s: the interfaces have different link types (%v, %v); a pcap file holds one: write .pcapng", path, ifaces[0].Link, it.Link)
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, bw: bufio.NewWriterSize(f, 1<<16), ids: map[int]int{}}
	for _, it := range ifaces {
		w.links = append(w.links, it.Link)
	}
	if ng {
		intf := pcapgo.NgInterface{Name: ifaces[0].Name, LinkType: ifaces[0].Link, SnapLength: uint32(snaplen), TimestampResolution: 9, OS: "Linux"}
		opts := pcapgo.DefaultNgWriterOptions
		opts.SectionInfo.Application = "wirelark"
		if w.ng, err = pcapgo.NewNgWriterInterface(w.bw, intf, opts); err != nil {
			f.Close()
			return nil, err
		}
		w.ids[0] = 0
		for i, it := range ifaces[1:] {
			id, err := w.ng.AddInterface(pcapgo.NgInterface{Name: it.Name, LinkType: it.Link, SnapLength: uint32(snaplen), TimestampResolution: 9, OS: "Linux"})
			if err != nil {
				f.Close()
				return nil, err
			}
			w.ids[i+1] = id
		}
	} else {
		w.pcap = pcapgo.NewWriterNanos(w.bw)
		if err := w.pcap.WriteFileHeader(uint32(snaplen), ifaces[0].Link); err != nil {
			f.Close()
			return nil, err
		}
	}
	return w, nil
}

// Write appends one frame.
func (w *Writer) Write(f *source.Frame) error {
	ci := gopacket.CaptureInfo{
		Timestamp:     time.Unix(0, f.Time),
		CaptureLength: len(f.Data),
		Length:        max(f.Len, len(f.Data)),
	}
	w.n++
	if w.ng != nil {
		id, ok := w.ids[f.Iface]
		if !ok {
			return fmt.Errorf("%s: frame of unknown interface %d", w.f.Name(), f.Iface)
		}
		ci.InterfaceIndex = id
		return w.ng.WritePacket(ci, f.Data)
	}
	if f.LinkType != w.links[0] {
		return fmt.Errorf("%s: a %v frame in a %v pcap file: write .pcapng", w.f.Name(), f.LinkType, w.links[0])
	}
	return w.pcap.WritePacket(ci, f.Data)
}

// Count is the number of frames written.
func (w *Writer) Count() int64 { return w.n }

// Flush writes out what is buffered.
func (w *Writer) Flush() error {
	if w.ng != nil {
		if err := w.ng.Flush(); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}

// Close flushes and closes the file.
func (w *Writer) Close() error {
	err := w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}
