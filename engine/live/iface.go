package live

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"
)

// Interface describes a network interface capture can open.
type Interface struct {
	Name     string
	Index    int // kernel ifindex; 0 for "any"
	Up       bool
	Loopback bool
	Running  bool     // carrier present (IFF_RUNNING)
	Addrs    []string // addresses with prefix length, as "10.0.0.1/24"
	// HWType is the ARPHRD_* hardware type (1 Ethernet, 772 loopback).
	HWType int
}

// Any is the pseudo-interface that captures on all interfaces at once.
const Any = "any"

// ARPHRD_* values the capture frames differently.
const (
	arphrdEther    = 1
	arphrdLoopback = 772
)

// LinkType is the link-layer type of the frames captured on the
// interface: Ethernet for Ethernet and loopback, Linux cooked otherwise.
func (i Interface) LinkType() layers.LinkType {
	if i.Index != 0 && (i.HWType == arphrdEther || i.HWType == arphrdLoopback) {
		return layers.LinkTypeEthernet
	}
	return layers.LinkTypeLinuxSLL
}

// Interfaces lists the interfaces of the current network namespace in
// ifindex order, then "any", as tshark -D does.
func Interfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	out := make([]Interface, 0, len(ifs)+1)
	for _, ni := range ifs {
		it := Interface{
			Name:     ni.Name,
			Index:    ni.Index,
			Up:       ni.Flags&net.FlagUp != 0,
			Loopback: ni.Flags&net.FlagLoopback != 0,
			Running:  ni.Flags&net.FlagRunning != 0,
			HWType:   hwType(ni.Name, ni.Flags),
		}
		if as, err := ni.Addrs(); err == nil {
			for _, a := range as {
				it.Addrs = append(it.Addrs, a.String())
			}
		}
		out = append(out, it)
	}
	out = append(out, Interface{Name: Any, Up: true, Running: true})
	return out, nil
}

// hwType reads the interface's ARPHRD type from sysfs; without sysfs it
// goes by the flags.
func hwType(name string, flags net.Flags) int {
	b, err := os.ReadFile(filepath.Join("/sys/class/net", name, "type"))
	if err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			return n
		}
	}
	if flags&net.FlagLoopback != 0 {
		return arphrdLoopback
	}
	return arphrdEther
}

// lookup finds the named interfaces; an unknown one is an
// *UnknownInterfaceError listing those there are.
func lookup(names []string) ([]Interface, error) {
	all, err := Interfaces()
	if err != nil {
		return nil, err
	}
	var out []Interface
	for _, n := range names {
		found := false
		for _, it := range all {
			if it.Name == n {
				out = append(out, it)
				found = true
				break
			}
		}
		if !found {
			e := &UnknownInterfaceError{Name: n}
			for _, it := range all {
				e.Available = append(e.Available, it.Name)
			}
			return nil, e
		}
	}
	return out, nil
}

// UnknownInterfaceError names an interface that does not exist.
type UnknownInterfaceError struct {
	Name      string
	Available []string
}

func (e *UnknownInterfaceError) Error() string {
	return fmt.Sprintf("no interface %q (available: %s; see `wirelark interfaces`)", e.Name, strings.Join(e.Available, ", "))
}

// PermissionError reports that capture needs a privilege the process
// lacks.
type PermissionError struct {
	Iface string
	Err   error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("capturing on %s needs the CAP_NET_RAW capability (%v): run as root, or grant it to the binary once with `sudo setcap cap_net_raw,cap_net_admin=eip $(command -v wirelark)`", e.Iface, e.Err)
}

func (e *PermissionError) Unwrap() error { return e.Err }
