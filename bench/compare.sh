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
OUT=${OUT:-bench/out}
REPEAT=${REPEAT:-3}
TSHARK_REPEAT=${TSHARK_REPEAT:-1}
REUSE=${REUSE:-0}
read -r -a FIELDS <<<"${FIELDS:-ip.src tcp.dstport}"
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then
	SIZES=(300000 2000000)
fi

if ! /usr/bin/time -v true >/dev/null 2>&1; then
	echo "compare.sh: GNU time is needed as /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2
	exit 1
fi
if [ -z "${TSHARK+set}" ]; then
	TSHARK=$(command -v tshark || true)
fi

mkdir -p "$OUT"
echo "building wirelark and wlgen into $OUT" >&2
go build -o "$OUT/wirelark" ./cmd/wirelark
go build -o "$OUT/wlgen" ./cmd/wlgen

eargs=()
for f in "${FIELDS[@]}"; do
	eargs+=(-e "$f")
done

# measure LABEL TIMES CMD...: runs CMD with output to /dev/null TIMES times
# and sets, for the fastest run, WALL (seconds), CPU (user + system
# seconds) and RSS (peak resident set, KiB).
measure() {
	local label=$1 times=$2
	shift 2
	WALL= CPU= RSS=
	local i start end w
	for ((i = 0; i < times; i++)); do
		start=$EPOCHREALTIME
		if ! /usr/bin/time -v -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/$label.stderr"; then
			echo "compare.sh: $label failed:" >&2
			tail -5 "$OUT/$label.stderr" >&2
			return 1
		fi
		end=$EPOCHREALTIME
		w=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
		if [ -z "$WALL" ] || awk -v a="$w" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then
			WALL=$w
			CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$OUT/time.txt")
			RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time.txt")
		fi
	done
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

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
	file=$OUT/gen-$n.pcap
	if [ "$REUSE" != 1 ] || [ ! -s "$file" ]; then
		echo "generating $file" >&2
		"$OUT/wlgen" -q -n "$n" -seed 1 -o "$file"
	fi
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
