package live

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

func TestWriterRoundTrip(t *testing.T) {
	eth, sll := layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL
	frames := []source.Frame{
		{Time: 1_700_000_000_123456789, Len: 60, Data: bytes.Repeat([]byte{1}, 60), LinkType: eth, Iface: 0},
		{Time: 1_700_000_000_223456789, Len: 1500, Data: bytes.Repeat([]byte{2}, 96), LinkType: sll, Iface: 1},
		{Time: 1_700_000_001_000000001, Len: 42, Data: bytes.Repeat([]byte{3}, 42), LinkType: eth, Iface: 0},
	}
	tests := []struct {
		name   string
		ifaces []WriterInterface
		frames []source.Frame
		format string
		err    string
	}{
		{"x.pcap", []WriterInterface{{"a", eth}}, []source.Frame{frames[0], frames[2]}, "pcap", ""},
		{"x.pcapng", []WriterInterface{{"a", eth}, {"any", sll}}, frames, "pcapng", ""},
		{"x.pcap", []WriterInterface{{"a", eth}, {"any", sll}}, nil, "", "different link types"},
		{"x.cap", []WriterInterface{{"a", eth}}, frames[:2], "", "write .pcapng"},
	}
	for _, tc := range tests {
		t.Run(tc.name+tc.err, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			w, err := NewWriter(path, tc.ifaces, 262144)
			if err == nil {
				for i := range tc.frames {
					if err = w.Write(&tc.frames[i]); err != nil {
						break
					}
				}
				if cerr := w.Close(); err == nil {
					err = cerr
				}
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := source.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Format() != tc.format {
				t.Errorf("format %s, want %s", r.Format(), tc.format)
			}
			var f source.Frame
			for i, want := range tc.frames {
				if err := r.Next(&f); err != nil {
					t.Fatalf("frame %d: %v", i+1, err)
				}
				if f.Time != want.Time || f.Len != want.Len || !bytes.Equal(f.Data, want.Data) || f.LinkType != want.LinkType {
					t.Errorf("frame %d: time %d len %d caplen %d %v, want %d %d %d %v", i+1, f.Time, f.Len, len(f.Data), f.LinkType, want.Time, want.Len, len(want.Data), want.LinkType)
				}
			}
			if err := r.Next(&f); err != io.EOF {
				t.Errorf("after the frames: %v", err)
			}
		})
	}
}
