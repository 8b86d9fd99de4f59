package live

import (
	"encoding/binary"
	"testing"
)

// cmsg builds one control message as the kernel lays it out.
func cmsg(level, typ int32, data []byte) []byte {
	l := cmsgHdrLen + len(data)
	b := make([]byte, (l+wordSize-1)&^(wordSize-1))
	if wordSize == 8 {
		binary.NativeEndian.PutUint64(b, uint64(l))
	} else {
		binary.NativeEndian.PutUint32(b, uint32(l))
	}
	binary.NativeEndian.PutUint32(b[wordSize:], uint32(level))
	binary.NativeEndian.PutUint32(b[wordSize+4:], uint32(typ))
	copy(b[cmsgHdrLen:], data)
	return b
}

func timespec(sec, nsec int64) []byte {
	b := make([]byte, 16)
	binary.NativeEndian.PutUint64(b, uint64(sec))
	binary.NativeEndian.PutUint64(b[8:], uint64(nsec))
	return b
}

func auxdata(status uint32, tci, tpid uint16) []byte {
	b := make([]byte, 20)
	binary.NativeEndian.PutUint32(b, status)
	binary.NativeEndian.PutUint32(b[4:], 60)
	binary.NativeEndian.PutUint32(b[8:], 60)
	binary.NativeEndian.PutUint16(b[16:], tci)
	binary.NativeEndian.PutUint16(b[18:], tpid)
	return b
}

func TestParseControl(t *testing.T) {
	ts := cmsg(solSocket, scmTimestampNS, timespec(1_700_000_000, 123456789))
	tests := []struct {
		name string
		oob  []byte
		want control
	}{
		{"timestamp", ts, control{time: 1_700_000_000_123456789}},
		{"timestamp and no vlan", append(ts, cmsg(solPacket, packetAuxdata, auxdata(1, 0, 0))...), control{time: 1_700_000_000_123456789}},
		{"vlan 802.1Q", append(cmsg(solPacket, packetAuxdata, auxdata(tpStatusVLAN, 42, 0)), ts...), control{time: 1_700_000_000_123456789, vlan: true, tci: 42, tpid: 0x8100}},
		{"vlan with tpid", cmsg(solPacket, packetAuxdata, auxdata(tpStatusVLAN|tpStatusTPID, 7, 0x88a8)), control{vlan: true, tci: 7, tpid: 0x88a8}},
		{"short timestamp", cmsg(solSocket, scmTimestampNS, make([]byte, 8)), control{}},
		{"other message", cmsg(solSocket, 29, timespec(1, 1)), control{}},
		{"length past the end", ts[:len(ts)-1], control{}},
		{"empty", nil, control{}},
	}
	for _, tc := range tests {
		if got := parseControl(tc.oob); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func FuzzParseControl(f *testing.F) {
	ts := cmsg(solSocket, scmTimestampNS, timespec(1_700_000_000, 5))
	f.Add(ts)
	f.Add(append(ts, cmsg(solPacket, packetAuxdata, auxdata(tpStatusVLAN|tpStatusTPID, 7, 0x88a8))...))
	f.Add(cmsg(solPacket, packetAuxdata, auxdata(tpStatusVLAN, 1, 0))[:20])
	f.Fuzz(func(t *testing.T, oob []byte) {
		c := parseControl(oob)
		if !c.vlan && (c.tci != 0 || c.tpid != 0) {
			t.Fatalf("tag without vlan: %+v", c)
		}
	})
}
