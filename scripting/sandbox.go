package scripting

import (
	"fmt"
	"time"

	"go.starlark.net/lib/json"
	"go.starlark.net/lib/math"
	libtime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

// The sandbox is the set of names a script can reach: Starlark's universe
// (len, str, sorted, ... and print, which the runtime sends to standard
// output), the predeclared names of this file and of emit.go, and nothing
// else. There is no open(), no environment, no process or network access:
// a script sees only what the engine hands it. load() reads only .star
// files below a library root (load.go).

// fileOptions are the Starlark dialect of scripts: the language's
// defaults (no while loops, no top-level if/for, no reassigned globals,
// no recursion), plus the set() type, which the language specification
// now includes and which scripts that track distinct addresses want.
// Keeping while loops and recursion out means every loop is bounded by
// the data it iterates over; the step budget bounds the rest.
var fileOptions = &syntax.FileOptions{Set: true}

// timeModule is Starlark's time module without a clock: time.now() fails
// (a script's notion of time is the capture's, pkt.time), from_timestamp
// gives UTC times (not the machine's zone), and the "Local" location is
// refused, so output does not depend on where it runs.
var timeModule = func() *starlarkstruct.Module {
	m := &starlarkstruct.Module{Name: "time", Members: starlark.StringDict{}}
	for k, v := range libtime.Module.Members {
		m.Members[k] = v
	}
	m.Members["now"] = starlark.NewBuiltin("time.now", func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return nil, fmt.Errorf("time.now is not available: scripts have no clock; use pkt.time, the capture's time")
	})
	m.Members["from_timestamp"] = starlark.NewBuiltin("time.from_timestamp", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var sec, nsec int64
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &sec, &nsec); err != nil {
			return nil, err
		}
		return libtime.Time(time.Unix(sec, nsec).UTC()), nil
	})
	for _, name := range []string{"time", "parse_time"} {
		inner := libtime.Module.Members[name].(*starlark.Builtin)
		m.Members[name] = starlark.NewBuiltin("time."+name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			for _, v := range args[min(len(args), 2):] {
				if s, ok := v.(starlark.String); ok && s == "Local" {
					return nil, fmt.Errorf("%s: the Local time zone is not available to scripts", b.Name())
				}
			}
			for _, kv := range kwargs {
				if kv[0] == starlark.String("location") && kv[1] == starlark.String("Local") {
					return nil, fmt.Errorf("%s: the Local time zone is not available to scripts", b.Name())
				}
			}
			return starlark.Call(th, inner, args, kwargs)
		})
	}
	return m
}()

// modules are the predeclared modules shared by every run; stats is made
// per run (see Script).
var modules = starlark.StringDict{
	"json": json.Module,
	"math": math.Module,
	"time": timeModule,
}
