package ntstatus

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"
)

// sharedDir is the shared capture directory seen from this package.
var sharedDir = filepath.Join("..", "..", "..", "shared")

func TestName(t *testing.T) {
	// Names as tshark 4.0.17 prints them for smb.nt_status / smb2.nt_status.
	tests := []struct {
		code uint32
		want string
	}{
		{0x00000000, "STATUS_SUCCESS"},
		{0x00000103, "STATUS_PENDING"},
		{0x0000010C, "STATUS_NOTIFY_ENUM_DIR"},
		{0x400200AF, "RPC_NT_SEND_INCOMPLETE"},
		{0x80000005, "STATUS_BUFFER_OVERFLOW"},
		{0x80000006, "STATUS_NO_MORE_FILES"},
		{0x80090301, "SEC_E_INVALID_HANDLE"},
		{0xC000000D, "STATUS_INVALID_PARAMETER"},
		{0xC000000F, "STATUS_NO_SUCH_FILE"},
		{0xC0000010, "STATUS_INVALID_DEVICE_REQUEST"},
		{0xC0000011, "STATUS_END_OF_FILE"},
		{0xC0000016, "STATUS_MORE_PROCESSING_REQUIRED"},
		{0xC0000022, "STATUS_ACCESS_DENIED"},
		{0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND"},
		{0xC0000035, "STATUS_OBJECT_NAME_COLLISION"},
		{0xC000003A, "STATUS_OBJECT_PATH_NOT_FOUND"},
		{0xC0000043, "STATUS_SHARING_VIOLATION"},
		{0xC0000056, "STATUS_DELETE_PENDING"},
		{0xC000006D, "STATUS_LOGON_FAILURE"},
		{0xC0000071, "STATUS_PASSWORD_EXPIRED"},
		{0xC00000BA, "STATUS_FILE_IS_A_DIRECTORY"},
		{0xC00000BB, "STATUS_NOT_SUPPORTED"},
		{0xC00000CC, "STATUS_BAD_NETWORK_NAME"},
		{0xC00000E5, "STATUS_INTERNAL_ERROR"},
		{0xC0000120, "STATUS_CANCELLED"},
		{0xC0000128, "STATUS_FILE_CLOSED"},
		{0xC000019C, "STATUS_FS_DRIVER_REQUIRED"},
		{0xC0000203, "STATUS_USER_SESSION_DELETED"},
		{0xC0000225, "STATUS_NOT_FOUND"},
		{0xC0000234, "STATUS_ACCOUNT_LOCKED_OUT"},
		// Unknown codes print as hex, as Wireshark does.
		{0xC0FFEE01, "0xc0ffee01"},
		{0x00000004, "0x00000004"},
	}
	for _, tt := range tests {
		if got := Name(tt.code); got != tt.want {
			t.Errorf("Name(0x%08x) = %q, want %q", tt.code, got, tt.want)
		}
		if known := Known(tt.code); known != !strings.HasPrefix(tt.want, "0x") {
			t.Errorf("Known(0x%08x) = %v", tt.code, known)
		}
	}
}

// TestTableMatchesTshark compares the whole table with the one compiled
// into the installed tshark.
func TestTableMatchesTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	out, err := exec.Command(bin, "-G", "values").Output()
	if err != nil {
		t.Fatalf("tshark -G values: %v", err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 || f[0] != "V" || f[1] != "smb.nt_status" {
			continue
		}
		v, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if got := Name(uint32(v)); got != f[3] {
			t.Errorf("Name(0x%08x) = %q, tshark says %q", v, got, f[3])
		}
	}
	if n != len(names) {
		t.Errorf("tshark knows %d NT status values, the table %d", n, len(names))
	}
	t.Logf("%d names compared with tshark -G values", n)
}

// TestCapturesMatchTshark checks Name against the status names tshark
// prints in its detailed view of the SMB captures.
func TestCapturesMatchTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	files := []string{
		filepath.Join(sharedDir, "captures", "smb1_session.pcap"),
		filepath.Join(sharedDir, "captures", "smb2_session.pcap"),
	}
	corpus, _ := filepath.Glob(filepath.Join(sharedDir, "corpus", "smb", "*"))
	files = append(files, corpus...)
	re := regexp.MustCompile(`NT Status: (\S+) \(0x([0-9a-f]{8})\)`)
	compared, distinct := 0, map[uint32]bool{}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			continue
		}
		cmd := exec.Command(bin, "-n", "-r", f, "-V")
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.Output()
		if err != nil && len(out) == 0 {
			t.Fatalf("tshark -V %s: %v", f, err)
		}
		for _, m := range re.FindAllSubmatch(out, -1) {
			v, _ := strconv.ParseUint(string(m[2]), 16, 32)
			compared++
			distinct[uint32(v)] = true
			if got := Name(uint32(v)); got != string(m[1]) {
				t.Errorf("%s: Name(0x%08x) = %q, tshark shows %q", filepath.Base(f), v, got, m[1])
			}
		}
	}
	if compared == 0 {
		t.Skip("no SMB capture found under " + sharedDir)
	}
	t.Logf("%d status values (%d distinct codes) compared with tshark -V", compared, len(distinct))
}
