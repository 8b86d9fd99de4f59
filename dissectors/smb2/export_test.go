package smb2

// Internals the external tests read.

// DirLayouts lists the directory information classes the decoder knows.
func DirLayouts() []uint8 {
	var cs []uint8
	for c := range dirLayout {
		cs = append(cs, c)
	}
	return cs
}

// HasUser reports whether the shared sessions know a user for id.
func (s *Sessions) HasUser(id uint64) bool {
	_, ok := s.users.get(id)
	return ok
}

// ProtoSMB2Magic is the protocol id an SMB2 header starts with.
var ProtoSMB2Magic = protoSMB2
