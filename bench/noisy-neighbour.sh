#!/usr/bin/env bash
# Noisy neighbour (issue 9 §3): do other users' PUT latencies rise while one user hammers the service?
#   1. 64 other users PUT their spreed status (wrk -c4) alone: p50/p99 latency;
#   2. the same while one user hammers with 64 connections (real changes, unknown protocol names, over-long messages);
# with the shipped limits (rate limit per token user, configured protocols, message length).
# Figures go to bench/results/noisy-neighbour.txt. Usage: bench/noisy-neighbour.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-15}
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
OUT=$RESULTS/noisy-neighbour.txt

command -v wrk >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wrk; }
dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly

TMP=$(mktemp -d)
APP_PID=
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SECRET=bench-noisy-neighbour-secret-0123456789
export Presence__Tokens__SharedSecret=$SECRET
export Presence__Tokens__Expiry=01:00:00
export ConnectionStrings__Presence="Data Source=$TMP/presence.db"
export Logging__LogLevel__Default=Warning
export DOTNET_gcServer=1
(cd "$TMP" && exec dotnet "$ROOT/src/Presence.Web/bin/Release/net10.0/Presence.Web.dll" --urls "http://127.0.0.1:$PORT" >"$TMP/app.log" 2>&1) &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done

# Tokens: {t}:{user}:UPPER(base64(HMAC-SHA256(secret, "{t}:{user}"))) (README "Tokens").
tokens() {
  /usr/bin/python3 - "$SECRET" "$@" <<'PY'
import base64, hashlib, hmac, sys, time
secret, users = sys.argv[1], sys.argv[2:]
t = int(time.time())
print(",".join(f"{t}:{u}:" + base64.b64encode(hmac.new(secret.encode(), f"{t}:{u}".encode(), hashlib.sha256).digest()).decode().upper() for u in users))
PY
}
NEIGHBOURS=$(for i in $(seq 1 64); do printf 'neighbour%s@example.com ' "$i"; done)
NEIGHBOUR_USERS=$(echo $NEIGHBOURS | tr ' ' ',')
NEIGHBOUR_TOKENS=$(tokens $NEIGHBOURS)
HAMMER_USER=hammer@example.com
HAMMER_TOKEN=$(tokens $HAMMER_USER)

neighbours() { PRESENCE_USERS=$NEIGHBOUR_USERS PRESENCE_TOKENS=$NEIGHBOUR_TOKENS MODE=normal \
  wrk -t1 -c4 -d"${DURATION}s" --latency -s bench/noisy-neighbour.lua "http://127.0.0.1:$PORT"; }
p50() { awk '$1=="50%" {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }

echo "warm-up"; neighbours >/dev/null
echo "neighbours alone"; neighbours | tee "$TMP/alone.txt"
echo "neighbours while one user hammers"
PRESENCE_USERS=$HAMMER_USER PRESENCE_TOKENS=$HAMMER_TOKEN MODE=hostile \
  wrk -t1 -c64 -d"$((DURATION + 2))s" --latency -s bench/noisy-neighbour.lua "http://127.0.0.1:$PORT" >"$TMP/hammer.txt" &
HAMMER=$!
sleep 1
neighbours | tee "$TMP/during.txt"
wait "$HAMMER"
cat "$TMP/hammer.txt"
RSS=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$APP_PID/status")
HAMMER_GET=$(curl -s -X GET "http://127.0.0.1:$PORT/presence" -H 'Content-Type: application/json' \
  -d "{\"AuthenticationToken\":\"$HAMMER_TOKEN\",\"Type\":\"UserStatus\",\"UserStatus\":[{\"user_id\":\"$HAMMER_USER\"}]}" | wc -c)
{
  echo "# Noisy neighbour ($(date -u +%Y-%m-%dT%H:%M:%SZ)), Release build, loopback, ${DURATION}s per phase"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); machine: $(nproc) cores"
  echo "64 neighbours alone (wrk -c4):        $(rps "$TMP/alone.txt") req/s  p50 $(p50 "$TMP/alone.txt")  p99 $(p99 "$TMP/alone.txt")"
  echo "64 neighbours while one user hammers: $(rps "$TMP/during.txt") req/s  p50 $(p50 "$TMP/during.txt")  p99 $(p99 "$TMP/during.txt")"
  echo "hammering user (wrk -c64, hostile):   $(rps "$TMP/hammer.txt") req/s, $(grep -h non-2xx "$TMP/hammer.txt")"
  echo "hammering user's compat GET afterwards: $HAMMER_GET bytes; service RSS at the end: $RSS"
} | tee "$OUT"
