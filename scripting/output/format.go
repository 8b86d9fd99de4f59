package output

import (
	"fmt"
	"strings"
)

// Format is an output format.
type Format uint8

const (
	Text Format = iota // aligned columns
	JSON               // JSON Lines, each object with "_table"
	CSV                // RFC 4180, a header line of column names
	TSV                // tab-separated with Zeek-style #fields/#types headers
)

var formats = []struct {
	name, ext string
}{
	Text: {"text", "txt"},
	JSON: {"json", "jsonl"},
	CSV:  {"csv", "csv"},
	TSV:  {"tsv", "tsv"},
}

// ParseFormat reads a format name: text, json, csv or tsv.
func ParseFormat(s string) (Format, error) {
	for i, f := range formats {
		if f.name == s {
			return Format(i), nil
		}
	}
	var names []string
	for _, f := range formats {
		names = append(names, f.name)
	}
	return 0, fmt.Errorf("unknown output format %q (want %s)", s, strings.Join(names, ", "))
}

func (f Format) String() string { return formats[f].name }

// Ext is the file name extension of the format, without the dot.
func (f Format) Ext() string { return formats[f].ext }

// buffers reports whether tables in the format hold back their first
// rows: text to size its columns, TSV to learn its column types.
func (f Format) buffers() bool { return f == Text || f == TSV }
