package filter

import "github.com/wirelark/wirelark/engine/packet"

// suggest returns the registered field or protocol name nearest to name,
// or "" if none is close.
func suggest(name string) string { return packet.Fields.Nearest(name) }
