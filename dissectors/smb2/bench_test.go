package smb2_test

import . "github.com/wirelark/wirelark/dissectors/smb2"

import "testing"

// BenchmarkParse decodes the PDUs of smb2_session.pcap.
func BenchmarkParse(b *testing.B) {
	pdus := seedPDUs(b)
	var n int64
	for _, p := range pdus {
		n += int64(len(p))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pdus {
			Parse(p)
		}
	}
}

// BenchmarkTrack decodes and tracks them through a State.
func BenchmarkTrack(b *testing.B) {
	pdus := seedPDUs(b)
	b.ReportAllocs()
	for b.Loop() {
		st := NewState(Limits{}, nil)
		for _, p := range pdus {
			ms, _ := Parse(p)
			for i := range ms {
				st.Track(&ms[i])
			}
		}
	}
}
