// Package source reads packet captures into frames: classic pcap (either
// byte order, microsecond or nanosecond timestamps), pcapng (several
// sections, interfaces and link types, either byte order), either of them
// gzip-compressed, standard input, and several files merged in time order.
//
// The readers are the project's own rather than gopacket's pcapgo: they
// hand out frames without copying or allocating (the bytes stay in the read
// buffer until the next frame), keep nanosecond timestamps as integers, give
// every frame its own link type, and know the byte offset of every record, so
// a damaged file is reported as "file: byte N: what is wrong" after every
// good frame before the damage has been delivered. Tests check them against
// pcapgo on every capture of the shared corpus.
package source

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/gopacket/gopacket/layers"
)

// Frame is one captured packet as read from a file.
type Frame struct {
	Time     int64           // nanoseconds since the Unix epoch
	Len      int             // length on the wire
	Data     []byte          // captured bytes; valid until the next call to Next
	LinkType layers.LinkType // link-layer header type of Data
	Iface    int             // pcapng interface index (0 for pcap)
	Offset   int64           // byte offset of the record in the (decompressed) file
	File     int             // index of the file among those merged
	// Nano is set when the file stores timestamps finer than microseconds;
	// displays then show nine decimals, as Wireshark does.
	Nano bool
	// NoTime is set for records that carry no timestamp (pcapng simple
	// packet blocks); Time is then 0.
	NoTime bool
}

// CapLen is the number of bytes captured.
func (f *Frame) CapLen() int { return len(f.Data) }

// Reader yields frames in file order.
type Reader interface {
	// Next fills f with the next frame. It returns io.EOF after the last
	// frame, or a *FormatError when the file is damaged.
	Next(f *Frame) error
	// Format names the file format ("pcap", "pcapng", with "+gzip").
	Format() string
	Close() error
}

// FormatError reports damage in a capture file.
type FormatError struct {
	File   string
	Offset int64 // byte offset in the (decompressed) file
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: byte %d: %s", e.File, e.Offset, e.Msg)
}

// MaxFrameLen is the largest record accepted; Wireshark uses the same bound
// (WTAP_MAX_PACKET_SIZE_STANDARD), larger lengths mean a damaged file.
const MaxFrameLen = 262144

// maxBlockLen bounds pcapng blocks (Wireshark's MAX_BLOCK_SIZE is 16 MiB).
const maxBlockLen = 16 << 20

const bufSize = 1 << 20

// Stdin is what the name "-" reads.
var Stdin io.Reader = os.Stdin

// Open opens a capture file by name; "-" is standard input. The format is
// told by content, never by the name.
func Open(name string) (Reader, error) {
	var rc io.ReadCloser
	if name == "-" {
		rc = io.NopCloser(Stdin)
		name = "<stdin>"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		rc = f
	}
	r, err := NewReader(name, rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads a capture from rc, which it closes on Close. name is used
// in error messages.
func NewReader(name string, rc io.ReadCloser) (Reader, error) {
	br := bufio.NewReaderSize(rc, bufSize)
	magic, err := br.Peek(4)
	if err != nil {
		if err != io.EOF {
			// Not damage but a failure to read (a directory, an I/O error).
			if _, named := err.(*fs.PathError); named {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(magic) == 0 {
			return nil, &FormatError{name, 0, "empty file, not a capture"}
		}
		return nil, &FormatError{name, 0, "too short to be a capture file"}
	}
	suffix := ""
	var closers []io.Closer
	if magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &FormatError{name, 0, "bad gzip header: " + err.Error()}
		}
		closers = append(closers, gz)
		br = bufio.NewReaderSize(gz, bufSize)
		suffix = "+gzip"
		magic, err = br.Peek(4)
		if err != nil {
			if err != io.EOF {
				return nil, &FormatError{name, 0, "bad gzip data: " + err.Error()}
			}
			return nil, &FormatError{name, 0, "compressed data too short to be a capture file"}
		}
	}
	closers = append(closers, rc)
	b := &base{name: name, br: br, closers: closers}
	switch {
	case isPcapMagic(magic):
		return newPcap(b, suffix)
	case magic[0] == 0x0a && magic[1] == 0x0d && magic[2] == 0x0d && magic[3] == 0x0a:
		return newPcapng(b, suffix)
	}
	return nil, &FormatError{name, 0, fmt.Sprintf("not a pcap or pcapng file (starts with %02x %02x %02x %02x)", magic[0], magic[1], magic[2], magic[3])}
}

// base holds what both file readers share: the buffered input, the offset
// of the next unread byte, and the files to close.
type base struct {
	name    string
	br      *bufio.Reader
	off     int64
	pending int // bytes of the last frame still to discard
	closers []io.Closer
	scratch []byte
}

func (b *base) errf(off int64, format string, args ...any) error {
	return &FormatError{b.name, off, fmt.Sprintf(format, args...)}
}

// release discards the bytes of the frame handed out last.
func (b *base) release() {
	if b.pending > 0 {
		b.br.Discard(b.pending)
		b.off += int64(b.pending)
		b.pending = 0
	}
}

// peek returns the next n bytes without consuming them; n larger than the
// buffer is read into scratch and consumed. It reports io.EOF only when no
// byte at all is left, io.ErrUnexpectedEOF for a partial read.
func (b *base) peek(n int) ([]byte, bool, error) {
	if n <= bufSize {
		p, err := b.br.Peek(n)
		if err != nil {
			if len(p) == 0 && (err == io.EOF) {
				return nil, false, io.EOF
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return p, false, err
		}
		return p, false, nil
	}
	if cap(b.scratch) < n {
		b.scratch = make([]byte, n)
	}
	p := b.scratch[:n]
	m, err := io.ReadFull(b.br, p)
	b.off += int64(m)
	if err != nil {
		if err == io.EOF {
			return nil, true, io.EOF
		}
		return p[:m], true, io.ErrUnexpectedEOF
	}
	return p, true, nil
}

func (b *base) Close() error {
	var first error
	for _, c := range b.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// readErr turns an I/O error met at off into the error to report.
func (b *base) readErr(off int64, err error, what string) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return b.errf(off, "file ends in the middle of %s", what)
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		return err
	}
	// Errors of the underlying reader, e.g. a corrupt gzip stream.
	return b.errf(off, "%s: %v", what, err)
}
