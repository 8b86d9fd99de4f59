package smb2

// OplockBreak is an OPLOCK_BREAK message (MS-SMB2 2.2.23-2.2.25): an
// oplock or lease break notification from the server (message id all
// ones), the client's acknowledgment, or the server's response to it.
type OplockBreak struct {
	// Lease is set for the lease forms, which carry a lease key instead
	// of a file id.
	Lease bool
	// Notification is set for the server's unsolicited break (message id
	// 0xFFFFFFFFFFFFFFFF), unset for an acknowledgment or its response.
	Notification bool

	OplockLevel uint8
	FileID      FileID

	LeaseKey          GUID
	LeaseFlags        uint32
	NewEpoch          uint16
	CurrentLeaseState uint32 // notification
	NewLeaseState     uint32 // notification; the acknowledged state otherwise
	BreakReason       uint32
	AccessMaskHint    uint32
	ShareMaskHint     uint32
	LeaseDuration     uint64
}

// Kind names the form as Wireshark does.
func (o *OplockBreak) Kind() string {
	switch {
	case o.Lease && o.Notification:
		return "Lease Break Notification"
	case o.Lease:
		return "Lease Break Acknowledgment"
	case o.Notification:
		return "Oplock Break Notification"
	}
	return "Oplock Break Acknowledgment"
}

func decOplockBreak(msg, body []byte, m *Message) (any, error) {
	o := &OplockBreak{Notification: m.MessageID == ^uint64(0)}
	switch m.StructureSize {
	case 24:
		if err := fixed(body, 24); err != nil {
			return nil, err
		}
		o.OplockLevel = body[2]
		o.FileID = fileID(body, 8)
	case 44:
		if err := fixed(body, 44); err != nil {
			return nil, err
		}
		o.Lease = true
		o.NewEpoch = u16(body, 2)
		o.LeaseFlags = u32(body, 4)
		copy(o.LeaseKey[:], body[8:24])
		o.CurrentLeaseState = u32(body, 24)
		o.NewLeaseState = u32(body, 28)
		o.BreakReason = u32(body, 32)
		o.AccessMaskHint = u32(body, 36)
		o.ShareMaskHint = u32(body, 40)
	case 36:
		if err := fixed(body, 36); err != nil {
			return nil, err
		}
		o.Lease = true
		o.LeaseFlags = u32(body, 4)
		copy(o.LeaseKey[:], body[8:24])
		o.NewLeaseState = u32(body, 24)
		o.LeaseDuration = u64(body, 28)
	default:
		return nil, errStructureSize
	}
	return o, nil
}
