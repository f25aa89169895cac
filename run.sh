#!/usr/bin/env bash
# FunctionsCrawler: run a crawl locally (Azurite + the WebJobs host), watch it, export it.
# Usage: ./run.sh [--sandbox] [--category NAME]... [--max-pages N] [--rps R] [--base-url URL]
#                 [--hosts N] [--new] [--once] [--out DIR] [--sandbox-day N] [--sandbox-arg ARG]...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

usage() {
  cat <<'USAGE'
Usage: ./run.sh [options]
  --sandbox           start the bundled offline stand-in for music.163.com and crawl it
  --category NAME     category to crawl (repeatable; default from local.settings.json: 说唱);
                      all = every category the site's menu lists
  --max-pages N       cap on list pages per category (0 = all)
  --rps R             requests per second to the site (and to the image CDN), across every host
                      (default 2; 10 with --sandbox)
  --hosts N           run N host processes on the same storage, as Azure scales out (default 1);
                      the first serves the routes on 7071, the others share the work and the rate
                      (logs in .azurite/host-2.log …)
  --base-url URL      site root (default https://music.163.com)
  --new               cancel the unfinished crawl(s) of these categories and start afresh
                      (without it: resume the unfinished crawl of the same categories; an
                      unfinished crawl of another set that shares a category stops the run, exit 2)
  --once              exit when the crawl is complete (0 when it completed)
  --out DIR           where exports go (default output/)
  --sandbox-day N     with --sandbox: serve the Sandbox's catalogue as it is N days on (0..3650, default 0:
                      counts grown, tracks and covers changed, playlists new and deleted; same N, same site)
  --sandbox-arg ARG   pass ARG to the Sandbox (e.g. --sandbox-arg --Sandbox:ErrorRate=0.05)
  --requeue-failed    put the unfinished crawl's poison messages back in the queues and resume it
  --storage-log       have Azurite log every storage request in full to .azurite/debug.log (for debugging
                      storage; about 2.4 GB for a whole-site crawl, never rotated: off by default)
USAGE
}

