package stdlib

import "embed"

// Files holds the .star helpers that scripts load as "@stdlib/NAME.star".
//
//go:embed *.star
var Files embed.FS
