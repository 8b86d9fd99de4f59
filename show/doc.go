// Package show renders decoded packets for people and for other programs:
// the one-line packet list (tshark's default output), the detail tree
// (tshark -V), and tab-separated field columns (tshark -T fields -e ...).
// Everything it prints comes from the packet package's field registry.
package show
