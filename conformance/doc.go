// Package conformance holds the differential tests of wirelark's decoders
// against Wireshark. It has no code of its own, only tests:
//
//   - TestTshark decodes every capture of the shared corpus
//     (../shared/corpus) and compares, packet by packet, the first value of
//     each field in corpus/tshark/FIELDS with tshark's cached reference
//     tables (made with -E occurrence=f), and the frame counts. For the
//     reference captures (../shared/captures) it runs tshark itself, with
//     tcp.seq, tcp.ack, tcp.nxtseq and udp.stream besides; -corpus-tshark
//     adds those fields for the corpus too (slow: one tshark run per file).
//     Every difference must be explained by a line of testdata/allow.tsv,
//     or the test fails naming the file, frame, field and both values.
//   - TestTracker compares the capture-wide analysis (stream indexes,
//     relative sequence numbers) itself with the same tables;
//     TestTrackerNoDefrag does so, allowing nothing, on the captures with IP
//     fragments against tshark with defragmentation off, and
//     TestTrackerGenerated on a capture built for the rules the corpus
//     lacks (ports reused, handshakes out of order, ICMP-quoted headers).
//   - TestSweep reads every file of both directories end to end through the
//     capture readers, the decoder, every registered field and the protocol
//     path, and counts malformed packets and damaged files.
//
// The corpus is located relative to the repository root (../shared); when
// it is missing the tests skip, saying where they looked. Without tshark
// only the cached tables are compared. Each test prints a one-line summary
// of the agreement; run with -v for the tables by field.
package conformance
