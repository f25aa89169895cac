#!/usr/bin/env bash
# Time from `./run.sh --sandbox --once --new` (warm build) to the first playlist done in GET /api/status,
# with the moment each start-up step printed its line. Median of N runs (default 3); each run is stopped
# (Ctrl+C) once the first playlist is done.
# Usage: bench/first-row.sh [runs] [extra run.sh options, e.g. --rps 2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"; shift || true
EXTRA=("$@"); [[ ${#EXTRA[@]} -gt 0 ]] || EXTRA=(--rps 2)
cd "$ROOT"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
firsts=()
for ((r = 1; r <= RUNS; r++)); do
  log="$(mktemp)"
  start="$(now)"
  ./run.sh --sandbox --once --new --max-pages 1 "${EXTRA[@]}" \
    > >(while IFS= read -r line; do printf '%s %s\n' "$(since "$start")" "$line"; done >"$log") 2>&1 &
  runsh=$!
  first=""; page=""; id=""
  for _ in $(seq 1200); do
    [[ -n "$id" ]] || id="$(grep -o 'Started crawl [0-9a-f-]*' "$log" | head -1 | cut -d' ' -f3 || true)"
    if [[ -n "$id" ]] && status="$(curl -s --max-time 1 http://127.0.0.1:7071/api/status 2>/dev/null | tr -d ' \n')" &&
       [[ "$status" == *"\"crawlId\":\"$id\""* ]]; then
      [[ -n "$page" || "$status" != *'"pages":{"total":'*',"done":'[1-9]* ]] || page="$(since "$start")"
      done="$(grep -o '"playlists":{"discovered":[0-9]*,"done":[0-9]*' <<<"$status" | grep -o '[0-9]*$' || true)"
      if [[ -n "$done" && "$done" -ge 1 ]]; then first="$(since "$start")"; break; fi
    fi
    sleep 0.05
  done
  # Stop this run: SIGINT to run.sh (it stops the host, the Sandbox and Azurite in order).
  kill -INT "$runsh" 2>/dev/null || true
  wait "$runsh" || true
  sleep 0.5 # the timestamping reader drains
  echo "run $r: first list page done after ${page:-?} s, first playlist done after ${first:-?} s (GET /api/status)"
  grep -E "Building|Azurite started|Using the Azurite|Sandbox site|Started crawl|Resuming|Status:" "$log" | sed 's/^/    /'
  firsts+=("${first:-999}")
  rm -f "$log"
done
printf '%s\n' "${firsts[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median of %d: %.2f s\n", NR, a[int((NR + 1) / 2)] }'
