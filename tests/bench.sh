#!/usr/bin/env bash
# Speed and memory of the release binary, measured by hand (never as a timed test: machines are
# shared and noisy). Prints one-shot wall time, batch throughput in text and jsonl (on generated
# lines that repeat, on the corpora, where every line differs, and on a long input of new lines
# made from them), peak memory for growing inputs, which must stay flat, and the time for single
# lines of growing length, which must grow in step with it, with the memory of lines longer than
# --max-line-bytes, which must stay near the limit.
#
#   tests/bench.sh            # 1,000,000 thoughts for throughput; 10 MB / 100 MB / 1 GB for memory
#   LINES=200000 NEW=100000 SIZES="10 100" LONG="0.8 1.6" tests/bench.sh   # quicker
#   BIN=/path/to/other/reframe tests/bench.sh    # measure another build the same way
#
# Uses hyperfine and GNU time when present (Debian packages `hyperfine` and `time`).
set -euo pipefail
cd "$(dirname "$0")/.."

LINES=${LINES:-1000000}
SIZES=${SIZES:-"10 100 1000"}
NEW=${NEW:-300000}
LONG=${LONG:-"0.8 1.6 3.2 6.4 12.8"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  cargo build --release --quiet
  bin=target/release/reframe
fi

# Realistic thoughts: everyday rejection language (some distorted, some neutral), with varied
# people, places and endings so that no line repeats the same bytes too often. A fixed seed makes
# the file the same on every run.
generate() {
  awk -v n="$1" 'BEGIN {
    srand(7);
    split("she|he|my boss|my friend|the recruiter|my sister|my ex|the team|my manager|they", who, "|");
    split("at work|after the interview|last night|on the date|at the party|in the meeting|this week|on the call|today|at dinner", when, "|");
    d[1]  = "I will never be good enough for WHO";
    d[2]  = "Nobody ever picks me WHEN";
    d[3]  = "WHO has not replied, so WHO must be done with me";
    d[4]  = "I am such an idiot for what I said WHEN";
    d[5]  = "I should be over this by now";
    d[6]  = "Everyone else is moving on and I am stuck";
    d[7]  = "WHO only said nice things to be polite";
    d[8]  = "It is all my fault that WHO left";
    d[9]  = "I feel like a burden, so I must be one";
    d[10] = "My career is over after what happened WHEN";
    d[11] = "I always ruin everything WHEN";
    d[12] = "WHO thinks I am boring";
    n_d = 12;
    u[1] = "I talked to WHO WHEN and it went fine";
    u[2] = "I am sad that WHO left, and I miss the dinners";
    u[3] = "The meeting with WHO moved to Thursday";
    u[4] = "I did not get the job and I am disappointed";
    u[5] = "I went for a walk WHEN and called my mother";
    u[6] = "WHO sent me the notes from the call";
    u[7] = "I am tired today and want an early night";
    u[8] = "We are planning a trip with WHO next month";
    n_u = 8;
    for (i = 0; i < n; i++) {
      if (rand() < 0.6) t = d[int(rand() * n_d) + 1]; else t = u[int(rand() * n_u) + 1];
      gsub(/WHO/, who[int(rand() * 10) + 1], t);
      gsub(/WHEN/, when[int(rand() * 10) + 1], t);
      print t;
    }
  }'
}

echo "== one-shot wall time (full built-in set)"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 20 --runs 200 -N --export-json "$work/oneshot.json" \
    "$bin \"I'll never be good enough\"" 2>/dev/null | grep -E "Time|Range"
else
  start=$(date +%s%N); for _ in $(seq 100); do "$bin" "I'll never be good enough" >/dev/null; done
  echo "mean $(( ($(date +%s%N) - start) / 100000 )) us over 100 runs"
fi

echo "== batch throughput ($LINES thoughts)"
generate "$LINES" > "$work/thoughts.txt"
bytes=$(stat -c %s "$work/thoughts.txt")
for format in text jsonl; do
  best=""
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "$bin" -f "$work/thoughts.txt" --format "$format" > /dev/null
    ns=$(( $(date +%s%N) - start ))
    if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
  done
  awk -v ns="$best" -v lines="$LINES" -v bytes="$bytes" -v f="$format" 'BEGIN {
    s = ns / 1e9; printf "%-5s best of 3: %.2f s, %.0f thoughts/s, %.1f MB/s in\n", f, s, lines / s, bytes / s / 1e6 }'
done

