package packet

import (
	"strings"

	httpdis "github.com/wirelark/wirelark/dissectors/http"
)

// HTTP/1.x over TCP, as Wireshark's packet-http.c with its default
// preferences: messages are desegmented (the head, then the body by
// Content-Length, chunks, or until the connection closes; see
// dissectors/http.Framer and tracker.httpPDUs), and the frame completing
// a message carries its http layer. A segment, or the rest of one, that
// does not start with a request or status line is an http layer of
// continuation data without fields, as in Wireshark. Each layer is one
// message: Hdr is the end of its head, End the end of its body.

// httpPorts are the TCP ports Wireshark 4.0 gives HTTP by default
// (tshark -G decodes).
func httpPort(port uint16) bool {
	switch port {
	case 80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371:
		return true
	}
	return false
}

// httpFirstLine returns the request or status line of an http layer.
func httpFirstLine(p *Packet, l *Layer) (httpdis.FirstLine, []byte) {
	b := p.Data[l.Off:l.Hdr]
	n, _ := httpdis.LineEnd(b)
	return httpdis.ParseFirstLine(b[:n]), b[:n]
}

// httpLayer adds the layer (of protocol id: HTTP, or SSDP over UDP) of
// one message, or of continuation data.
func (p *Packet) httpLayer(id ProtoID, off, end int) {
	b := p.Data[off:end]
	hdr := end
	if n, _ := httpdis.LineEnd(b); httpdis.ParseFirstLine(b[:n]).Kind != httpdis.NotHTTP {
		if h, ok := httpdis.HeadLen(b); ok {
			hdr = off + h
		}
	}
	p.add(id, off, hdr, end)
}

// httpString declares a field read from the first line.
func httpString(name, label, desc string, get func(fl *httpdis.FirstLine) []byte) *Field {
	return computed(name, label, TString, Dec, 0, desc, func(p *Packet, l *Layer, dst []Value) []Value {
		fl, _ := httpFirstLine(p, l)
		if v := get(&fl); v != nil {
			dst = append(dst, Str(asciiString(v)))
		}
		return dst
	})
}

// httpHeader declares a field holding a header's value.
func httpHeader(name, label, header string) *Field {
	return computed(name, label, TString, Dec, 0, "HTTP "+header+" header", func(p *Packet, l *Layer, dst []Value) []Value {
		if h, ok := httpHead(p, l); ok {
			if v, ok := httpdis.FindHeader(h, header); ok {
				dst = append(dst, Str(asciiString(v)))
			}
		}
		return dst
	})
}

// httpHead returns the head of an http layer that is a message (not
// continuation data).
func httpHead(p *Packet, l *Layer) ([]byte, bool) {
	b := p.Data[l.Off:l.Hdr]
	n, _ := httpdis.LineEnd(b)
	return b, httpdis.ParseFirstLine(b[:n]).Kind != httpdis.NotHTTP
}

func httpKind(k httpdis.Kind) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		// Wireshark marks HTTP messages so, not SSDP's.
		if fl, _ := httpFirstLine(p, l); fl.Kind == k && l.Proto == ProtoHTTP {
			dst = append(dst, Bool(true))
		}
		return dst
	}
}

