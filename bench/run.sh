#!/usr/bin/env bash
# Performance bench: the FunctionsCrawler against Crawlee's CheerioCrawler side by side on the Sandbox site
# (issue 12): wall and steady rows/s, CPU per playlist, peak RSS, storage transactions per playlist, time
# from ./run.sh to the first row, politeness. Installs what is missing, builds, runs, prints one table
# (see docs/performance.md).
#
#   bench/run.sh                 # ~12-15 min: 3 runs of each: ./run.sh to the first row, unthrottled 2 x 25 pages, polite 20 req/s
#   bench/run.sh --repeat 1      # ~5 min: one run of each
#   bench/run.sh --soak          # ~10,000 playlists unthrottled, RSS sampled every 2 s, reports the slope
#   bench/run.sh --soak --whole-site   # ~105,000 playlists: every category of the Sandbox, "all" (30-45 min)
#   bench/run.sh --daily         # the daily refresh (issue 18): day 0 and day 1 through the JSON lists, day 0 through the
#                                # HTML pages, on the whole site at 38 pages (over 1 h on 2 shared cores; --daily-pages 12: ~16 min)
#   bench/run.sh --help          # every option
#
# Everything runs on 127.0.0.1 on free ports: the Sandbox, a fresh in-memory Azurite per crawl (behind a
# counting proxy for the storage figures), the WebJobs host as ./run.sh starts it; the first-row figure runs
# the real ./run.sh under flock /tmp/runsh.lock (ports 7071, 10000-10002). Results go to
# bench/results/ (bench-latest.md / .json, and a dated copy).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
cd "$ROOT"

for arg in "$@"; do [[ "$arg" == "-h" || "$arg" == "--help" ]] && exec node "$BENCH/lib/bench.mjs" --help; done

command -v dotnet >/dev/null || { echo "bench: the .NET 10 SDK is required (dotnet not found)" >&2; exit 1; }
command -v npm >/dev/null || { echo "bench: Node.js 20+ and npm are required" >&2; exit 1; }

if [[ ! -x node_modules/.bin/azurite ]]; then
  echo "Installing Azurite (npm ci at the repo root)…"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
SOAK=0
for arg in "$@"; do [[ "$arg" == "--soak" || "$arg" == "--daily" ]] && SOAK=1; done
if [[ $SOAK == 0 && ! -d "$BENCH/crawlee/node_modules/crawlee" ]]; then
  echo "Installing the reference crawler (npm ci in bench/crawlee)…"
  (cd "$BENCH/crawlee" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

echo "Building (Release)…"
BUILD_LOG="$(mktemp -t fc-bench-build.XXXXXX)"
for project in src/WebJobsHost/WebJobsHost.csproj src/Sandbox/Sandbox.csproj; do
  if ! dotnet build "$project" -c Release -nologo -v q >>"$BUILD_LOG" 2>&1; then
    cat "$BUILD_LOG" >&2; echo "bench: build of $project failed" >&2; exit 1
  fi
done
rm -f "$BUILD_LOG"

echo "Load before the bench: $(uptime)"
exec node "$BENCH/lib/bench.mjs" "$@"
