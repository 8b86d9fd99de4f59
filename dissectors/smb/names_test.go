package smb

import (
	"bufio"
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"
)

func TestNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{CommandName(CmdNegotiate), "NEGOTIATE"},
		{CommandName(CmdSessionSetupAndX), "SESSION_SETUP_ANDX"},
		{CommandName(CmdTreeConnectAndX), "TREE_CONNECT_ANDX"},
		{CommandName(CmdNTCreateAndX), "NT_CREATE_ANDX"},
		{CommandName(CmdTransaction2), "TRANSACTION2"},
		{CommandName(CmdTransaction2Secondary), "TRANSACTION2_SECONDARY"},
		{CommandName(0xFE), "unknown-254"},
		{CommandDisplayName(CmdNegotiate), "Negotiate Protocol"},
		{CommandDisplayName(CmdSessionSetupAndX), "Session Setup AndX"},
		{CommandDisplayName(CmdTreeConnectAndX), "Tree Connect AndX"},
		{CommandDisplayName(CmdNTCreateAndX), "NT Create AndX"},
		{CommandDisplayName(CmdTransaction2), "Trans2"},
		{CommandDisplayName(0x15), "unknown-0x15"},
		{CommandDisplayName(0xF0), "Unknown (0xf0)"},
		{Trans2Name(Trans2FindFirst2), "FIND_FIRST2"},
		{Trans2Name(Trans2QueryFSInfo), "QUERY_FS_INFORMATION"},
		{Trans2Name(Trans2GetDFSReferral), "GET_DFS_REFERRAL"},
		{Trans2Name(0x20), "unknown-trans2-sub-cmd-32"},
		{Trans2DisplayName(Trans2QueryFSInfo), "QUERY_FS_INFO"},
		{TransName(0x26), "TRANSACT_NMPIPE"},
		{NTTransactName(NTTransNotify), "NOTIFY_CHANGE"},
		{NTTransactDisplayName(NTTransIoctl), "NT IOCTL"},
		{RAPName(104), "NetServerEnum2"},
		{InfoLevelName(Trans2QueryFSInfo, 0x3ef), "Query Full FS Size Info"},
		{InfoLevelName(Trans2FindFirst2, 0x104), "Find File Both Directory Info"},
		{InfoLevelName(Trans2QueryFileInfo, 0x107), "Query File All Info"},
		{InfoLevelName(Trans2GetDFSReferral, 3), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestDisplayNamesMatchTshark compares the generated Wireshark tables
// with the installed tshark.
func TestDisplayNamesMatchTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	out, err := exec.Command(bin, "-G", "values").Output()
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]map[uint16]string{
		"smb.cmd": wsCommands, "smb.trans2.cmd": wsTrans2, "smb.nt.function": wsNTTransact,
		"smb.ff2_loi": wsFindLevels, "smb.qfsi_loi": wsQueryFSLevels, "smb.sfsi_loi": wsSetFSLevels,
		"smb.qpi_loi": wsQueryPathLevels, "smb.spi_loi": wsSetPathLevels,
	}
	seen := map[string]map[uint64]bool{}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 || f[0] != "V" || tables[f[1]] == nil {
			continue
		}
		v, err := strconv.ParseUint(f[2], 0, 16)
		if err != nil {
			t.Fatal(err)
		}
		if seen[f[1]] == nil {
			seen[f[1]] = map[uint64]bool{}
		}
		if seen[f[1]][v] {
			continue // a field registered twice lists its values twice
		}
		seen[f[1]][v] = true
		n++
		if got := tables[f[1]][uint16(v)]; got != f[3] {
			t.Errorf("%s %#x: %q, tshark %q", f[1], v, got, f[3])
		}
	}
	t.Logf("%d names compared with tshark -G values", n)
}
