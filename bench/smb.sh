#!/usr/bin/env bash
# bench/smb.sh: SMB command tracing, wirelark against tshark.
#
# Usage: bench/smb.sh [PACKETS...]        (default: 300000 2000000)
#
# From the repository root (wherever it is called from), it
#   1. builds wirelark and wlgen into $OUT,
#   2. makes one capture per size with wlgen -repeat from the real SMB 3.1.1
#      session ../shared/captures/smb2_session.pcap (copies one after the
#      other, client ports moved so every copy's connections are new;
#      reused with REUSE=1),
#   3. on each capture, measures wall time and peak RSS (GNU time -v) of
#        wirelark run smb_commands FILE --format tsv
#        tshark -r FILE -Y smb2 -T fields -e frame.time_epoch -e tcp.stream
#               -e smb2.cmd -e smb2.msg_id -e smb2.nt_status
#               -e smb2.flags.response | awk PAIRING
#      where PAIRING pairs each final response with its request by
#      connection and message id (interim STATUS_PENDING and
#      MORE_PROCESSING_REQUIRED responses are not rows, as in
#      smb_commands) and prints one line per response with the rtt,
#   4. prints the table (appended to $OUT/smb-results.txt) and checks that
#      both find the same commands, failing (status not success) alike.
# tshark is skipped, with a message, when it is not installed.
#
# Environment: OUT, REPEAT, TSHARK_REPEAT, REUSE, TSHARK as for
# bench/compare.sh; SMB_SOURCE, the real capture to repeat.
set -euo pipefail

cd "$(dirname "$0")/.."
NAME=smb.sh
TSHARK_REPEAT=${TSHARK_REPEAT:-1}
SMB_SOURCE=${SMB_SOURCE:-../shared/captures/smb2_session.pcap}
source bench/lib.sh

if [ ! -s "$SMB_SOURCE" ]; then
	echo "$NAME: $SMB_SOURCE not found (set SMB_SOURCE to a real SMB2 capture)" >&2
	exit 1
fi

# smbcapture N: a capture of N packets repeating $SMB_SOURCE.
smbcapture() {
	local f=$OUT/smb-$1.pcap
	if [ "$REUSE" != 1 ] || [ ! -s "$f" ]; then
		echo "making $1 packets from $SMB_SOURCE" >&2
		"$OUT/wlgen" -n "$1" -repeat "$SMB_SOURCE" -o "$f" -q
	fi
	echo "$f"
}

# The pairing step: tshark's fields in (all occurrences, comma-joined, for
# compounds), one line per final response out: time of the request,
# command number, status, rtt.
PAIRING='
BEGIN { FS = "\t" }
{
	n = split($3, cmd, ","); split($4, id, ","); split($5, st, ","); split($6, rsp, ",")
	for (i = 1; i <= n; i++) {
		k = $2 "/" id[i]
		if (rsp[i] == "0" || rsp[i] == "False") {
			if (!(k in req)) req[k] = $1
			continue
		}
		s = st[i]
		if (s == "0x00000103" || s == "0xc0000016") continue
		t = (k in req) ? req[k] : $1
		printf "%.6f\t%s\t%s\t%.6f\n", t, cmd[i], s, $1 - t
		delete req[k]
	}
}
'

results=$OUT/smb-results.txt
results_header "$results" "wirelark run smb_commands vs tshark -Y smb2 -T fields + awk pairing, on copies of $SMB_SOURCE"

# Zeek's SMB2 command names, by number, to compare the two outputs.
ZEEK_NAMES="NEGOTIATE_PROTOCOL SESSION_SETUP LOGOFF TREE_CONNECT TREE_DISCONNECT CREATE CLOSE FLUSH READ WRITE LOCK IOCTL CANCEL ECHO QUERY_DIRECTORY CHANGE_NOTIFY QUERY_INFO SET_INFO OPLOCK_BREAK"

# verdict TSHARK_ROWS: whether both found the same commands, and the same
# number of them failing (status other than success), per command.
verdict() {
	grep -v '^#' "$OUT/wirelark.out" | awk -F'\t' '{ print $7 "\t" ($10 == "SUCCESS" ? "ok" : "failed") }' | sort | uniq -c >"$OUT/wirelark-cmds.txt"
	awk -F'\t' -v names="$ZEEK_NAMES" 'BEGIN { split(names, z, " ") }
		{ print z[$2 + 1] "\t" ($3 == "0x00000000" ? "ok" : "failed") }' "$OUT/tshark.out" | sort | uniq -c >"$OUT/tshark-cmds.txt"
	if cmp -s "$OUT/wirelark-cmds.txt" "$OUT/tshark-cmds.txt"; then
		echo "the same $1 commands, failing alike"
	else
		echo "commands DIFFER (see $OUT/wirelark-cmds.txt, $OUT/tshark-cmds.txt)"
	fi
}

table_start 14 10 9 rows
for n in "${SIZES[@]}"; do
	file=$(smbcapture "$n")
	time_tools "smb-$n" "$n" "$file" smb_commands -Y smb2 -T fields -E occurrence=a -E aggregator=, \
		-e frame.time_epoch -e tcp.stream -e smb2.cmd -e smb2.msg_id -e smb2.nt_status -e smb2.flags.response
done

table_print "$results"
