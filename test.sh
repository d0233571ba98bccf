#!/usr/bin/env bash
# Runs every test of the repository: builds the solution (warnings are errors) and runs each test
# project. Installs whatever the tests need that the machine lacks (see below).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (see global.json) is required." >&2
  exit 1
fi

# Debian packages the tests start themselves: chromium (browser tests) and redis-server (the Redis
# store and the web farm tests start their own server on a free loopback port).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need Debian's ${missing[*]}: run as root once, or apt-get install ${missing[*]}." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} for the tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test TypedSessions.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed: / {
       gsub(",", "");
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"

if [ "$status" -eq 0 ] && ! grep -qE '(Passed|Failed)! +- +Failed: ' "$log"; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
