package packet

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// linkTypes are the link types the fuzzer picks from with its first byte.
var fuzzLinkTypes = []layers.LinkType{
	layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, 276, layers.LinkTypeNull,
	layers.LinkTypeRaw, layers.LinkTypePPP, layers.LinkTypeIEEE80211Radio,
}

// seedFrames adds the first frames of the shared captures as seeds.
func seedFrames(f *testing.F, max int) {
	dirs := []string{"../../../shared/corpus", "../../../shared/captures"}
	n := 0
	for _, d := range dirs {
		filepath.Walk(d, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || n >= max || filepath.Ext(path) == ".tsv" || filepath.Ext(path) == ".md" {
				return nil
			}
			r, err := source.Open(path)
			if err != nil {
				return nil
			}
			defer r.Close()
			var fr source.Frame
			for i := 0; i < 3 && n < max; i++ {
				if err := r.Next(&fr); err == io.EOF || err != nil {
					break
				}
				lt := byte(0)
				for j, t := range fuzzLinkTypes {
					if t == fr.LinkType {
						lt = byte(j)
					}
				}
				f.Add(lt, append([]byte(nil), fr.Data...))
				n++
			}
			return nil
		})
	}
}

// FuzzDecode decodes arbitrary bytes under each link type and reads every
// registered field, the protocol path and every layer's Info and tree
// title: none may panic or hang.
func FuzzDecode(f *testing.F) {
	f.Add(byte(0), []byte{})
	f.Add(byte(4), []byte{0x45, 0, 0, 20, 0, 0, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2})
	seedFrames(f, 400)
	d := NewDecoder()
	f.Fuzz(func(t *testing.T, lt byte, data []byte) {
		fr := source.Frame{Data: data, Len: len(data), LinkType: fuzzLinkTypes[int(lt)%len(fuzzLinkTypes)]}
		p := d.Decode(&fr)
		exercise(p)
	})
}

// exercise touches everything a display of p would.
func exercise(p *Packet) {
	p.Complete()
	var vals []Value
	var out []byte
	for _, fld := range Fields.All() {
		vals = fld.Values(p, vals[:0])
		for _, v := range vals {
			out = fld.AppendValue(out[:0], v)
		}
	}
	_ = p.ProtocolPath()
	for i := range p.Layers {
		l := &p.Layers[i]
		if pr := Fields.ProtoByID(l.Proto); pr != nil {
			if pr.Info != nil {
				_ = pr.Info(p, l)
			}
			if pr.Node != nil {
				_ = pr.Node(p, l)
			}
		}
	}
	_ = p.Clone()
}

func TestDecodeEveryCapture(t *testing.T) {
	// Every frame of the shared captures, decoded and fully read, as the
	// fuzzer does; conformance tests check the values themselves.
	n := 0
	for _, d := range []string{"../../../shared/corpus", "../../../shared/captures"} {
		filepath.Walk(d, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || filepath.Ext(path) == ".tsv" || filepath.Ext(path) == ".md" {
				return nil
			}
			r, err := source.Open(path)
			if err != nil {
				return nil
			}
			defer r.Close()
			dec := NewDecoder()
			var fr source.Frame
			for r.Next(&fr) == nil {
				exercise(dec.Decode(&fr))
				n++
			}
			return nil
		})
	}
	if n == 0 {
		t.Skip("shared captures not found beside the repository")
	}
	t.Logf("decoded %d frames", n)
}

// TestDecodeIntoMatchesDecode checks that packets decoded into buffers of
// their own carry the same fields as the decoder's reused packet, and
// stay intact after later frames are read.
func TestDecodeIntoMatchesDecode(t *testing.T) {
	path := "../../../shared/captures/mixed_office.pcap"
	frames := func(fn func(f *source.Frame)) {
		r, err := source.Open(path)
		if err != nil {
			t.Skip("shared captures not found beside the repository")
		}
		defer r.Close()
		var f source.Frame
		for r.Next(&f) == nil {
			fn(&f)
		}
	}
	var want [][]byte
	d := NewDecoder()
	frames(func(f *source.Frame) { want = append(want, render(d.Decode(f))) })
	d2 := NewDecoder()
	var kept []*Packet
	frames(func(f *source.Frame) {
		p := &Packet{}
		d2.DecodeInto(f, p)
		kept = append(kept, p)
	})
	if len(kept) != len(want) {
		t.Fatalf("%d packets, want %d", len(kept), len(want))
	}
	for i, p := range kept {
		if got := render(p); string(got) != string(want[i]) {
			t.Fatalf("packet %d differs:\n got %s\nwant %s", i+1, got, want[i])
		}
	}
}

// render prints every field value of p.
func render(p *Packet) []byte {
	p.Complete()
	var out []byte
	var vals []Value
	for _, f := range Fields.All() {
		vals = f.Values(p, vals[:0])
		for _, v := range vals {
			out = append(out, f.Name...)
			out = append(out, '=')
			out = f.AppendValue(out, v)
			out = append(out, ' ')
		}
	}
	return out
}
