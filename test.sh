#!/usr/bin/env bash
# Runs every test: installs what the tests need when missing (Azurite via npm; as root, Chromium for the
# dashboard's browser test and tmux for the terminal view's), builds the solution (while npm installs; in the
# configuration a `-c`/`--configuration` among the arguments names), then runs `dotnet test --no-build` over it with
# any arguments given, and prints how long the build and the whole suite took. The tests start their own Azurite and
# Sandbox on free 127.0.0.1 ports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
started=$SECONDS

# Azurite installs (network and disk) while the solution builds (CPU): on a fresh clone that overlaps ~30 s.
npm_pid=
if [[ ! -x node_modules/.bin/azurite ]]; then
  echo "Installing Azurite (npm ci), while the solution builds…"
  npm ci --no-audit --no-fund --loglevel=error &
  npm_pid=$!
  trap '[[ -n "$npm_pid" ]] && kill "$npm_pid" 2>/dev/null; true' EXIT # Ctrl+C or a failed build: no npm left running
fi
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)   # the dashboard's browser test
command -v tmux >/dev/null || missing+=(tmux)        # the terminal view's test, in a tmux pane
if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "Installing ${missing[*]} for the browser and terminal tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: some tests need ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
  fi
fi

configuration=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    -c|--configuration) configuration=(-c "${args[i + 1]:-}") ;;
    -c=*|--configuration=*) configuration=(-c "${args[i]#*=}") ;;
  esac
done

status=0
dotnet build FunctionsCrawler.sln -nologo -v q ${configuration[@]+"${configuration[@]}"} || status=$?
if [[ -n "$npm_pid" ]] && ! wait "$npm_pid"; then echo "test.sh: npm ci failed" >&2; status=1; fi
npm_pid=
printf 'test.sh: built in %dm%02ds\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60))
# The tests start about 40 short-lived .NET processes (hosts, test hosts) on two cores: without the runtime's call
# counting, their methods stay at the first, quick JIT tier instead of being compiled again once hot, which cuts the
# test phase's CPU by about a quarter (docs/performance.md). A test knob of the runtime, for the tests only: the build
# and ./run.sh keep the defaults, and a runtime that ignores it only makes the suite slower, never different.
if (( status == 0 )); then DOTNET_TC_CallCounting=0 dotnet test FunctionsCrawler.sln --no-build "$@" || status=$?; fi
elapsed=$((SECONDS - started))
printf 'test.sh: the suite took %dm%02ds (exit %d)\n' $((elapsed / 60)) $((elapsed % 60)) "$status"
exit "$status"
