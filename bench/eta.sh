#!/usr/bin/env bash
# How true the ETA is: crawls the Sandbox with ./run.sh (说唱 + 华语) at each rate given, reads
# GET /api/status twice a second, and prints the ETA read half-way (the first read with half the playlists finished)
# against the time the crawl really took from there. Usage: [PAGES=N] bench/eta.sh [RPS ...] (default: 2 20);
# PAGES (default 3) is the Sandbox's pages per category: at 20 req/s a crawl of 3 pages lasts seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rates=("$@"); [[ ${#rates[@]} -gt 0 ]] || rates=(2 20)
for rps in "${rates[@]}"; do
  log=$(mktemp)
  ./run.sh --sandbox --new --once --category 说唱 --category 华语 --rps "$rps" --sandbox-arg "--Sandbox:PagesPerCategory=${PAGES:-3}" \
    --out "$(mktemp -d)" >/dev/null 2>&1 &
  run=$!
  while kill -0 "$run" 2>/dev/null; do
    echo "$(date +%s.%N) $(curl -s --max-time 1 http://127.0.0.1:7071/api/status | tr -d '\n' || true)" >>"$log"
    sleep 0.5
  done
  wait "$run" || { echo "run.sh at $rps req/s failed" >&2; exit 1; }
  python3 - "$log" "$rps" <<'PY'
import json, sys
reads = []
for line in open(sys.argv[1], encoding="utf-8"):
    at, _, body = line.strip().partition(" ")
    try: s = json.loads(body)
    except ValueError: continue
    if isinstance(s, dict) and "state" in s: reads.append((float(at), s))
crawl = reads[-1][1]["crawlId"]  # this run's crawl: the reads before it started show the one before
reads = [(at, s) for at, s in reads if s["crawlId"] == crawl]
end = next(at for at, s in reads if s["state"] == "completed")
final = next(s for at, s in reads if s["state"] == "completed")
total = final["playlists"]["discovered"]
def finished(s): return s["playlists"]["done"] + s["playlists"]["skipped"] + s["playlists"]["failed"]
at, half = next((at, s) for at, s in reads if finished(s) >= total / 2)
left = end - at
eta = half["etaSeconds"]
print(f"{sys.argv[2]:>5} req/s: {total} playlists; half-way ETA {eta} s, really {left:.1f} s left: {100 * (eta - left) / left:+.0f} %")
PY
done
