package scripting

import (
	"net/netip"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// toStarlark gives a field value its natural Starlark type: int for
// integers, bool for flags, float for floats and for times and durations
// (seconds, as frame.time_epoch), string for text, addresses and MACs (in
// their usual notation), bytes for byte fields, True for a present field
// that carries no value of its own. Bytes are copied, so values stay
// valid after the packet is gone.
func toStarlark(f *packet.Field, v packet.Value) starlark.Value {
	switch f.Type {
	case packet.TUint, packet.TFrameNum:
		return starlark.MakeUint64(v.U)
	case packet.TInt:
		return starlark.MakeInt64(v.I)
	case packet.TBool:
		return starlark.Bool(v.U != 0)
	case packet.TFloat:
		return starlark.Float(v.F)
	case packet.TString:
		return starlark.String(v.S)
	case packet.TBytes:
		return starlark.Bytes(v.B)
	case packet.TIPv4, packet.TIPv6:
		if a, ok := netip.AddrFromSlice(v.B); ok {
			return starlark.String(a.String())
		}
		return starlark.String(f.FormatValue(v))
	case packet.TMAC:
		return starlark.String(f.FormatValue(v))
	case packet.TTime, packet.TDuration:
		return epochSeconds(v.I)
	}
	return starlark.True
}

// occurrences turns the values of one field into None (absent), the value
// (one occurrence) or a list (several), as tshark's JSON output does.
func occurrences(f *packet.Field, vs []packet.Value) starlark.Value {
	switch len(vs) {
	case 0:
		return starlark.None
	case 1:
		return toStarlark(f, vs[0])
	}
	return allOf(f, vs)
}

// allOf always gives a list.
func allOf(f *packet.Field, vs []packet.Value) *starlark.List {
	out := make([]starlark.Value, len(vs))
	for i, v := range vs {
		out[i] = toStarlark(f, v)
	}
	return starlark.NewList(out)
}
