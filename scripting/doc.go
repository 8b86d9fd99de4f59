// Package scripting is the Starlark side of wirelark: it loads a script,
// adapts the engine's packets to Starlark values, and dispatches events
// to the script's handlers.
//
// A script is a Starlark file that defines handlers by name (on_start,
// on_packet, on_end in this release; handlers.go lists the names later
// releases add) and may set FILTER, a display filter applied in Go before
// any handler. Load compiles the file, runs its top level and checks its
// handlers; Script.Run reads a capture and calls them. Work is done only
// as needed: without on_packet, no filter runs and no Packet value is
// made.
//
// Values (packet.go, layer.go): a Packet's attributes are its own
// (num, time, len, caplen, layers, payload; summary(), show(), hex(),
// all(name), copy()) and one per protocol of the field registry, the
// first layer of that protocol or None. A Layer's attributes are its
// protocol's fields, by the rest of their registry names; a field that is
// absent is None, never an error. Fields that have a value and children
// (tcp.flags and tcp.flags.syn) are explained in rewrite.go.
//
// The dialect is Starlark's default (no while loops, no if or for at the
// top level, no recursion, globals assigned once) plus set(). The main
// script's globals are not frozen, so top-level dicts and lists keep
// state between handler calls; modules it loads are frozen. on_end may
// take one argument, the run's counters (runstats.go).
//
// Names a script can reach (sandbox.go, emit.go): Starlark's universe,
// emit, ARGS, and the modules json, math, time (without a clock), stats
// and hex; load() of .star files below a library root (load.go). Nothing
// else: no files, network, environment or processes. Every handler call
// and every module's top level runs under a step budget, and Interrupt
// cancels the running call.
//
// Output (emit.go, and the output package): emit(table, **fields) adds a
// row to a named table; print writes a line to standard output after the
// rows emitted before it.
package scripting
