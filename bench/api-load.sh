#!/usr/bin/env bash
# HTTP API load test (issue 2 performance goals), Release build on loopback, measured with wrk:
#   1. compat single-user GET /presence vs a bare minimal-API endpoint returning a constant JSON object,
#      side by side in the same run (goal: ratio >= 0.5);
#   2. compat PUT with durable history at 64 connections (goal: >= 5,000 req/s, p99 < 50 ms).
# Figures go to bench/results/api.txt. Usage: bench/api-load.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-15}
CONNECTIONS=64
THREADS=2
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
OUT=$RESULTS/api.txt

command -v wrk >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wrk; }

dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly
dotnet build -c Release bench/BareApi -nologo -v q -clp:ErrorsOnly

TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
APP_PORT=$(free_port)
BARE_PORT=$(free_port)
SECRET=bench-shared-secret-0123456789
export Presence__Tokens__SharedSecret=$SECRET
export Presence__Tokens__Expiry=01:00:00
export Presence__Api__RateLimit__PermitsPerSecond=10000000
export Presence__Api__RateLimit__Burst=10000000
export ConnectionStrings__Presence="Data Source=$TMP/presence.db"
export Logging__LogLevel__Default=Warning
export DOTNET_gcServer=1

APP_DLL=$ROOT/src/Presence.Web/bin/Release/net10.0/Presence.Web.dll
BARE_DLL=$ROOT/bench/BareApi/bin/Release/net10.0/BareApi.dll
(cd "$TMP" && exec dotnet "$APP_DLL" --urls "http://127.0.0.1:$APP_PORT" >"$TMP/app.log" 2>&1) &
PIDS+=($!)
(cd "$TMP" && exec dotnet "$BARE_DLL" --urls "http://127.0.0.1:$BARE_PORT" >"$TMP/bare.log" 2>&1) &
PIDS+=($!)
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$APP_PORT/healthz" >/dev/null && curl -sf "http://127.0.0.1:$BARE_PORT/" >/dev/null && break
  sleep 0.5
done

export PRESENCE_USER=bench@example.com
export PRESENCE_TOKEN=$(cd "$TMP" && dotnet "$APP_DLL" token "$PRESENCE_USER")
curl -sf -X PUT "http://127.0.0.1:$APP_PORT/presence" -d "{\"AuthenticationToken\":\"$PRESENCE_TOKEN\",\"Type\":\"UserStatus\",\"UserStatus\":[{\"user_id\":\"$PRESENCE_USER\",\"spreed\":{\"status\":\"available\",\"message\":\"bench\"}}]}"

run_wrk() { wrk -t$THREADS -c$CONNECTIONS -d"${DURATION}s" --latency "$@"; }
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
p50() { awk '$1=="50%" {print $2}' "$1"; }

echo "warm-up"; wrk -t2 -c16 -d3s -s bench/api-get.lua "http://127.0.0.1:$APP_PORT" >/dev/null; wrk -t2 -c16 -d3s "http://127.0.0.1:$BARE_PORT/" >/dev/null
# The machine is shared, so bare and compat GET alternate in ROUNDS short rounds; the median of each is reported.
ROUNDS=${ROUNDS:-3}
RATIOS=()
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: bare minimal API"; run_wrk "http://127.0.0.1:$BARE_PORT/" | tee "$TMP/bare.$r.txt"
  echo "round $r: compat GET";       run_wrk -s bench/api-get.lua "http://127.0.0.1:$APP_PORT" | tee "$TMP/get.$r.txt"
  RATIOS+=("$(/usr/bin/python3 -c "print(f'{$(rps "$TMP/get.$r.txt")/$(rps "$TMP/bare.$r.txt"):.2f}')")")
done
median_file() { # the round whose req/s is the median
  for r in $(seq 1 "$ROUNDS"); do echo "$(rps "$TMP/$1.$r.txt") $TMP/$1.$r.txt"; done | sort -n | awk -v n="$ROUNDS" 'NR==int((n+1)/2) {print $2}'
}
cp "$(median_file bare)" "$TMP/bare.txt"; cp "$(median_file get)" "$TMP/get.txt"
ROWS_BEFORE=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from History').fetchone()[0])" "$TMP/presence.db")
echo "compat PUT";        wrk -t$THREADS -c$CONNECTIONS -d"$((DURATION * 2))s" --latency -s bench/api-put.lua "http://127.0.0.1:$APP_PORT" | tee "$TMP/put.txt"
ROWS_AFTER=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from History').fetchone()[0])" "$TMP/presence.db")
PUTS=$(awk '/requests in/ {print $1}' "$TMP/put.txt")

BARE=$(rps "$TMP/bare.txt"); GET=$(rps "$TMP/get.txt"); PUT=$(rps "$TMP/put.txt")
RATIO=$(/usr/bin/python3 -c "print(f'{$GET/$BARE:.2f}')")
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# API load ($(date -u +%Y-%m-%dT%H:%M:%SZ)), Release build, loopback, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  echo "load average at the end: $LOAD (other work on the machine competes for the same cores)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, shared with other work"
  echo "bare minimal API GET:      $BARE req/s  p50 $(p50 "$TMP/bare.txt")  p99 $(p99 "$TMP/bare.txt")"
  echo "compat GET /presence:      $GET req/s  p50 $(p50 "$TMP/get.txt")  p99 $(p99 "$TMP/get.txt")"
  echo "ratio compat GET / bare:   $RATIO of the medians; per round: ${RATIOS[*]}   (goal >= 0.5)"
  echo "compat PUT /presence:      $PUT req/s  p50 $(p50 "$TMP/put.txt")  p99 $(p99 "$TMP/put.txt")   (goal >= 5000 req/s, p99 < 50ms)"
  echo "PUT requests: $PUTS, history rows committed during the PUT run: $((ROWS_AFTER - ROWS_BEFORE))"
  grep -h "non-2xx" "$TMP/put.txt" || true
} | tee "$OUT"
