// Package scripts holds the analysis scripts shipped with wirelark,
// embedded in the binary: `wirelark run NAME` finds NAME.star here when
// no library on the search path has one, and `wirelark scripts` lists
// them with the first line of their docstrings.
package scripts

import "embed"

// Files are the shipped scripts.
//
//go:embed *.star
var Files embed.FS
