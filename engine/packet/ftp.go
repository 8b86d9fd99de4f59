package packet

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/wirelark/wirelark/dissectors/ftp"
)

// FTP control connections (TCP port 21), as Wireshark's packet-ftp.c
// shows them: each segment's payload is one ftp layer, not desegmented; a
// segment sent to port 21 is a request, any other a response. Only the
// first line of a segment gives fields (a command and its argument, or a
// reply code and its text); the lines after it are shown as text. After
// an "AUTH TLS" request answered by 234 the connection carries TLS
// (RFC 4217), and its later segments are not FTP (see tracker.ftpSegment).

// ftpFirstLine returns the first line of an ftp layer's payload and
// whether the layer is a request.
func ftpFirstLine(p *Packet, l *Layer) (line []byte, request bool) {
	b := p.Data[l.Off:l.End]
	n, _ := ftp.LineEnd(b)
	return b[:n], ftpRequest(p, l)
}

// ftpRequest reports whether the segment carrying l goes to port 21.
func ftpRequest(p *Packet, l *Layer) bool {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		t := &p.Layers[i]
		if t.Proto == ProtoTCP && t.Off < l.Off && t.Hdr-t.Off >= 4 {
			return ftp.IsRequest(binary.BigEndian.Uint16(p.Data[t.Off+2:]))
		}
	}
	return false
}

// asciiString converts bytes as Wireshark's ENC_ASCII does: a byte above
// 0x7f becomes U+FFFD.
func asciiString(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for _, c := range b {
		if c >= 0x80 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, c)
		}
	}
	return string(out)
}

// ftpField declares a field computed from the first line of the layer.
func ftpField(name, label string, t Type, base Base, size uint8, get func(ln ftp.Line, dst []Value) []Value) *Field {
	return computed(name, label, t, base, size, "", func(p *Packet, l *Layer, dst []Value) []Value {
		line, req := ftpFirstLine(p, l)
		return get(ftp.ParseLine(line, req), dst)
	})
}

var (
	fFTPResponse = &Field{Name: "ftp.response", Label: "Response", Type: TBool, Hidden: true,
		Desc: "TRUE if FTP response", Get: func(p *Packet, l *Layer, dst []Value) []Value {
			return append(dst, Bool(!ftpRequest(p, l)))
		}}
	fFTPRequest = &Field{Name: "ftp.request", Label: "Request", Type: TBool, Hidden: true,
		Desc: "TRUE if FTP request", Get: func(p *Packet, l *Layer, dst []Value) []Value {
			return append(dst, Bool(ftpRequest(p, l)))
		}}
	fFTPCommand = ftpField("ftp.request.command", "Request command", TString, Dec, 0, func(ln ftp.Line, dst []Value) []Value {
		if ln.Request && ln.Command != nil {
			dst = append(dst, Str(asciiString(ln.Command)))
		}
		return dst
	})
	fFTPReqArg = ftpField("ftp.request.arg", "Request arg", TString, Dec, 0, func(ln ftp.Line, dst []Value) []Value {
		if ln.Request && ln.Arg != nil {
			dst = append(dst, Str(asciiString(ln.Arg)))
		}
		return dst
	})
	fFTPCode = withStrings(ftpField("ftp.response.code", "Response code", TUint, Dec, 4, func(ln ftp.Line, dst []Value) []Value {
		if !ln.Request && ln.HasCode {
			dst = append(dst, Uint(uint64(ln.Code)))
		}
		return dst
	}), ftpReplyNames)
	fFTPRespArg = ftpField("ftp.response.arg", "Response arg", TString, Dec, 0, func(ln ftp.Line, dst []Value) []Value {
		if !ln.Request && ln.Arg != nil {
			dst = append(dst, Str(asciiString(ln.Arg)))
		}
		return dst
	})
)

// ftpReplyNames are Wireshark's names of reply codes.
var ftpReplyNames = map[uint64]string{
	110: "Restart marker reply", 120: "Service ready in nnn minutes", 125: "Data connection already open; transfer starting",
	150: "File status okay; about to open data connection", 200: "Command okay", 202: "Command not implemented, superfluous at this site",
	211: "System status, or system help reply", 212: "Directory status", 213: "File status", 214: "Help message",
	215: "NAME system type", 220: "Service ready for new user", 221: "Service closing control connection",
	225: "Data connection open; no transfer in progress", 226: "Closing data connection", 227: "Entering Passive Mode",
	229: "Entering Extended Passive Mode", 230: "User logged in, proceed", 232: "User logged in, authorized by security data exchange",
	234: "Security data exchange complete", 235: "Security data exchange completed successfully",
	250: "Requested file action okay, completed", 257: "PATHNAME created", 331: "User name okay, need password",
	332: "Need account for login", 334: "Requested security mechanism is ok", 335: "Security data is acceptable, more is required",
	336: "Username okay, need password. Challenge is ...", 350: "Requested file action pending further information",
	421: "Service not available, closing control connection", 425: "Can't open data connection",
	426: "Connection closed; transfer aborted", 431: "Need some unavailable resource to process security",
	450: "Requested file action not taken", 451: "Requested action aborted: local error in processing",
	452: "Requested action not taken. Insufficient storage space in system", 500: "Syntax error, command unrecognized",
	501: "Syntax error in parameters or arguments", 502: "Command not implemented", 503: "Bad sequence of commands",
	504: "Command not implemented for that parameter", 522: "Network protocol not supported", 530: "Not logged in",
	532: "Need account for storing files", 533: "Command protection level denied for policy reasons",
	534: "Request denied for policy reasons", 535: "Failed security check (hash, sequence, etc)",
	536: "Requested PROT level not supported by mechanism", 537: "Command protection level not supported by security mechanism",
	550: "Requested action not taken: File unavailable", 551: "Requested action aborted: page type unknown",
	552: "Requested file action aborted: Exceeded storage allocation", 553: "Requested action not taken: File name not allowed",
	631: "Integrity protected reply", 632: "Confidentiality and integrity protected reply", 633: "Confidentiality protected reply",
}

var protoFTP = register(&Proto{ID: ProtoFTP, Name: "ftp", Short: "FTP", Title: "File Transfer Protocol (FTP)",
	Node: func(p *Packet, l *Layer) string { return "File Transfer Protocol (FTP)" },
	Info: func(p *Packet, l *Layer) string {
		line, req := ftpFirstLine(p, l)
		b := make([]byte, 0, 10+len(line))
		if req {
			b = append(b, "Request: "...)
		} else {
			b = append(b, "Response: "...)
		}
		return string(appendFormatText(b, line))
	}},
	fFTPResponse, fFTPRequest, fFTPCommand, fFTPReqArg, fFTPCode, fFTPRespArg)

// ftpLayer adds the layer of one control-connection segment's payload.
func (p *Packet) ftpLayer(off, end int) {
	p.add(ProtoFTP, off, end, end)
}

// ftpStartTLS follows an FTP control connection for the switch to TLS:
// a request line "AUTH TLS" arms it, a 234 reply then makes the
// connection's later segments TLS, as Wireshark's ssl_starttls_ack. It
// is given the payload of one segment and whether it is a request.
func (s *appState) ftpStartTLS(payload []byte, request bool) {
	n, _ := ftp.LineEnd(payload)
	line := payload[:n]
	if request {
		if string(line) == "AUTH TLS" {
			s.tlsAsked = true
		}
		return
	}
	if s.tlsAsked && len(line) >= 3 && string(line[:3]) == "234" {
		s.switched, s.tlsAsked = true, false
	}
}
