#!/usr/bin/env bash
# Runs every test: installs what the tests need when missing (Azurite via npm, Chromium for the
# dashboard's browser test), then `dotnet test` over the solution. The tests start their own
# Azurite and Sandbox on free 127.0.0.1 ports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -x node_modules/.bin/azurite ]]; then
  echo "Installing Azurite (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "Installing Chromium for the dashboard's browser test…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: the dashboard test needs Chromium: sudo apt-get install chromium" >&2
  fi
fi
exec dotnet test FunctionsCrawler.sln "$@"
