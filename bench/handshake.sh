#!/usr/bin/env bash
# bench/handshake.sh: TCP handshake timing with wirelark next to the tshark way.
#
# Usage: bench/handshake.sh [PACKETS...]        (default: 300000 2000000)
#
# With the conventions of bench/compare.sh (OUT, REUSE, REPEAT, TSHARK,
# captures gen-N.pcap made by wlgen with seed 1), on each capture it times
#   wirelark run scripts/tcp_handshake.star FILE
#   tshark -r FILE -Y "tcp.flags.syn==1 || tcp.seq==1 && tcp.ack==1 && tcp.len==0"
#          -T fields -e tcp.stream -e frame.time_epoch -e tcp.flags.syn -e tcp.flags.ack
#     | awk (pairs SYN, SYN-ACK and the first ACK per stream, prints the
#       same handshake rows)
# and prints wall time, packets/s, the ratio and the peak RSS of each
# (GNU time; for tshark+awk the larger of the two processes' peaks is
# tshark's, which is the one reported). It also reports how many
# handshakes each found, and how many are the same in both (stream and
# the three times, to the microsecond). For the memory of wirelark alone on a larger
# capture, skip tshark: TSHARK= REUSE=1 bench/handshake.sh 6000000.
set -euo pipefail

cd "$(dirname "$0")/.."
NAME=handshake.sh
source bench/lib.sh

# The tshark way: SYNs, SYN-ACKs and the handshake's ACK (relative seq and
# ack 1, no payload), paired per stream: the last SYN before the first
# SYN-ACK, then the first ACK after it.
PAIR='
{
	s = $1; t = $2
	syn = $3 == "1" || $3 == "True"; ack = $4 == "1" || $4 == "True"
	if (syn && !ack) { if (!(s in sa)) synt[s] = t; next }
	if (syn && ack) { if (!(s in sa) && (s in synt)) sa[s] = t; next }
	if (ack && (s in sa) && !(s in done)) {
		done[s] = 1
		printf "%s\t%s\t%s\t%s\t%.3f\n", s, synt[s], sa[s], t, (t - synt[s]) * 1000
	}
}'
tshark_way() {
	"$TSHARK" -r "$1" -Y "tcp.flags.syn==1 || (tcp.seq==1 && tcp.ack==1 && tcp.len==0)" \
		-T fields -e tcp.stream -e frame.time_epoch -e tcp.flags.syn -e tcp.flags.ack 2>/dev/null | awk -F'\t' "$PAIR"
}
export -f tshark_way
export TSHARK PAIR



results=$OUT/handshake-results.txt
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  $(go version)" >"$results"
printf '%-10s %9s  %-13s %9s %8s %12s %13s %11s\n' capture packets tool "wall s" "cpu s" packets/s "peak RSS MiB" handshakes | tee -a "$results"
for n in "${SIZES[@]}"; do
	file=$(capture "$n")
	cat "$file" >/dev/null
	measure handshake "$REPEAT" "$OUT/wirelark" run scripts/tcp_handshake.star "$file" --format tsv
	wl_wall=$WALL
	hs=$(awk -F'\t' '/^#path/ { p = $2; next } /^#/ || NF == 0 { next } p == "handshakes" { c++ } END { print c + 0 }' "$OUT/handshake.out")
	printf '%-10s %9d  %-13s %9.3f %8s %12s %13s %11s\n' "gen-$n" "$n" wirelark "$WALL" "$CPU" "$(rate "$n" "$WALL")" "$(mib "$RSS")" "$hs" | tee -a "$results"
	if [ -z "$TSHARK" ]; then
		echo "tshark: skipped (not installed)" | tee -a "$results"
		continue
	fi
	measure handshake-tshark 1 bash -c 'tshark_way "$0"' "$file"
	hs=$(wc -l <"$OUT/handshake-tshark.out")
	printf '%-10s %9s  %-13s %9.3f %8s %12s %13s %11s\n' "" "" "tshark+awk" "$WALL" "$CPU" "$(rate "$n" "$WALL")" "$(mib "$RSS")" "$hs" | tee -a "$results"
	awk -v a="$WALL" -v b="$wl_wall" 'BEGIN { printf "%-10s %9s  ratio: wirelark %.1fx faster (wall)\n", "", "", a / b }' | tee -a "$results"
	# The same handshakes: stream and the three times, to the microsecond.
	same=$(awk -F'\t' '
		function us(t) { return sprintf("%.6f", t) }
		FNR == NR { k[$1 " " us($2) " " us($3) " " us($4)] = 1; next }
		/^#path/ { p = $2; next } /^#/ || NF == 0 || p != "handshakes" { next }
		($1 " " us($4) " " us($5) " " us($6)) in k { c++ } END { print c + 0 }' "$OUT/handshake-tshark.out" "$OUT/handshake.out")
	printf '%-10s %9s  the same (stream, SYN, SYN-ACK and ACK times) in both: %s\n' "" "" "$same" | tee -a "$results"
done
