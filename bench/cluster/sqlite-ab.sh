#!/usr/bin/env bash
# Durable compat PUT on SQLite (1,000 users, 64 connections), this build against an earlier one, alternating in two
# rounds in the same run. Usage: bench/cluster/sqlite-ab.sh <earlier Presence.Web.dll> (e.g. a Release build of the
# previous release in a git worktree). Figures go to bench/results/sqlite-ab.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
EARLIER=${1:?usage: bench/cluster/sqlite-ab.sh <earlier Presence.Web.dll>}
dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly
mkdir -p bench/results
TMP=$(mktemp -d)
SECRET=bench-shared-secret-0123456789
export Presence__Tokens__SharedSecret=$SECRET Presence__Tokens__Expiry=01:00:00 Presence__Api__RateLimit__PermitsPerSecond=10000000 Presence__Api__RateLimit__Burst=10000000 Logging__LogLevel__Default=Warning DOTNET_gcServer=1
/usr/bin/python3 - "$SECRET" 1000 >"$TMP/tokens.txt" <<'PY'
import base64, hashlib, hmac, sys, time
secret, n = sys.argv[1].encode(), int(sys.argv[2]); t = int(time.time())
for i in range(n):
    user = f"user{i}@example.com"; msg = f"{t}:{user}"
    print(user, f"{msg}:" + base64.b64encode(hmac.new(secret, msg.encode(), hashlib.sha256).digest()).decode().upper())
PY
export PRESENCE_TOKENS=$TMP/tokens.txt
run() { # label dll
  local dir="$TMP/$1.$RANDOM"; mkdir -p "$dir"; local port=$((20000 + RANDOM % 20000))
  (cd "$dir" && ConnectionStrings__Presence="Data Source=$dir/presence.db" exec dotnet "$2" --urls "http://127.0.0.1:$port" >"$dir/log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz/ready" >/dev/null && break; sleep 0.5; done
  wrk -t2 -c16 -d3s -s bench/cluster/put-users.lua "http://127.0.0.1:$port" >/dev/null
  wrk -t2 -c64 -d15s --latency -s bench/cluster/put-users.lua "http://127.0.0.1:$port" > "$dir/wrk.txt"
  echo "$1: $(awk '/^Requests\/sec/ {print $2}' "$dir/wrk.txt") req/s p50 $(awk '$1=="50%" {print $2}' "$dir/wrk.txt") p99 $(awk '$1=="99%" {print $2}' "$dir/wrk.txt")"
  kill $pid; wait $pid 2>/dev/null || true
}
{
  echo "# SQLite durable compat PUT, 1,000 users, 64 connections, wrk -t2 -d15s ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  for r in 1 2; do
    run earlier "$EARLIER"
    run this "$PWD/src/Presence.Web/bin/Release/net10.0/Presence.Web.dll"
  done
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee bench/results/sqlite-ab.txt
rm -rf "$TMP"
