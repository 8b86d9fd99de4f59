// Package capturetest holds helpers for tests that read the shared
// captures: locating a file of the shared directory (../shared beside the
// repository), reading a capture frame by frame or decoded, reassembling
// each TCP direction as the engine does, and splitting a direction's bytes
// into the records of a protocol (NetBIOS session messages, Kerberos
// record marks).
//
// It is an ordinary package so that the tests of several packages can
// import it; it depends on package testing only for testing.TB.
package capturetest