echo "== batch throughput on the project's corpora (every line different)"
# The generated file repeats a few thousand distinct lines, so the lazy DFA soon has every state
# it needs. Text where every line is new (a real journal) keeps building states; this measures
# that case on the corpora under tests/data/.
{ grep -v '^#' tests/data/neutral.txt; grep -v '^#' tests/data/distorted.txt | sed 's/^[^|]*| //'; } \
  | grep -v '^$' > "$work/corpora.txt"
lines=$(wc -l < "$work/corpora.txt")
best=""
for _ in 1 2 3; do
  start=$(date +%s%N)
  "$bin" -f "$work/corpora.txt" --format jsonl > /dev/null
  ns=$(( $(date +%s%N) - start ))
  if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
done
awk -v ns="$best" -v lines="$lines" 'BEGIN {
  s = ns / 1e9; printf "jsonl best of 3: %.2f s, %.0f thoughts/s (%d lines)\n", s, lines / s, lines }'

echo "== batch throughput on $NEW new lines (one to three corpus lines joined at random)"
# The corpora are too short to measure a long batch: their time is mostly compiling each
# expression once. Joining their lines at random gives a long input that hardly repeats.
awk -v n="$NEW" 'BEGIN { srand(7) } { line[NR] = $0 } END {
  for (i = 0; i < n; i++) {
    k = 1 + i % 3; out = ""
    for (j = 0; j < k; j++) out = out (j ? " " : "") line[1 + int(rand() * NR)]
    print out } }' "$work/corpora.txt" > "$work/new.txt"
bytes=$(stat -c %s "$work/new.txt")
start=$(date +%s%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" -f "$work/new.txt" --format jsonl > /dev/null
else
  "$bin" -f "$work/new.txt" --format jsonl > /dev/null
fi
ns=$(( $(date +%s%N) - start ))
awk -v ns="$ns" -v lines="$NEW" -v bytes="$bytes" 'BEGIN {
  s = ns / 1e9; printf "jsonl: %.2f s, %.0f thoughts/s, %.1f MB/s in\n", s, lines / s, bytes / s / 1e6 }'
if [ -f "$work/rss" ]; then echo "peak RSS $(cat "$work/rss") KB"; fi

echo "== peak memory (jsonl), which must not grow with the input"
for mb in $SIZES; do
  target=$(( mb * 1000000 ))
  : > "$work/big.txt"
  # Repeat the generated file up to the size wanted.
  while [ "$(stat -c %s "$work/big.txt")" -lt "$target" ]; do cat "$work/thoughts.txt" >> "$work/big.txt"; done
  head -c "$target" "$work/big.txt" > "$work/sized.txt"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" -f "$work/sized.txt" --format jsonl > /dev/null
    printf "%5s MB input: peak RSS %s KB\n" "$mb" "$(cat "$work/rss")"
  fi
done
rm -f "$work/big.txt" "$work/sized.txt"

echo "== single long lines (jsonl, --max-line-bytes raised): time must grow in step with length"
# One line of a sentence with a match, repeated: every match once cost the length of the line
# before it, so time grew with the square of the length.
long_line() {
  awk -v n="$1" 'BEGIN { s = "I always fail. "; while (length(s) < n) s = s s; print substr(s, 1, n) }'
}
for mb in $LONG; do
  bytes=$(awk -v mb="$mb" 'BEGIN { printf "%d", mb * 1000000 }')
  long_line "$bytes" > "$work/long.txt"
  start=$(date +%s%N)
  "$bin" --max-line-bytes 20000000 -f "$work/long.txt" --format jsonl > /dev/null
  awk -v ns="$(( $(date +%s%N) - start ))" -v mb="$mb" 'BEGIN { printf "%5s MB line: %.2f s\n", mb, ns / 1e9 }'
done

echo "== peak memory of lines over --max-line-bytes (default 1 MiB), which must stay near it"
if [ -x /usr/bin/time ]; then
  long_line 20000000 > "$work/long.txt"
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" -f "$work/long.txt" --format jsonl > /dev/null 2>&1 || true
  echo "20 MB line: peak RSS $(tail -1 "$work/rss") KB"
  # No line break ever: the one line is reported at once and read until the timeout stops it.
  /usr/bin/time -f "%M" -o "$work/rss" timeout 10 "$bin" -f /dev/zero > /dev/null 2>&1 || true
  echo "-f /dev/zero for 10 s: peak RSS $(tail -1 "$work/rss") KB"
fi
rm -f "$work/long.txt"