var (
	fHTTPResponse = &Field{Name: "http.response", Label: "Response", Type: TBool, Hidden: true, Desc: "TRUE if HTTP response",
		Get: httpKind(httpdis.Response)}
	fHTTPRequest = &Field{Name: "http.request", Label: "Request", Type: TBool, Hidden: true, Desc: "TRUE if HTTP request",
		Get: httpKind(httpdis.Request)}
	fHTTPMethod = httpString("http.request.method", "Request Method", "HTTP Request Method",
		func(fl *httpdis.FirstLine) []byte { return fl.Method })
	fHTTPURI = httpString("http.request.uri", "Request URI", "HTTP Request-URI",
		func(fl *httpdis.FirstLine) []byte { return fl.URI })
	fHTTPReqVersion = httpString("http.request.version", "Request Version", "HTTP Request HTTP-Version",
		func(fl *httpdis.FirstLine) []byte {
			if fl.Kind == httpdis.Request {
				return fl.Version
			}
			return nil
		})
	fHTTPRespVersion = httpString("http.response.version", "Response Version", "HTTP Response HTTP-Version",
		func(fl *httpdis.FirstLine) []byte {
			if fl.Kind == httpdis.Response {
				return fl.Version
			}
			return nil
		})
	fHTTPCode = computed("http.response.code", "Status Code", TUint, Dec, 2, "HTTP Response Status Code",
		func(p *Packet, l *Layer, dst []Value) []Value {
			if fl, _ := httpFirstLine(p, l); fl.Kind == httpdis.Response && fl.HasCode {
				dst = append(dst, Uint(uint64(fl.Code)))
			}
			return dst
		})
	fHTTPPhrase = httpString("http.response.phrase", "Response Phrase", "HTTP Response Reason Phrase",
		func(fl *httpdis.FirstLine) []byte { return fl.Phrase })
	fHTTPHost        = httpHeader("http.host", "Host", "Host")
	fHTTPUserAgent   = httpHeader("http.user_agent", "User-Agent", "User-Agent")
	fHTTPContentType = httpHeader("http.content_type", "Content-Type", "Content-Type")
	fHTTPCLHeader    = httpHeader("http.content_length_header", "Content-Length", "Content-Length")
	fHTTPCL          = computed("http.content_length", "Content length", TUint, Dec, 8, "",
		func(p *Packet, l *Layer, dst []Value) []Value {
			if h, ok := httpHead(p, l); ok {
				if v, ok := httpdis.FindHeader(h, "Content-Length"); ok {
					if n, ok := httpdis.ParseDecimal(v); ok {
						dst = append(dst, Uint(n))
					}
				}
			}
			return dst
		})
	fHTTPTransferEncoding = httpHeader("http.transfer_encoding", "Transfer-Encoding", "Transfer-Encoding")
	fHTTPServer           = httpHeader("http.server", "Server", "Server")
	fHTTPConnection       = httpHeader("http.connection", "Connection", "Connection")
	fHTTPLocation         = httpHeader("http.location", "Location", "Location")
	fHTTPReferer          = httpHeader("http.referer", "Referer", "Referer")
	fHTTPCookie           = httpHeader("http.cookie", "Cookie", "Cookie")
	fHTTPSetCookie        = httpHeader("http.set_cookie", "Set-Cookie", "Set-Cookie")
	fHTTPAuthorization    = httpHeader("http.authorization", "Authorization", "Authorization")
	fHTTPContentEncoding  = httpHeader("http.content_encoding", "Content-Encoding", "Content-Encoding")
)

var protoHTTP = register(&Proto{ID: ProtoHTTP, Name: "http", Short: "HTTP", Title: "Hypertext Transfer Protocol", Desegmented: true,
	Node:   func(p *Packet, l *Layer) string { return "Hypertext Transfer Protocol" },
	Info:   httpInfo,
	Column: httpColumn},
	fHTTPResponse, fHTTPRequest, fHTTPMethod, fHTTPURI, fHTTPReqVersion, fHTTPRespVersion, fHTTPCode, fHTTPPhrase,
	fHTTPHost, fHTTPUserAgent, fHTTPContentType, fHTTPCLHeader, fHTTPCL, fHTTPTransferEncoding, fHTTPContentEncoding,
	fHTTPServer, fHTTPConnection, fHTTPLocation, fHTTPReferer, fHTTPCookie, fHTTPSetCookie, fHTTPAuthorization)

// protoSSDP is HTTP over UDP port 1900: its layers carry http.* fields,
// as in Wireshark.
var protoSSDP = register(&Proto{ID: ProtoSSDP, Name: "ssdp", Short: "SSDP", Title: "Simple Service Discovery Protocol",
	Info: func(p *Packet, l *Layer) string { return string(httpInfoOne(p, l, nil)) }})

// httpInfo is the Info text of a frame's HTTP messages, given for its
// last http layer: Wireshark writes each message's first line and a space,
// then what the body's dissector adds, one message after the other;
// continuation data reads "Continuation".
func httpInfo(p *Packet, l *Layer) string {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		if t := &p.Layers[i]; t.Proto == ProtoHTTP && !t.Quoted {
			if t != l {
				return string(httpInfoOne(p, l, nil))
			}
			break
		}
	}
	var b []byte
	for i := range p.Layers {
		if t := &p.Layers[i]; t.Proto == ProtoHTTP && !t.Quoted {
			b = httpInfoOne(p, t, b)
		}
	}
	if set := &p.st.pdu; set.partial > 0 && set.app == ProtoHTTP && set.partial <= p.frameLen {
		// A message the segment begins: Wireshark has written its
		// first line before it asks for the rest.
		rest := p.Data[set.partial-1 : p.frameLen]
		if n, _, ok := httpLineEnd(rest); ok {
			b = appendFormatText(b, rest[:n])
			b = append(b, ' ')
		}
	}
	return string(b)
}

