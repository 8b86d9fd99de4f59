# bench/lib.sh: what the benchmark scripts share. Source it from the
# repository root after setting NAME (the script's name, for messages).
#
# Sets OUT (default bench/out), REPEAT (default 3), REUSE (default 0),
# SIZES (the script's arguments, else DEFAULT_SIZES or 300000 2000000) and TSHARK (tshark
# on PATH unless set; empty: none); checks for GNU time; builds wirelark
# and wlgen into $OUT. Its functions time commands (measure, time_tools)
# and print the results table (results_header, table_*).

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

# results_header FILE DESCRIPTION: appends to FILE the lines that say
# when, on what machine and with which tools a results table was made.
results_header() {
	{
		echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
		echo "# $(go version)"
		if [ -n "$TSHARK" ]; then
			echo "# $("$TSHARK" --version 2>/dev/null | head -1)"
		fi
		echo "# $2"
	} >>"$1"
}

# The results table of a script that times wirelark and tshark on
# captures of several sizes: one row per tool and capture, then a ratio
# row. table_start CAPW TOOLW ROWSW ROWSNAME starts one whose capture,
# tool and last columns are CAPW, TOOLW and ROWSW wide, the last one
# (what each tool found) headed ROWSNAME.
table_start() {
	TABLE_CAPW=$1 TABLE_TOOLW=$2 TABLE_ROWSW=$3 TABLE_ROWSNAME=$4
	TABLE_ROWS=()
}

# table_row CAPTURE PACKETS TOOL WALL CPU RSS FOUND: a tool's row from
# measure's WALL, CPU and RSS; with CAPTURE empty it continues the
# capture above and leaves the packet count out.
table_row() {
	local shown=$2
	[ -n "$1" ] || shown=
	TABLE_ROWS+=("$(printf "%-${TABLE_CAPW}s %9s  %-${TABLE_TOOLW}s %9.3f %8s %12s %13s %${TABLE_ROWSW}d" \
		"$1" "$shown" "$3" "$4" "$5" "$(rate "$2" "$4")" "$(mib "$6")" "$7")")
}

# table_note TOOL TEXT: a row of free text, as for a tool skipped.
table_note() {
	TABLE_ROWS+=("$(printf "%-${TABLE_CAPW}s %9s  %-${TABLE_TOOLW}s %s" "" "" "$1" "$2")")
}

# table_skip_tshark: the note for a run without tshark.
table_skip_tshark() {
	table_note tshark "skipped: no tshark (not installed, or TSHARK empty)"
}

# table_ratio TS_WALL WL_WALL TS_RSS WL_RSS VERDICT: the ratio row, how
# much faster wirelark ran and how much more memory tshark took, then
# VERDICT (whether both found the same).
table_ratio() {
	local speed mem
	speed=$(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }')
	mem=$(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.1fx", a / b }')
	table_note ratio "wirelark $speed faster (wall); tshark needs $mem the peak RSS; $5"
}

# table_print FILE: prints the table with its heading and appends it to
# FILE.
table_print() {
	{
		printf "%-${TABLE_CAPW}s %9s  %-${TABLE_TOOLW}s %9s %8s %12s %13s %${TABLE_ROWSW}s\n" \
			capture packets tool "wall s" "cpu s" packets/s "peak RSS MiB" "$TABLE_ROWSNAME"
		printf '%s\n' "${TABLE_ROWS[@]}"
	} | tee -a "$1"
}

# time_tools CAPTURE PACKETS FILE SCRIPT TSHARK_ARGS...: times
#   wirelark run SCRIPT FILE --format tsv
#   tshark -r FILE TSHARK_ARGS... | awk "$PAIRING"
# (tshark TSHARK_REPEAT times) and adds their rows to the table, counting
# what each found: wirelark's TSV rows without the #-lines of its header,
# the lines the pairing prints. With tshark it adds the ratio row, whose
# verdict comes from the calling script's function verdict, called with
# tshark's count once both outputs are in $OUT.
time_tools() {
	local capture=$1 n=$2 file=$3 script=$4 wl_wall wl_rss found
	shift 4
	cat "$file" >/dev/null # into the page cache, for both tools alike

	echo "timing wirelark on $n packets" >&2
	measure wirelark "$REPEAT" "$OUT/wirelark" run "$script" "$file" --format tsv
	wl_wall=$WALL wl_rss=$RSS
	found=$(grep -vc '^#' "$OUT/wirelark.out" || true)
	table_row "$capture" "$n" wirelark "$WALL" "$CPU" "$RSS" "$found"

	if [ -z "$TSHARK" ]; then
		table_skip_tshark
		return
	fi
	echo "timing tshark + awk on $n packets" >&2
	measure tshark "$TSHARK_REPEAT" bash -o pipefail -c '"$1" -r "$2" "${@:4}" | awk "$3"' _ "$TSHARK" "$file" "$PAIRING" "$@"
	found=$(wc -l <"$OUT/tshark.out")
	table_row "" "$n" tshark+awk "$WALL" "$CPU" "$RSS" "$found"
	table_ratio "$WALL" "$wl_wall" "$RSS" "$wl_rss" "$(verdict "$found")"
}
