package scripting

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// ScriptError is an error found before any packet is handled: the script
// does not parse or resolve, its top level fails, a handler is unknown or
// has the wrong parameters, or FILTER does not compile. Msg may span
// several lines (one per problem, or a backtrace).
type ScriptError struct {
	Msg string
}

func (e *ScriptError) Error() string { return e.Msg }

// HandlerError is an error raised by a handler.
type HandlerError struct {
	Handler string
	Packet  int // number of the packet being handled, 0 for none
	Err     error
}

func (e *HandlerError) Error() string {
	return e.Where() + ": " + firstLine(e.Err.Error())
}

// Where names the handler and packet: "on_packet, packet 17".
func (e *HandlerError) Where() string {
	if e.Packet > 0 {
		return fmt.Sprintf("%s, packet %d", e.Handler, e.Packet)
	}
	return e.Handler
}

// Backtrace is the Starlark backtrace: one line per frame with
// file:line:col and function, then the error.
func (e *HandlerError) Backtrace() string { return describe(e.Err) }

func (e *HandlerError) Unwrap() error { return e.Err }

// describe formats any error from compiling or running Starlark: syntax
// and resolve errors one per line with their positions, evaluation
// errors with their backtrace.
func describe(err error) string {
	var ee *starlark.EvalError
	var el resolve.ErrorList
	var se syntax.Error
	switch {
	case errors.As(err, &ee):
		return ee.Backtrace()
	case errors.As(err, &el):
		var lines []string
		for _, e := range el {
			lines = append(lines, fmt.Sprintf("%s: %s", e.Pos, e.Msg))
		}
		return strings.Join(lines, "\n")
	case errors.As(err, &se):
		return fmt.Sprintf("%s: %s", se.Pos, se.Msg)
	}
	return err.Error()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ErrInterrupted is returned by Run after Interrupt.
var ErrInterrupted = errors.New("interrupted")