// httpLineEnd finds the end of the first line of b, if b holds it whole.
func httpLineEnd(b []byte) (n, next int, ok bool) {
	n, next = httpdis.LineEnd(b)
	return n, next, next > n
}

// httpInfoOne appends the Info text of one message; with dst nil it
// returns it alone.
func httpInfoOne(p *Packet, l *Layer, dst []byte) []byte {
	fl, line := httpFirstLine(p, l)
	if fl.Kind == httpdis.NotHTTP {
		return append(dst, "Continuation"...)
	}
	dst = appendFormatText(dst, line)
	dst = append(dst, ' ')
	if l.End > l.Hdr {
		if v, ok := httpdis.FindHeader(p.Data[l.Off:l.Hdr], "Content-Type"); ok {
			switch mt := httpdis.MediaType(v); {
			case mt == "application/json":
				dst = append(dst, ", JavaScript Object Notation (application/json)"...)
			case strings.HasPrefix(mt, "text/") && mt != "text/xml" || mt == "application/x-www-form-urlencoded":
				// The line-based text and form dissectors name the type.
				dst = append(dst, " ("+mt+")"...)
			}
		}
	}
	return dst
}

// httpColumn is the Protocol column: HTTP, or HTTP/JSON when a message
// of the frame carries a JSON body.
func httpColumn(p *Packet, l *Layer) string {
	for i := range p.Layers {
		t := &p.Layers[i]
		if t.Proto != ProtoHTTP || t.Quoted || t.End <= t.Hdr {
			continue
		}
		if h, ok := httpHead(p, t); !ok {
			continue
		} else if v, ok := httpdis.FindHeader(h, "Content-Type"); ok && httpdis.MediaType(v) == "application/json" {
			return "HTTP/JSON"
		}
	}
	return "HTTP"
}

