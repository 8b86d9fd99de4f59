package scripting

import (
	"github.com/wirelark/wirelark/engine/packet"
)

// Protocol message handlers: on_arp, on_icmp, on_igmp, on_dns, on_dhcp,
// on_kerberos, on_smb.
//
// Each packet that passes FILTER and -Y goes to on_packet first, then
// each message it carries goes to its handler, in the packet's layer
// order (a TCP segment may carry several DNS messages). Messages inside
// the datagram an ICMP error quotes are not delivered: they were sent
// before, and the error's msg.inner describes them. With no message
// handler defined, none of this costs anything.

// msgRoute says which kind of message a layer is and where it goes.
type msgRoute struct {
	kind    *msgKind
	handler int
}

var msgRoutes = func() (t [256]msgRoute) {
	for _, r := range []struct {
		kind    *msgKind
		handler int
		protos  []packet.ProtoID
	}{
		{arpKind, hARP, []packet.ProtoID{packet.ProtoARP}},
		{icmpKind, hICMP, []packet.ProtoID{packet.ProtoICMP, packet.ProtoICMPv6}},
		{igmpKind, hIGMP, []packet.ProtoID{packet.ProtoIGMP}},
		{dnsKind, hDNS, []packet.ProtoID{packet.ProtoDNS, packet.ProtoMDNS, packet.ProtoLLMNR}},
		{dhcpKind, hDHCP, []packet.ProtoID{packet.ProtoDHCP, packet.ProtoDHCPv6}},
		{kerberosKind, hKerberos, []packet.ProtoID{packet.ProtoKerberos}},
		{smbKind, hSMB, []packet.ProtoID{packet.ProtoSMB, packet.ProtoSMB2}},
	} {
		for _, id := range r.protos {
			t[id] = msgRoute{r.kind, r.handler}
		}
	}
	return
}()

// msgKinds lists every kind of message, for documentation and tests.
var msgKinds = []*msgKind{arpKind, icmpKind, igmpKind, dnsKind, dhcpKind, kerberosKind, smbKind}

// perPacket reports whether a packet needs handler work: on_packet or a
// message handler.
func (s *Script) perPacket() bool {
	return s.handlers[hPacket] != nil || s.wantsMsgs()
}

func (s *Script) wantsMsgs() bool {
	return s.handlers[hARP] != nil || s.handlers[hIGMP] != nil || s.needsComplete()
}

// needsComplete reports handlers whose messages the decoder leaves for
// later: DNS and DHCP are decoded on demand, an ICMP error's quote too.
func (s *Script) needsComplete() bool {
	return s.handlers[hICMP] != nil || s.handlers[hDNS] != nil || s.handlers[hDHCP] != nil || s.handlers[hKerberos] != nil || s.handlers[hSMB] != nil
}

// handle runs the handlers of one packet that passed the filters:
// on_packet (hp, if defined), then its messages'.
func (s *Script) handle(hp *bound, p *packet.Packet) error {
	if hp != nil {
		if err := s.deliver(hp, p); err != nil {
			return err
		}
	}
	if !s.wantsMsgs() {
		return nil
	}
	return s.dispatchMsgs(p)
}

// dispatchMsgs calls the message handlers for the messages p carries.
// The messages share one Packet value (msg.pkt), cut from the packet when
// the last call returns.
func (s *Script) dispatchMsgs(p *packet.Packet) error {
	switch {
	case s.handlers[hDNS] != nil || s.handlers[hDHCP] != nil || s.handlers[hKerberos] != nil || s.handlers[hSMB] != nil:
		p.Complete()
	case s.handlers[hICMP] != nil:
		// Asking for any protocol decodes a pending quote, and leaves
		// DNS and DHCP, which no handler wants, undecoded.
		p.Has(packet.ProtoICMP)
	}
	var pv *Packet
	defer func() {
		if pv != nil {
			pv.expire()
		}
	}()
	for i := range p.Layers {
		l := &p.Layers[i]
		if l.Quoted {
			// The rest of the packet is the quoted datagram.
			break
		}
		r := msgRoutes[l.Proto]
		if r.kind == nil {
			continue
		}
		h := s.handlers[r.handler]
		if h == nil {
			continue
		}
		if pv == nil {
			pv = newPacket(p, &s.sc)
			s.run.PacketValues++
		}
		if r.kind == smbKind {
			// One message per SMB1 command or SMB2 message, as tracked.
			for j := range s.smb.items {
				it := &s.smb.items[j]
				if it.layer != i {
					continue
				}
				m := newMsg(r.kind, pv, i)
				m.app = it
				h.args[0] = m
				err := s.call(h, p.Num)
				h.args[0] = nil
				if err != nil {
					return err
				}
			}
			continue
		}
		h.args[0] = newMsg(r.kind, pv, i)
		err := s.call(h, p.Num)
		h.args[0] = nil
		if err != nil {
			return err
		}
	}
	return nil
}
