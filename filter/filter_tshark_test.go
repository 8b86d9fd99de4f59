package filter

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// tsharkFilters are compared with tshark over every shared capture. They
// use Wireshark 4.0 syntax (commas between set elements) so that tshark
// accepts all of them. A filter naming a field the registry does not have
// yet is skipped and reported.
var tsharkFilters = []string{
	// Protocol and field presence.
	"arp", "dhcp", "dns", "mdns", "llmnr", "icmp", "icmpv6", "igmp", "tcp", "udp", "ip", "ipv6",
	"!arp", "not ip", "_ws.malformed", "vlan", "sll", "ipv6.fraghdr", "ipv6.hopopts",
	"tcp.options.mss_val", "tcp.options.sack_perm", "tcp.payload",

	// The examples and the benchmark filter.
	"ip.addr == 192.168.0.114 && tcp.flags.syn == 1", "ip.addr == 192.168.1.100 && tcp.flags.syn == 1",
	"tcp.flags.syn == 1 && ip.addr == 10.0.0.0/8",
	"dhcp.option.dhcp == 5",
	"dns.flags.response == 0",

	// Booleans, flags, bitwise and.
	"tcp.flags.syn == 1 and tcp.flags.ack == 0",
	"tcp.flags.syn == 1 && tcp.flags.ack == 1 && tcp.options.mss_val < 1460",
	"tcp.flags == 0x02", "tcp.flags == 0x012", "tcp.flags & 0x04",
	"tcp.flags.reset eq 1 or tcp.flags.fin eq 1",
	"tcp.flags.push == True", "ip.flags.df == 0 && ip", "ip.flags.mf == 1 || ip.frag_offset > 0",
	"eth.dst.ig == 1", "tcp[13] & 0x02",

	// Addresses, subnets, the either-side fields and Wireshark 4.0's !=.
	"ip.src == 192.168.1.0/24", "ip.addr != 192.168.1.1", "ip.addr ~= 192.168.1.1",
	"ip.addr === 192.168.0.0/16", "ip.addr any_ne 192.168.0.0/16", "ip.dst ne 255.255.255.255",
	"ip.src in {192.168.1.0/24, 10.0.0.0/8}", "ip.dst in {10.0.0.1 .. 10.0.0.20}",
	"ip.src == ip.dst", "ip.src > ip.dst", "ip.dst[0] == e0",
	"ipv6.addr == fe80::/10", "ipv6.dst == ff02::1", "ipv6.src == ::", "ipv6.addr != fe80::/10",
	"ipv6.src == fe80::1 || ipv6.addr == 2001:db8::/32", "ipv6.nxt == 58", "ipv6.hlim == 255",
	"eth.addr == ff:ff:ff:ff:ff:ff", "eth.dst[0:3] == 01:00:5e", "eth.dst[0:2] == 33:33",
	"eth.addr contains 00:0c:29", "eth.src == 0200.c0a8.0164", "eth.type == 0x0806", "eth.type == 0x86dd",
	"arp.opcode == 1", "arp.opcode == reply", "arp.src.proto_ipv4 == arp.dst.proto_ipv4",
	"arp.dst.hw_mac == 00:00:00:00:00:00", "arp.isgratuitous == 1",

	// Integers: ports, sets, ranges, value names, field against field.
	"tcp.port == 80", "tcp.port in {80, 443, 8080}", "tcp.dstport in {1..1024}",
	"tcp.srcport not in {22, 80, 443}", "udp.port == 53", "udp.port in {67, 68}",
	"udp.dstport >= 33434 and udp.dstport <= 33534", "udp.length lt 100", "udp.srcport == udp.dstport",
	"tcp.srcport > tcp.dstport", "ip.ttl < 64", "ip.ttl le 1", "ip.ttl >= 128", "ip.ttl in {1..5, 64}",
	"ip.proto == 17", `ip.proto == "ICMP"`, "ip.id == 0x0000", "ip.len > 1000", "ip.hdr_len > 20",
	"ip.dsfield.dscp != 0", "ip.version == 4 and ipv6", "vlan.id", "sll.pkttype == 0",
	"tcp.len > 0", "tcp.len == 0 and tcp.flags.ack == 1", "tcp.window_size_value == 0",
	"tcp.stream == 1", "tcp.seq == 1", "tcp.ack == 1", "tcp.hdr_len > 20",
	"tcp.options.mss_val == 1460", "tcp.options.wscale.shift >= 7", "len(tcp.payload) > 100",
	"count(ip.addr) > 2", "frame.len > 1000", "frame.len <= 60", "frame.number in {1..10}",
	"frame.number == 1 or frame.number == 3", "frame.cap_len < frame.len",
	"frame.time_relative >= 0.5", "frame.time_delta > 0.1",

	// Strings and bytes: contains, matches, slices.
	`tcp.payload contains "HTTP"`, `tcp.payload matches "^(get|post) "`, `tcp.payload[0:4] == "SSH-"`,
	`tcp contains "USER"`, "udp contains 00:01", `frame contains "example"`,
	`frame matches "krbtgt|kerberos"`, `tcp.payload[-2:] == "\r\n"`, `udp.payload[2:1,4:2] == 01:00:01`,

	// Number bases, word operators, value names, other literal forms.
	"ip.ttl == 0100", "tcp.window_size_value gt 60000", "udp.length ge 500", "ipv6.addr !== fe80::/10",
	"udp.port all_eq 53", "eth.type == ARP", "tcp.payload[0] == 'G'", `tcp.payload ~ "^HTTP/1\\.[01] 200"`,
	`tcp.payload matches r"^(USER|PASS) "`, `frame.time >= "2020-01-01 00:00:00"`,
	`dns.qry.name in {"www.corp.example", "corp.example"}`, "dns.flags.response == 1 and not dns.flags.rcode == 0",

	// Logic and precedence.
	"not (tcp or udp or arp)", "tcp && !(tcp.port in {80, 443})",
	"ip.addr == 192.168.1.1 or ip.addr == 10.0.0.1 and udp",
	"(ip.addr == 192.168.1.1 or ip.addr == 10.0.0.1) and udp",
	"not arp and ip.len > 100 or arp", "!tcp.port == 80",

	// Seed protocols' own fields (skipped while the registry lacks them).
	"dhcp.option.dhcp in {1, 3}", "dhcp.ip.your != 0.0.0.0", "dhcp.hw.mac_addr[0:3] == 00:0c:29",
	`dns.qry.name contains "example"`, `dns.qry.name matches "\\.(com|org)$"`, "dns.qry.type == 28",
	"dns.flags.response == 1 && dns.flags.rcode != 0", "dns.count.answers > 0", "dns.a",
	"icmp.type == 8", "icmp.type == 3 && icmp.code == 3", "icmp.type in {0, 8}", "icmp.type == 11",
	"icmpv6.type == 135", "icmpv6.type in {133..137}", "igmp.type == 0x16", "igmp.maddr == 224.0.0.0/4",
	"igmp.version == 3",
}

