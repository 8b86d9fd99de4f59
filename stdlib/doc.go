// Package stdlib holds the modules that scripts use beyond the Starlark
// language: Go-implemented modules predeclared in every script (stats for
// counters, distributions and top-N tables; hex for dumps and hex text),
// and the .star helpers that scripts load with load("@stdlib/NAME.star").
//
// The modules know nothing about packets: the scripting package hands them
// to scripts, and the engine's values reach them only as plain Starlark
// values.
package stdlib