STORAGE_LOG=0; SANDBOX=0; HOSTS=1; NEW=false; ONCE=false; REQUEUE=false; OUT="output"; RPS=""; BASE_URL=""; MAX_PAGES=""; SANDBOX_DAY=""
CATEGORIES=(); SANDBOX_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sandbox) SANDBOX=1 ;;
    --category) CATEGORIES+=("${2:?--category needs a name}"); shift ;;
    --max-pages) MAX_PAGES="${2:?--max-pages needs a number}"; shift ;;
    --rps) RPS="${2:?--rps needs a number}"; shift ;;
    --hosts) HOSTS="${2:?--hosts needs a number}"; shift ;;
    --base-url) BASE_URL="${2:?--base-url needs a URL}"; shift ;;
    --new) NEW=true ;;
    --requeue-failed) REQUEUE=true ;;
    --once) ONCE=true ;;
    --storage-log) STORAGE_LOG=1 ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    --sandbox-day) SANDBOX_DAY="${2:?--sandbox-day needs a number}"; shift ;;
    --sandbox-arg) SANDBOX_ARGS+=("${2:?--sandbox-arg needs a value}"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [[ -n "$MAX_PAGES" && ! "$MAX_PAGES" =~ ^[0-9]+$ ]]; then echo "run.sh: --max-pages must be a whole number ≥ 0, got '$MAX_PAGES'" >&2; exit 2; fi
if [[ ! "$HOSTS" =~ ^[1-9][0-9]*$ || "$HOSTS" -gt 16 ]]; then echo "run.sh: --hosts must be a whole number from 1 to 16, got '$HOSTS'" >&2; exit 2; fi
if [[ -n "$SANDBOX_DAY" ]]; then
  if [[ $SANDBOX != 1 ]]; then echo "run.sh: --sandbox-day needs --sandbox (the real site has only today)" >&2; exit 2; fi
  if [[ ! "$SANDBOX_DAY" =~ ^[0-9]{1,4}$ || "$((10#$SANDBOX_DAY))" -gt 3650 ]]; then echo "run.sh: --sandbox-day must be a whole number from 0 to 3650, got '$SANDBOX_DAY'" >&2; exit 2; fi
  SANDBOX_ARGS+=("--Sandbox:Day=$((10#$SANDBOX_DAY))")
fi

# What this run starts is written to .azurite/run.pids; a run killed with -9 leaves its children
# behind, so the next run stops those leftovers before it starts its own.
PIDFILE="$ROOT/.azurite/run.pids"
mkdir -p "$ROOT/.azurite"
if [[ -f "$PIDFILE" ]]; then
  while read -r pid cmd; do
    if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$cmd"; then
      echo "Stopping $cmd (pid $pid) left by an earlier run"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done <"$PIDFILE"
  rm -f "$PIDFILE"
fi
PIDS=()
remember() { PIDS+=("$1"); echo "$1 $2" >>"$PIDFILE"; }
stop() { # pid seconds: SIGTERM, up to that long to finish, then SIGKILL
  kill "$1" 2>/dev/null || return 0
  local i
  for ((i = 0; i < $2 * 20; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$1" 2>/dev/null; then kill -9 "$1" 2>/dev/null; echo "run.sh: pid $1 did not stop within $2 s; killed it" >&2; fi
  wait "$1" 2>/dev/null || true
}
cleanup() {
  trap '' INT TERM HUP # a second Ctrl+C must not cut the cleanup short
  local i
  # Newest first: the host gives up its leases and in-flight messages while storage is still up (it
  # stops in about a second: cancelled steps are delivered again later), then the Sandbox and Azurite.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}" 3; done
  rm -f "$PIDFILE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# Ctrl+C sends SIGINT to the whole foreground process group. Azurite and the Sandbox get a session of
# their own, so they are not gone before the host is done with them; cleanup stops them in order.
# (The host, a background job of this script, ignores SIGINT; cleanup sends it SIGTERM.)
DETACH=(); command -v setsid >/dev/null && DETACH=(setsid)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port seconds what
  local i
  for ((i = 0; i < $2 * 10; i++)); do port_open "$1" && return 0; sleep 0.1; done
  echo "run.sh: $3 did not start listening on 127.0.0.1:$1 within $2 s" >&2; return 1
}

# 1. What is missing gets installed: Azurite (npm) and the .NET build.
command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK is required (dotnet not found)" >&2; exit 1; }
if [[ ! -x node_modules/.bin/azurite ]]; then
  command -v npm >/dev/null || { echo "run.sh: Node.js and npm are required to install Azurite" >&2; exit 1; }
  echo "Installing Azurite (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

# 2. Storage: Azurite with its data in .azurite/, unless AzureWebJobsStorage names another account. It starts
# now and is waited for after the build, so the two overlap. The Sandbox's crawls get an Azurite of their own
# (data in .azurite/sandbox/, ports 10010-10012): trying the Sandbox first leaves no row in the real dataset.
AZURITE_STARTED=0
AZ_DIR=.azurite AZ_BLOB=10000 AZ_QUEUE=10001 AZ_TABLE=10002
if [[ -z "${AzureWebJobsStorage:-}" || "${AzureWebJobsStorage}" == "UseDevelopmentStorage=true" ]]; then
  if [[ $SANDBOX == 1 ]]; then
    AZ_DIR=.azurite/sandbox AZ_BLOB=10010 AZ_QUEUE=10011 AZ_TABLE=10012
    # Azurite's well-known development account (public, documented; not a secret), on the Sandbox's ports.
    export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZ_BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZ_QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZ_TABLE/devstoreaccount1;"
  fi
  if port_open $AZ_BLOB && port_open $AZ_QUEUE && port_open $AZ_TABLE; then
    echo "Using the Azurite already listening on 127.0.0.1:$AZ_BLOB-$AZ_TABLE"
  else
    mkdir -p "$AZ_DIR"
    # Azurite's request log grows by every storage request (gigabytes for a large crawl): only when asked for.
    AZ_DEBUG=(); [[ $STORAGE_LOG == 1 ]] && AZ_DEBUG=(--debug "$AZ_DIR/debug.log")
    ${DETACH[@]+"${DETACH[@]}"} node_modules/.bin/azurite --silent --location "$AZ_DIR" ${AZ_DEBUG[@]+"${AZ_DEBUG[@]}"} \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      --blobPort $AZ_BLOB --queuePort $AZ_QUEUE --tablePort $AZ_TABLE \
      --skipApiVersionCheck --disableTelemetry >"$AZ_DIR/azurite.log" 2>&1 &
    remember $! azurite
    AZURITE_STARTED=1
  fi
fi

# A build with nothing to do still takes seconds (MSBuild evaluates every project): a project is built only when
# its output is missing or something under src/ (a file, or a folder's list of files) or a props file changed
# since run.sh last built it.
needs_build() { # dll
  local stamp
  stamp="$(dirname "$1")/.run-sh-built"
  [[ -f "$1" && -f "$stamp" ]] || return 0
  [[ -n "$(find src Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune \
           -o -newer "$stamp" -print -quit 2>/dev/null)" ]]
}
build() { # csproj dll
  needs_build "$2" || return 0
  local out="$(dirname "$2")"
  mkdir -p "$out"
  touch "$out/.run-sh-building" # the build's start: a file saved during the build counts as changed next time
  if dotnet build "$1" -c Release -nologo -v q >>/tmp/functions-crawler-build.log 2>&1; then
    mv "$out/.run-sh-building" "$out/.run-sh-built"
  else
    rm -f "$out/.run-sh-building"; return 1
  fi
}
HOST_DLL=src/WebJobsHost/bin/Release/net10.0/FunctionsCrawler.WebJobsHost.dll
SANDBOX_DLL=src/Sandbox/bin/Release/net10.0/FunctionsCrawler.Sandbox.dll
if needs_build "$HOST_DLL" || { [[ $SANDBOX == 1 ]] && needs_build "$SANDBOX_DLL"; }; then
  echo "Building…"
  : >/tmp/functions-crawler-build.log
  if ! build src/WebJobsHost/WebJobsHost.csproj "$HOST_DLL" ||
     { [[ $SANDBOX == 1 ]] && ! build src/Sandbox/Sandbox.csproj "$SANDBOX_DLL"; }; then
    cat /tmp/functions-crawler-build.log >&2; echo "run.sh: build failed" >&2; exit 1
  fi
fi
# 3. The Sandbox, on a free port, when asked for: it starts while Azurite is still starting.
if [[ $SANDBOX == 1 ]]; then
  SANDBOX_PORT=5080
  while port_open "$SANDBOX_PORT"; do SANDBOX_PORT=$((SANDBOX_PORT + 1)); done
  # Its covers come from a host of their own, as the real site's come from its image CDN: paced apart from the pages.
  COVER_PORT=$((SANDBOX_PORT + 1))
  while port_open "$COVER_PORT"; do COVER_PORT=$((COVER_PORT + 1)); done
  ${DETACH[@]+"${DETACH[@]}"} dotnet "$SANDBOX_DLL" --urls "http://127.0.0.1:$SANDBOX_PORT" --Sandbox:CoverPort="$COVER_PORT" \
    ${SANDBOX_ARGS[@]+"${SANDBOX_ARGS[@]}"} >/tmp/functions-crawler-sandbox.log 2>&1 &
  remember $! FunctionsCrawler.Sandbox
fi
if [[ $AZURITE_STARTED == 1 ]]; then
  wait_port $AZ_BLOB 30 Azurite && wait_port $AZ_QUEUE 30 Azurite && wait_port $AZ_TABLE 30 Azurite
  echo "Azurite started (data in $AZ_DIR/)"
fi
if [[ $SANDBOX == 1 ]]; then
  wait_port "$SANDBOX_PORT" 30 "the Sandbox" || { cat /tmp/functions-crawler-sandbox.log >&2; exit 1; }
  echo "Sandbox site on http://127.0.0.1:$SANDBOX_PORT (covers from 127.0.0.1:$COVER_PORT)"
  BASE_URL="${BASE_URL:-http://127.0.0.1:$SANDBOX_PORT}"
  export NetEase__ImageHosts="${NetEase__ImageHosts:-127.0.0.1:$COVER_PORT}"
  RPS="${RPS:-10}"
fi

if port_open 7071; then
  echo "run.sh: port 7071 is taken (another ./run.sh or func start?); stop it first" >&2; exit 1
fi

# 4. The hosts: triggers, routes on http://127.0.0.1:7071, and the crawl's live progress. With --hosts N
# the other N-1 serve the same queues and timers on ports of their own; every host waits its turns on the
# shared schedule in Table storage (NetEase__SharedPacer), so the site sees the rate of one.
[[ -n "$BASE_URL" ]] && export NetEase__BaseUrl="$BASE_URL"
[[ -n "$RPS" ]] && export NetEase__RequestsPerSecond="$RPS"
[[ -n "$MAX_PAGES" ]] && export Crawler__MaxPages="$MAX_PAGES"
if [[ ${#CATEGORIES[@]} -gt 0 ]]; then Crawler__Categories="$(IFS=,; echo "${CATEGORIES[*]}")"; export Crawler__Categories; fi
if [[ $HOSTS -gt 1 && "${NetEase__SharedPacer:-true}" == "false" ]]; then
  echo "run.sh: note: NetEase__SharedPacer=false, so each of the $HOSTS hosts keeps the rate on its own: the site sees up to $HOSTS times it" >&2
fi
EXTRA_PORT=7072
for ((h = 2; h <= HOSTS; h++)); do
  while port_open "$EXTRA_PORT"; do EXTRA_PORT=$((EXTRA_PORT + 1)); done
  dotnet "$HOST_DLL" --settings-dir "$ROOT" \
    --Urls "http://127.0.0.1:$EXTRA_PORT" >"$ROOT/.azurite/host-$h.log" 2>&1 &
  remember $! FunctionsCrawler.WebJobsHost
  echo "Host $h of $HOSTS on http://127.0.0.1:$EXTRA_PORT (log in .azurite/host-$h.log)"
  EXTRA_PORT=$((EXTRA_PORT + 1))
done
set +e
dotnet "$HOST_DLL" --settings-dir "$ROOT" \
  --Run:Crawl=true --Run:New="$NEW" --Run:Once="$ONCE" --Run:Out="$OUT" --Run:RequeueFailed="$REQUEUE" &
HOST_PID=$!
remember "$HOST_PID" FunctionsCrawler.WebJobsHost
wait "$HOST_PID"
STATUS=$?
set -e
exit "$STATUS"