// claimedTCPPorts are the TCP ports Wireshark 4.0 gives a dissector by
// port (tshark -G decodes, table tcp.port). Its heuristic dissectors (see
// tracker.heuristic) run only on segments whose ports no dissector
// claims; the list also spares most segments the heuristic's look at
// their bytes.
var claimedTCPPorts = [...]uint16{
	7, 13, 19, 20, 21, 22, 23, 25, 37, 42, 43, 49, 53, 70, 79, 80, 88, 102, 104, 110, 111, 119, 123,
	139, 143, 161, 162, 179, 199, 210, 323, 324, 389, 427, 443, 445, 464, 465, 473, 500, 502, 512,
	513, 514, 515, 524, 547, 548, 554, 564, 587, 631, 636, 639, 646, 647, 674, 705, 802, 829, 853,
	854, 862, 873, 925, 988, 993, 995, 1080, 1090, 1099, 1102, 1153, 1194, 1213, 1300, 1344, 1433,
	1521, 1533, 1547, 1723, 1755, 1861, 1863, 1883, 1900, 1935, 1978, 1979, 1998, 2000, 2001, 2065,
	2099, 2123, 2126, 2152, 2190, 2221, 2234, 2240, 2269, 2321, 2322, 2345, 2401, 2404, 2424, 2427,
	2433, 2443, 2501, 2502, 2571, 2575, 2600, 2710, 2727, 2812, 2855, 2869, 2944, 2945, 3002, 3003,
	3006, 3014, 3016, 3017, 3018, 3019, 3050, 3128, 3132, 3205, 3245, 3246, 3247, 3248, 3249, 3250,
	3251, 3252, 3268, 3288, 3306, 3333, 3334, 3357, 3369, 3386, 3389, 3452, 3478, 3496, 3567, 3632,
	3671, 3689, 3724, 3804, 3860, 3863, 3868, 3918, 4002, 4058, 4155, 4189, 4222, 4223, 4224, 4249,
	4250, 4321, 4342, 4369, 4420, 4551, 4555, 4556, 4661, 4662, 4663, 4712, 4730, 4737, 4739, 4788,
	4840, 4880, 5000, 5010, 5060, 5061, 5066, 5084, 5094, 5190, 5222, 5253, 5353, 5432, 5445, 5500,
	5501, 5534, 5555, 5671, 5672, 5683, 5684, 5701, 5721, 5868, 5900, 5901, 5985, 5997, 6000, 6001,
	6002, 6003, 6004, 6005, 6006, 6007, 6008, 6009, 6010, 6011, 6012, 6013, 6014, 6015, 6016, 6017,
	6018, 6019, 6020, 6021, 6022, 6023, 6024, 6025, 6026, 6027, 6028, 6029, 6030, 6031, 6032, 6033,
	6034, 6035, 6036, 6037, 6038, 6039, 6040, 6041, 6042, 6043, 6044, 6045, 6046, 6047, 6048, 6049,
	6050, 6051, 6052, 6053, 6054, 6055, 6056, 6057, 6058, 6059, 6060, 6061, 6062, 6063, 6068, 6075,
	6084, 6121, 6160, 6346, 6379, 6417, 6653, 6666, 6667, 6668, 6881, 6882, 6883, 6884, 6885, 6886,
	6887, 6888, 6889, 7000, 7075, 7171, 7172, 7236, 7275, 7276, 7871, 7890, 7900, 7911, 7930, 8004,
	8009, 8010, 8023, 8074, 8080, 8085, 8088, 8554, 8567, 8883, 9000, 9009, 9042, 9092, 9168, 9300,
	9418, 9600, 9955, 9956, 9999, 10000, 10288, 11207, 11210, 11211, 11371, 13400, 13819, 14001,
	15740, 17500, 17755, 17756, 19006, 19042, 19043, 19506, 19543, 19999, 20000, 20256, 21064, 22222,
	24800, 27017, 29418, 30000, 30001, 30002, 30003, 30004, 30005, 30006, 30007, 30008, 30009, 30010,
	30011, 30012, 30013, 30014, 30015, 30016, 30017, 30018, 30019, 30020, 30021, 30022, 30023, 30024,
	30025, 30026, 30027, 30028, 30029, 30030, 30031, 30032, 30033, 30034, 30035, 30036, 30037, 30038,
	30039, 30040, 30041, 30042, 30043, 30044, 30045, 30046, 30047, 30048, 30049, 30050, 30051, 30052,
	30053, 30054, 30055, 30056, 30057, 30058, 30059, 30060, 30061, 30062, 30063, 30064, 30065, 30066,
	30067, 30068, 30069, 30070, 30071, 30072, 30073, 30074, 30075, 30076, 30077, 30078, 30079, 30080,
	30081, 30082, 30083, 30084, 30085, 30086, 30087, 30088, 30089, 30090, 30091, 30092, 30093, 30094,
	30095, 30096, 30097, 30098, 30099, 30100, 30101, 30102, 30103, 30104, 30105, 30106, 30107, 30108,
	30109, 30110, 30111, 30112, 30113, 30114, 30115, 30116, 30117, 30118, 30119, 30120, 30121, 30122,
	30123, 30124, 30125, 30126, 30127, 30128, 30129, 30130, 30131, 30132, 30133, 30134, 30135, 30136,
	30137, 30138, 30139, 30140, 30141, 30142, 30143, 30144, 30145, 30146, 30147, 30148, 30149, 30150,
	30151, 30152, 30153, 30154, 30155, 30156, 30157, 30158, 30159, 30160, 30161, 30162, 30163, 30164,
	30165, 30166, 30167, 30168, 30169, 30170, 30171, 30172, 30173, 30174, 30175, 30176, 30177, 30178,
	30179, 30180, 30181, 30182, 30183, 30184, 30185, 30186, 30187, 30188, 30189, 30190, 30191, 30192,
	30193, 30194, 30195, 30196, 30197, 30198, 30199, 30200, 34980, 44321, 44322, 44818, 48049, 48898,
	57000,
}

// claimedTCP is claimedTCPPorts as a bit set.
var claimedTCP = func() (s [1 << 16 / 64]uint64) {
	for _, p := range claimedTCPPorts {
		s[p/64] |= 1 << (p % 64)
	}
	return
}()

// portClaimed reports whether Wireshark has a dissector for the TCP port.
func portClaimed(p uint16) bool { return claimedTCP[p/64]&(1<<(p%64)) != 0 }
