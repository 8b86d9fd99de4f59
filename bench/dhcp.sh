#!/usr/bin/env bash
# bench/dhcp.sh: DHCP transaction tracking, wirelark against tshark.
#
# Usage: bench/dhcp.sh [PACKETS...]        (default: 2000000)
#
# From the repository root (wherever it is called from), it
#   1. builds wirelark and wlgen into $OUT,
#   2. generates one capture per size with wlgen (seed 1; the same files
#      as bench/compare.sh, reused with REUSE=1): mixed LAN traffic with
#      DHCP DORAs, see internal/trafficgen,
#   3. on each capture, measures wall time and peak RSS (GNU time -v) of
#        wirelark run dhcp_transactions FILE --format tsv
#        tshark -r FILE -Y dhcp -T fields -e frame.time_epoch -e dhcp.id
#               -e dhcp.option.dhcp -e dhcp.hw.mac_addr -e dhcp.ip.your | awk PAIRING
#      where PAIRING groups the messages into transactions by the same
#      rule (xid and client MAC; closed after 5 s without a message or 30
#      s after the first) and prints one line per transaction,
#   4. prints the table (and appends it to $OUT/dhcp-results.txt), and
#      checks that both find the same transactions (xid, client MAC and
#      message types of each).
# tshark is skipped, with a message, when it is not installed.
#
# Environment: OUT, REPEAT, TSHARK_REPEAT, REUSE, TSHARK as for
# bench/compare.sh.
#
# Needs GNU time as /usr/bin/time (Debian/Ubuntu: apt-get install time),
# Go, and for the comparison tshark (apt-get install tshark).
set -euo pipefail

cd "$(dirname "$0")/.."
NAME=dhcp.sh
TSHARK_REPEAT=${TSHARK_REPEAT:-1}
DEFAULT_SIZES=2000000
source bench/lib.sh

# The pairing step: tshark's fields in, one line per transaction out
# (first time, xid, MAC, assigned address, message types), by the rule
# dhcp_transactions.star follows.
PAIRING='
BEGIN { FS = "\t"; split("DISCOVER OFFER REQUEST DECLINE ACK NAK RELEASE INFORM", name, " ") }
function flush(k) {
	printf "%.6f\t%s\t%s\t%s\n", first[k], k, yi[k], types[k]
	delete first[k]; delete last[k]; delete yi[k]; delete types[k]
}
$3 != "" {
	t = $1 + 0; split($4, mac, ","); k = $2 "\t" mac[1]
	if (k in first && (t - last[k] > 5 || t - first[k] > 30)) flush(k)
	if (!(k in first)) { first[k] = t; types[k] = "" }
	last[k] = t
	split($3, mt, ",")
	types[k] = types[k] (types[k] == "" ? "" : ",") (mt[1] in name ? name[mt[1]] : mt[1])
	if ($5 != "" && $5 != "0.0.0.0") yi[k] = $5
}
END { for (k in first) flush(k) }
'

results=$OUT/dhcp-results.txt
results_header "$results" "wirelark run dhcp_transactions vs tshark -Y dhcp -T fields + awk pairing"

# verdict TSHARK_ROWS: whether both found the same transactions: xid, MAC
# and message types of each.
verdict() {
	grep -v '^#' "$OUT/wirelark.out" | awk -F'\t' '{ print $2 "\t" $3 "\t" $10 }' | sort >"$OUT/wirelark-tx.txt"
	awk -F'\t' '{ print $2 "\t" $3 "\t" $5 }' "$OUT/tshark.out" | sort >"$OUT/tshark-tx.txt"
	if cmp -s "$OUT/wirelark-tx.txt" "$OUT/tshark-tx.txt"; then
		echo "the same $1 transactions (xid, MAC, message types)"
	else
		echo "transactions DIFFER (see $OUT/wirelark-tx.txt, $OUT/tshark-tx.txt)"
	fi
}

table_start 12 9 13 transactions
for n in "${SIZES[@]}"; do
	file=$(capture "$n")
	time_tools "gen-$n" "$n" "$file" dhcp_transactions -Y dhcp -T fields \
		-e frame.time_epoch -e dhcp.id -e dhcp.option.dhcp -e dhcp.hw.mac_addr -e dhcp.ip.your
done

table_print "$results"
