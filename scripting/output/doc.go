// Package output writes the rows that scripts emit, as tables in one of
// four formats: aligned text columns, JSON Lines, CSV, and TSV with
// Zeek-style headers. Rows go either all to one stream (standard output),
// where the tables are told apart by section headers, or to one file per
// table in a directory.
//
// Memory stays bounded whatever the number of rows: a table holds back at
// most BufferRows rows, to size its text columns or learn its TSV types,
// and writes every later row as it comes. The package knows nothing of
// Starlark; rows arrive as Cells.
package output
