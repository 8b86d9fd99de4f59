package smb

// OrderedLen is how many entries the state's pending-request order holds,
// for the external tests' bound checks.
func (s *State) OrderedLen() int { return len(s.order) - s.head }

// OrderCap is the length of the pending-request order slice, compacted
// entries included.
func (s *State) OrderCap() int { return len(s.order) }
