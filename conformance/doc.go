// Package conformance holds the differential tests of wirelark's decoders
// against Wireshark. It has no code of its own, only tests:
//
//   - TestTshark decodes every capture of the shared corpus
//     (../shared/corpus) and compares, packet by packet, the first value of
//     each field in corpus/tshark/FIELDS with tshark's cached reference
//     tables; for the reference captures (../shared/captures) it runs
//     tshark itself, with a few extra fields (relative sequence numbers,
//     udp.stream). Every difference must be explained by a line of
//     testdata/allow.tsv or the test fails.
//   - TestSweep reads every file of both directories end to end through the
//     capture readers, the decoder and every registered field, and counts
//     malformed packets and damaged files.
//
// The corpus is located relative to the repository root (../shared); when
// it is missing the tests skip, saying where they looked.
package conformance
