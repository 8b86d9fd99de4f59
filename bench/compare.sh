#!/usr/bin/env bash
# bench/compare.sh: how fast is `wirelark show -e` next to `tshark -T fields`?
#
# Usage: bench/compare.sh [PACKETS...]        (default: 300000 2000000)
#
# From the repository root (wherever it is called from), it
#   1. builds wirelark and wlgen into $OUT,
#   2. generates one capture per size with wlgen (seed 1): realistic mixed
#      LAN traffic, see internal/trafficgen,
#   3. on each capture, measures wall time and peak RSS (GNU time -v) of
#        wirelark show FILE -e ip.src -e tcp.dstport > /dev/null
#        tshark -r FILE -T fields -e ip.src -e tcp.dstport > /dev/null
#      and prints wall and CPU time, packets/s (by wall time), the speed
#      ratio and peak RSS as a table,
#   4. on the smallest capture, checks that both print the same lines.
# tshark is skipped, with a message, when it is not installed.
#
# Environment:
#   OUT     where binaries, captures and results go (default bench/out,
#           which git ignores); results.txt there keeps the last table
#   REPEAT  runs of wirelark per capture, the fastest kept (default 3);
#           tshark, being slow, runs once unless TSHARK_REPEAT says more
#   REUSE   if 1, keep captures already generated instead of regenerating
#   FIELDS  fields to print (default "ip.src tcp.dstport")
#   TSHARK  tshark to compare with (default: tshark on PATH; empty: none)
#
# Needs GNU time as /usr/bin/time (Debian/Ubuntu: apt-get install time),
# Go, and for the comparison tshark (apt-get install tshark).
set -euo pipefail

cd "$(dirname "$0")/.."
NAME=compare.sh
TSHARK_REPEAT=${TSHARK_REPEAT:-1}
read -r -a FIELDS <<<"${FIELDS:-ip.src tcp.dstport}"
source bench/lib.sh

eargs=()
for f in "${FIELDS[@]}"; do
	eargs+=(-e "$f")
done



results=$OUT/results.txt
{
	echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "# $(go version)"
	if [ -n "$TSHARK" ]; then
		echo "# $("$TSHARK" --version 2>/dev/null | head -1)"
	fi
	echo "# fields: ${FIELDS[*]}"
} >"$results"

table=()
smallest=
for n in "${SIZES[@]}"; do
	file=$(capture "$n")
	if [ -z "$smallest" ] || [ "$n" -lt "${smallest%%:*}" ]; then
		smallest=$n:$file
	fi
	cat "$file" >/dev/null # into the page cache, for both tools alike
	size=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.0f", b / 1048576 }')

	echo "timing wirelark on $n packets" >&2
	measure wirelark "$REPEAT" "$OUT/wirelark" show "$file" "${eargs[@]}"
	wl_wall=$WALL wl_cpu=$CPU wl_rss=$RSS
	wl_rate=$(rate "$n" "$wl_wall")
	table+=("$(printf '%-10s %9d %8d  %-9s %9.3f %8s %12s %13s' "gen-$n" "$n" "$size" wirelark "$wl_wall" "$wl_cpu" "$wl_rate" "$(mib "$wl_rss")")")

	if [ -z "$TSHARK" ]; then
		table+=("$(printf '%-10s %9s %8s  %-9s %s' "" "" "" tshark "skipped: no tshark (not installed, or TSHARK empty)")")
		continue
	fi
	echo "timing tshark on $n packets" >&2
	measure tshark "$TSHARK_REPEAT" "$TSHARK" -r "$file" -T fields "${eargs[@]}"
	ts_wall=$WALL ts_cpu=$CPU ts_rss=$RSS
	ts_rate=$(rate "$n" "$ts_wall")
	table+=("$(printf '%-10s %9s %8s  %-9s %9.3f %8s %12s %13s' "" "" "" tshark "$ts_wall" "$ts_cpu" "$ts_rate" "$(mib "$ts_rss")")")
	speed=$(awk -v a="$ts_wall" -v b="$wl_wall" 'BEGIN { printf "%.1fx", a / b }')
	cpu=$(awk -v a="$ts_cpu" -v b="$wl_cpu" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }')
	mem=$(awk -v a="$ts_rss" -v b="$wl_rss" 'BEGIN { printf "%.1fx", a / b }')
	table+=("$(printf '%-10s %9s %8s  %-9s %s' "" "" "" ratio "wirelark $speed faster (wall), $cpu less CPU; tshark needs $mem the peak RSS")")
done

{
	printf '%-10s %9s %8s  %-9s %9s %8s %12s %13s\n' capture packets "file MiB" tool "wall s" "cpu s" packets/s "peak RSS MiB"
	printf '%s\n' "${table[@]}"
} | tee -a "$results"

# The speed of a tool printing different lines would mean little.
if [ -n "$TSHARK" ]; then
	n=${smallest%%:*} file=${smallest#*:}
	"$OUT/wirelark" show "$file" "${eargs[@]}" >"$OUT/wirelark-$n.txt"
	"$TSHARK" -r "$file" -T fields "${eargs[@]}" >"$OUT/tshark-$n.txt" 2>/dev/null
	if cmp -s "$OUT/wirelark-$n.txt" "$OUT/tshark-$n.txt"; then
		msg="outputs on gen-$n identical"
	else
		lines=$(diff "$OUT/wirelark-$n.txt" "$OUT/tshark-$n.txt" | grep -c '^<' || true)
		first=$(cmp "$OUT/wirelark-$n.txt" "$OUT/tshark-$n.txt" 2>&1 | grep -o 'line [0-9]*' || true)
		msg="outputs on gen-$n DIFFER: $lines lines, first at $first (see $OUT/wirelark-$n.txt, $OUT/tshark-$n.txt)"
	fi
	echo "$msg" | tee -a "$results"
fi
