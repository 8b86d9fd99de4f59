//go:build !linux

package live

import (
	"errors"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// errUnsupported: capture is only implemented with Linux's AF_PACKET.
var errUnsupported = errors.New("live capture is supported on Linux only")

// Source captures on one or more interfaces (Linux only).
type Source struct{}

// Open fails on this platform.
func Open(names []string, opt Options) (*Source, error) { return nil, errUnsupported }

// Interfaces are those captured on.
func (s *Source) Interfaces() []Interface { return nil }

// LinkTypes are the link types of the interfaces' frames.
func (s *Source) LinkTypes() []layers.LinkType { return nil }

// Next fails on this platform.
func (s *Source) Next(f *source.Frame) error { return errUnsupported }

// Stop does nothing on this platform.
func (s *Source) Stop() {}

// Stats are empty on this platform.
func (s *Source) Stats() []Stats { return nil }

// Close does nothing on this platform.
func (s *Source) Close() error { return nil }
