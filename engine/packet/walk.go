package packet

import "encoding/binary"

// fieldWalk is what the DNS and DHCP walkers share: a walk over one
// message's bytes, in Wireshark's tree order, that collects the values of
// one wanted field and stops where Wireshark's dissector would throw.
type fieldWalk struct {
	m    []byte  // the message
	want *Field  // the field whose values are collected
	dst  []Value // its values so far
	stop bool    // the walk hit missing bytes: Wireshark's exception
}

func (w *fieldWalk) wants(f *Field) bool { return w.want == f }

func (w *fieldWalk) add(f *Field, v Value) {
	if w.want == f {
		w.dst = append(w.dst, v)
	}
}

func (w *fieldWalk) addU(f *Field, u uint64) { w.add(f, Value{U: u}) }

func (w *fieldWalk) addBool(f *Field, b bool) { w.add(f, Bool(b)) }

// has reports whether n bytes at off are in the message; when not, the
// walk stops, as Wireshark's dissector throws there.
func (w *fieldWalk) has(off, n int) bool {
	if off < 0 || n < 0 || off+n > len(w.m) {
		w.stop = true
		return false
	}
	return true
}

func (w *fieldWalk) u8(off int) (uint64, bool) {
	if !w.has(off, 1) {
		return 0, false
	}
	return uint64(w.m[off]), true
}

func (w *fieldWalk) u16(off int) (uint64, bool) {
	if !w.has(off, 2) {
		return 0, false
	}
	return uint64(binary.BigEndian.Uint16(w.m[off:])), true
}

func (w *fieldWalk) u32(off int) (uint64, bool) {
	if !w.has(off, 4) {
		return 0, false
	}
	return uint64(binary.BigEndian.Uint32(w.m[off:])), true
}

// itemU adds the unsigned field of n bytes at off (masked as f says) and
// returns its value.
func (w *fieldWalk) itemU(f *Field, off, n int) (uint64, bool) {
	if !w.has(off, n) {
		return 0, false
	}
	v := beUint(w.m[off : off+n])
	if f.Mask != 0 {
		v = (v & f.Mask) >> trailingZeros(f.Mask)
	}
	w.addU(f, v)
	return v, true
}

func (w *fieldWalk) itemBool(f *Field, off, n int) bool {
	if !w.has(off, n) {
		return false
	}
	w.addBool(f, beUint(w.m[off:off+n])&f.Mask != 0)
	return true
}

func (w *fieldWalk) itemBytes(f *Field, off, n int) bool {
	if !w.has(off, n) {
		return false
	}
	w.add(f, Bytes(w.m[off:off+n:off+n]))
	return true
}

// itemStr adds n bytes at off as an ASCII string (UTF-8 where Wireshark
// reads it so).
func (w *fieldWalk) itemStr(f *Field, off, n int, utf bool) bool {
	if !w.has(off, n) {
		return false
	}
	if w.wants(f) {
		w.add(f, Str(wsString(w.m[off:off+n], utf)))
	}
	return true
}