// allowRule lets wirelark and tshark disagree where wirelark's decoder
// knowingly differs. A difference on a frame is allowed when a rule's file
// pattern, filter condition and frame condition all hold; the frame
// condition is itself a filter evaluated by wirelark on that frame.
type allowRule struct {
	files  []string // path.Match patterns on the file's name as reported; none means any
	uses   []string // protocols or fields the filter must name; none means any filter
	frames string   // wirelark filter selecting the frames concerned; "" is any
	reason string

	f    *Filter
	hits int
}

var allowRules = []*allowRule{
	// Differences in what tshark counts or flags.
	{files: []string{"corpus/misc/pcapng-test202-le.pcapng"},
		reason: "tshark numbers the file's 3 pcapng custom blocks as frames, so its frame numbers are shifted from the packets'"},
	{uses: []string{"_ws.malformed"},
		reason: "which frames are malformed depends on the dissectors: tshark also flags errors in protocols wirelark does not dissect (Kerberos, SMB, DNS over reassembled data) and calls a capture cut short 'packet size limited', not malformed"},

	// Decoder differences on damaged or unusual packets, found by this
	// comparison; the field-level conformance tests own them.
	{files: []string{"corpus/ipv6/ipv6-hbh-routing0.pcap"}, uses: []string{"dns"},
		reason: "tshark's DNS dissector throws on this message before adding its dns item; wirelark keeps a DNS layer"},
	{files: []string{"corpus/ipv6/ipv6-mobility-dst-opts.pcap", "corpus/malformed/ipv6_frag6_negative_len.pcap", "corpus/malformed/ip6-ext-trunc.pcap"},
		uses:   []string{"udp", "ipv6.fraghdr", "ipv6.hopopts"},
		reason: "tshark gives up on a damaged IPv6 extension header before adding it (and what follows); wirelark keeps the header"},
	{files: []string{"corpus/malformed/ipv4-internally-truncated-header.pcap"}, uses: []string{"ip.dst"},
		reason: "an IPv4 header cut short inside its options: tshark leaves out ip.dst although its bytes were captured"},
	{files: []string{"corpus/malformed/linux_sll_oversized_addr.pcapng"}, uses: []string{"tcp"},
		reason: "IPv4 total length past the captured bytes: tshark's tcp.len and tcp.payload differ from wirelark's on these damaged frames"},
	{files: []string{"corpus/malformed/tcp-truncated-header.pcap"}, uses: []string{"tcp.options"},
		reason: "a TCP header cut short in its options: tshark shows the options that were captured, wirelark none"},
	{files: []string{"corpus/kerberos/kerberos_tso.pcapng"}, uses: []string{"ip.len"},
		reason: "TCP segmentation offload: the header's total length is 0 and tshark shows one derived from the frame as ip.len"},
	{files: []string{"corpus/tcp/tcp_rst_data.pcap"}, uses: []string{"tcp.payload"}, frames: "tcp.flags.reset == 1",
		reason: "data carried by an RST segment: tshark shows it as tcp.reset_cause, not tcp.payload"},
}

