# bench/lib.sh: what the benchmark scripts share. Source it from the
# repository root after setting NAME (the script's name, for messages).
#
# Sets OUT (default bench/out), REPEAT (default 3), REUSE (default 0),
# SIZES (the script's arguments, else DEFAULT_SIZES or 300000 2000000) and TSHARK (tshark
# on PATH unless set; empty: none); checks for GNU time; builds wirelark
# and wlgen into $OUT.

OUT=${OUT:-bench/out}
REPEAT=${REPEAT:-3}
REUSE=${REUSE:-0}
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then
	read -r -a SIZES <<<"${DEFAULT_SIZES:-300000 2000000}"
fi
if ! /usr/bin/time -v true >/dev/null 2>&1; then
	echo "$NAME: GNU time is needed as /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2
	exit 1
fi
if [ -z "${TSHARK+set}" ]; then
	TSHARK=$(command -v tshark || true)
fi

mkdir -p "$OUT"
echo "building wirelark and wlgen into $OUT" >&2
go build -o "$OUT/wirelark" ./cmd/wirelark
go build -o "$OUT/wlgen" ./cmd/wlgen

# capture N: the path of a generated capture of N packets (seed 1),
# generated unless REUSE=1 finds it already there.
capture() {
	local f=$OUT/gen-$1.pcap
	if [ "$REUSE" != 1 ] || [ ! -s "$f" ]; then
		echo "generating $1 packets" >&2
		"$OUT/wlgen" -n "$1" -seed 1 -o "$f" -q
	fi
	echo "$f"
}

# measure LABEL TIMES CMD...: runs CMD TIMES times, its output to
# $OUT/LABEL.out, and sets, for the fastest run, WALL (seconds), CPU (user
# + system seconds) and RSS (peak resident set, KiB).
measure() {
	local label=$1 times=$2
	shift 2
	WALL= CPU= RSS=
	local i start end w
	for ((i = 0; i < times; i++)); do
		start=$EPOCHREALTIME
		if ! /usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/$label.out" 2>"$OUT/$label.stderr"; then
			echo "$NAME: $label failed:" >&2
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