func (r *allowRule) matchesFile(name string) bool {
	if len(r.files) == 0 {
		return true
	}
	for _, p := range r.files {
		if m, _ := path.Match(p, name); m {
			return true
		}
	}
	return false
}

// appliesTo reports whether the rule covers the filter expression: it
// names one of the rule's protocols or fields (as a word of the filter).
func (r *allowRule) appliesTo(expr string) bool {
	if len(r.uses) == 0 {
		return true
	}
	words := strings.FieldsFunc(expr, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_')
	})
	for _, w := range words {
		for _, u := range r.uses {
			if w == u || strings.HasPrefix(w, u+".") {
				return true
			}
		}
	}
	return false
}

const sharedDir = "../../shared"

// captureFiles lists every capture of the shared corpus and captures, by
// name relative to ../../shared.
func captureFiles(t *testing.T) []string {
	var out []string
	for _, d := range []string{"corpus", "captures"} {
		root := filepath.Join(sharedDir, d)
		filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if e.IsDir() {
				if e.Name() == "tshark" || e.Name() == "LICENSES" {
					return filepath.SkipDir
				}
				return nil
			}
			n := e.Name()
			if strings.HasSuffix(n, ".pcap") || strings.HasSuffix(n, ".pcapng") || strings.HasSuffix(n, ".pcap.gz") ||
				strings.HasSuffix(n, ".cap") {
				rel, _ := filepath.Rel(sharedDir, p)
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

// The tshark side evaluates every filter in one run per file: a Lua tap
// listener per filter uses tshark's own display-filter engine, as -Y
// does, and prints the numbers of the frames it sees. A sample of
// (file, filter) pairs is also run with -Y itself to check that the two
// agree.
const luaHarness = `
local out = assert(io.open(os.getenv("WL_OUT"), "w"))
local i = 0
for f in io.lines(os.getenv("WL_FILTERS")) do
  local idx = i
  local ok, l = pcall(Listener.new, "frame", f)
  if ok then
    l.packet = function(pinfo) out:write(idx, "\t", pinfo.number, "\n") end
  else
    out:write("E\t", idx, "\t", (tostring(l):gsub("[\r\n]", " ")), "\n")
  end
  i = i + 1
end
`

// harnessVersion changes when the way tshark results are produced
// changes, so cached results are not reused.
const harnessVersion = "1"

type tsharkRun struct {
	frames map[int][]int  // filter index -> frame numbers
	errs   map[int]string // filter index -> tshark's error
}

type tsharkEnv struct {
	bin     string
	version string
	lua     string
	cache   string // "" means no cache across runs
	tmp     string
}

func newTsharkEnv(t *testing.T) *tsharkEnv {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Skipf("tshark --version: %v", err)
	}
	ver, _, _ := strings.Cut(string(out), "\n")
	if !strings.Contains(string(out), "with Lua") {
		t.Skip("tshark was built without Lua, which the comparison needs")
	}
	env := &tsharkEnv{bin: bin, version: ver, tmp: t.TempDir()}
	env.lua = filepath.Join(env.tmp, "harness.lua")
	if err := os.WriteFile(env.lua, []byte(luaHarness), 0o644); err != nil {
		t.Fatal(err)
	}
	// tshark's answers only depend on its version, the file and the
	// filter, so they are kept between runs; WIRELARK_TSHARK_CACHE=off
	// turns that off, another value moves the cache.
	switch c := os.Getenv("WIRELARK_TSHARK_CACHE"); c {
	case "off":
	case "":
		if d, err := os.UserCacheDir(); err == nil {
			env.cache = filepath.Join(d, "wirelark", "filter-tshark")
		}
	default:
		env.cache = c
	}
	if env.cache != "" {
		if err := os.MkdirAll(env.cache, 0o755); err != nil {
			env.cache = ""
		}
	}
	return env
}

func fileHash(name string) (string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

// cached returns the cached output for the key parts, or computes and
// stores it.
func (env *tsharkEnv) cached(compute func() ([]byte, error), parts ...string) ([]byte, error) {
	h := sha256.New()
	for _, p := range append([]string{harnessVersion, env.version}, parts...) {
		fmt.Fprintf(h, "%d:%s\n", len(p), p)
	}
	key := hex.EncodeToString(h.Sum(nil))
	var name string
	if env.cache != "" {
		name = filepath.Join(env.cache, key)
		if b, err := os.ReadFile(name); err == nil {
			return b, nil
		}
	}
	b, err := compute()
	if err != nil {
		return nil, err
	}
	if name != "" {
		tmp := name + ".tmp" + strconv.Itoa(os.Getpid())
		if os.WriteFile(tmp, b, 0o644) == nil {
			os.Rename(tmp, name)
		}
	}
	return b, nil
}

// runAll evaluates every filter over one file in tshark.
func (env *tsharkEnv) runAll(file, hash string, filters []string) (*tsharkRun, error) {
	list := strings.Join(filters, "\n") + "\n"
	b, err := env.cached(func() ([]byte, error) {
		dir, err := os.MkdirTemp(env.tmp, "run")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		fl, out := filepath.Join(dir, "filters"), filepath.Join(dir, "out")
		if err := os.WriteFile(fl, []byte(list), 0o644); err != nil {
			return nil, err
		}
		cmd := exec.Command(env.bin, "-q", "-n", "-r", file, "-X", "lua_script:"+env.lua)
		cmd.Env = append(os.Environ(), "WL_FILTERS="+fl, "WL_OUT="+out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		// tshark exits non-zero on damaged files after reporting every
		// frame before the damage; that is what wirelark does too.
		cmd.Run()
		b, err := os.ReadFile(out)
		if err != nil {
			return nil, fmt.Errorf("tshark on %s: no output (%v): %s", file, err, stderr.String())
		}
		return b, nil
	}, "all", hash, list)
	if err != nil {
		return nil, err
	}
	r := &tsharkRun{frames: map[int][]int{}, errs: map[int]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		a, rest, _ := strings.Cut(sc.Text(), "\t")
		if a == "E" {
			i, msg, _ := strings.Cut(rest, "\t")
			n, _ := strconv.Atoi(i)
			r.errs[n] = msg
			continue
		}
		i, err1 := strconv.Atoi(a)
		n, err2 := strconv.Atoi(rest)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("tshark harness on %s: bad line %q", file, sc.Text())
		}
		r.frames[i] = append(r.frames[i], n)
	}
	for i := range r.frames {
		slices.Sort(r.frames[i])
		r.frames[i] = slices.Compact(r.frames[i])
	}
	return r, nil
}

// runY runs `tshark -r FILE -Y F -T fields -e frame.number`.
func (env *tsharkEnv) runY(file, hash, filter string) ([]int, error) {
	b, err := env.cached(func() ([]byte, error) {
		cmd := exec.Command(env.bin, "-n", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil && len(out) == 0 && strings.Contains(stderr.String(), "filter") {
			return nil, fmt.Errorf("tshark -Y %q: %v: %s", filter, err, stderr.String())
		}
		return out, nil
	}, "Y", hash, filter)
	if err != nil {
		return nil, err
	}
	var nums []int
	for _, l := range strings.Fields(string(b)) {
		n, err := strconv.Atoi(l)
		if err != nil {
			return nil, fmt.Errorf("tshark -Y %q on %s: bad line %q", filter, file, l)
		}
		nums = append(nums, n)
	}
	return nums, nil
}

// wirelarkRun is what wirelark selects in one file.
type wirelarkRun struct {
	frames  int
	err     error
	matches [][]int  // by filter index
	allowed [][]bool // by frame number, then rule index: the rule's frame condition holds
}

func runWirelark(name string, filters []*Filter, rules []*allowRule) *wirelarkRun {
	w := &wirelarkRun{matches: make([][]int, len(filters)), allowed: [][]bool{nil}}
	// Filters keep scratch buffers, so each file (run on its own
	// goroutine) gets its own copies.
	filters = slices.Clone(filters)
	for i, f := range filters {
		if f != nil {
			filters[i] = f.Clone()
		}
	}
	var conds []*Filter
	for _, r := range rules {
		if r.f != nil {
			conds = append(conds, r.f.Clone())
		} else {
			conds = append(conds, nil)
		}
	}
	r, err := source.Open(name)
	if err != nil {
		w.err = err
		return w
	}
	defer r.Close()
	d := packet.NewDecoder()
	var fr source.Frame
	for {
		if err := r.Next(&fr); err != nil {
			if err != io.EOF {
				w.err = err
			}
			return w
		}
		p := d.Decode(&fr)
		w.frames++
		for i, f := range filters {
			if f != nil && f.Match(p) {
				w.matches[i] = append(w.matches[i], p.Num)
			}
		}
		al := make([]bool, len(rules))
		for i, c := range conds {
			al[i] = c == nil || c.Match(p)
		}
		w.allowed = append(w.allowed, al)
	}
}

// diff returns the frames in exactly one of the sorted lists a and b.
func diff(a, b []int) (onlyA, onlyB []int) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return
}

// parallel runs f(0..n-1) on as many workers as there are CPUs.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func TestTshark(t *testing.T) {
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skip("no shared captures at " + sharedDir)
	}
	files := captureFiles(t)
	if len(files) == 0 {
		t.Skip("no captures under " + sharedDir)
	}
	env := newTsharkEnv(t)

	filters := make([]*Filter, len(tsharkFilters))
	var skipped []string
	for i, e := range tsharkFilters {
		f, err := Compile(e)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if ok && strings.Contains(se.Msg, "unknown field") {
				skipped = append(skipped, e)
				continue
			}
			t.Errorf("Compile(%q): %v\n%s", e, err, Caret(err))
			continue
		}
		filters[i] = f
	}
	compiled := len(tsharkFilters) - len(skipped)
	if compiled < 60 {
		t.Errorf("only %d filters compile; the comparison wants at least 60", compiled)
	}
	for _, r := range allowRules {
		if r.frames != "" {
			r.f = MustCompile(r.frames)
		}
		if len(r.reason) < 20 {
			t.Fatalf("allow rule %q: give a real reason", r.reason)
		}
	}

	hashes := make([]string, len(files))
	tsh := make([]*tsharkRun, len(files))
	wl := make([]*wirelarkRun, len(files))
	errs := make([]error, len(files))
	parallel(len(files), func(i int) {
		full := filepath.Join(sharedDir, files[i])
		if hashes[i], errs[i] = fileHash(full); errs[i] != nil {
			return
		}
		if tsh[i], errs[i] = env.runAll(full, hashes[i], tsharkFilters); errs[i] != nil {
			return
		}
		wl[i] = runWirelark(full, filters, allowRules)
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", files[i], err)
		}
	}
	for i, e := range tsharkFilters {
		if msg, bad := tsh[0].errs[i]; bad {
			t.Errorf("tshark rejects %q: %s", e, msg)
			filters[i] = nil
		}
	}

	var pairs, frames, decisions, same, allowed, failed int
	var report []string
	for fi, name := range files {
		w, ts := wl[fi], tsh[fi]
		frames += w.frames
		for i, f := range filters {
			if f == nil {
				continue
			}
			pairs++
			decisions += w.frames
			onlyW, onlyT := diff(w.matches[i], ts.frames[i])
			if len(onlyW) == 0 && len(onlyT) == 0 {
				same++
				continue
			}
			var bad []string
			check := func(nums []int, side string) {
				for _, n := range nums {
					ok := false
					for ri, r := range allowRules {
						if !r.matchesFile(name) {
							continue
						}
						if !r.appliesTo(f.String()) {
							continue
						}
						if r.f != nil && (n >= len(w.allowed) || !w.allowed[n][ri]) {
							continue
						}
						r.hits++
						ok = true
						break
					}
					if ok {
						allowed++
					} else {
						failed++
						bad = append(bad, side+strconv.Itoa(n))
					}
				}
			}
			check(onlyW, "+")
			check(onlyT, "-")
			if len(bad) > 0 {
				if len(bad) > 12 {
					bad = append(bad[:12], fmt.Sprintf("... (%d in all)", len(bad)))
				}
				report = append(report, fmt.Sprintf("%s: %q: %s", name, f.String(), strings.Join(bad, " ")))
			}
		}
	}

	// Check the Lua harness against -Y itself: every third filter (each
	// tshark run costs a quarter second of start-up) on the smallest file
	// where tshark selects something with it.
	type probe struct{ file, filter int }
	var probes []probe
	for i, f := range filters {
		if f == nil || i%3 != 0 {
			continue
		}
		best := -1
		for fi := range files {
			if len(tsh[fi].frames[i]) > 0 && (best < 0 || wl[fi].frames < wl[best].frames) {
				best = fi
			}
		}
		if best >= 0 {
			probes = append(probes, probe{best, i})
		}
	}
	yErrs := make([]string, len(probes))
	parallel(len(probes), func(k int) {
		pr := probes[k]
		got, err := env.runY(filepath.Join(sharedDir, files[pr.file]), hashes[pr.file], tsharkFilters[pr.filter])
		if err != nil {
			yErrs[k] = err.Error()
			return
		}
		if want := tsh[pr.file].frames[pr.filter]; !slices.Equal(got, want) {
			yErrs[k] = fmt.Sprintf("%s: %q: -Y selects %v, the tap harness %v", files[pr.file], tsharkFilters[pr.filter], got, want)
		}
	})
	for _, e := range yErrs {
		if e != "" {
			t.Errorf("tshark harness disagrees with -Y: %s", e)
		}
	}

	t.Logf("tshark (%s) agreement: %d filters x %d files = %d comparisons over %d frames (%d frame decisions)",
		env.version, compiled, len(files), pairs, frames, decisions)
	t.Logf("identical selections: %d/%d; differing frames: %d allowed, %d unexplained; -Y cross-check: %d filters",
		same, pairs, allowed, failed, len(probes))
	for _, r := range allowRules {
		t.Logf("allowed %5d frame differences: %s", r.hits, r.reason)
	}
	var idle []string
	for i, f := range filters {
		if f == nil {
			continue
		}
		n := 0
		for fi := range files {
			n += len(tsh[fi].frames[i])
		}
		if n == 0 {
			idle = append(idle, f.String())
		}
	}
	if len(idle) > 0 {
		t.Logf("filters that select no frame in any file: %s", strings.Join(idle, " | "))
	}
	for _, r := range allowRules {
		if r.hits == 0 {
			// A rule that excuses nothing hides the next regression.
			t.Errorf("allow rule no longer needed, remove it: %s", r.reason)
		}
	}
	for fi, w := range wl {
		if w.err != nil {
			t.Logf("%s: wirelark read %d frames, then: %v", files[fi], w.frames, w.err)
		}
	}
	if len(skipped) > 0 {
		t.Logf("skipped %d filters naming fields not in the registry yet: %s", len(skipped), strings.Join(skipped, " | "))
	}
	for _, r := range report {
		t.Errorf("mismatch (+ wirelark only, - tshark only): %s", r)
	}
}
