#!/usr/bin/env bash
# Durable PUT throughput of each SQLite durability level (Presence:Database:Synchronous=Normal and Full), Release
# build on loopback, measured with wrk against the compat API (every PUT waits for its history commit).
# The database lives on the disk under test: DB_DIR (default: a temporary directory under bench/results/, i.e. the
# repository's disk; do not use a tmpfs, where fsync costs nothing).
# Figures go to bench/results/sqlite-durability.txt. Usage: bench/sqlite-durability.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-20}
CONNECTIONS=${CONNECTIONS:-64}
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
OUT=$RESULTS/sqlite-durability.txt

command -v wrk >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wrk; }
dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly

TMP=$(mktemp -d "${DB_DIR:-$RESULTS}/durability.XXXXXX")
APP_PID=
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export Presence__Tokens__SharedSecret=bench-shared-secret-0123456789
export Presence__Tokens__Expiry=01:00:00
export Presence__Api__RateLimit__PermitsPerSecond=10000000
export Presence__Api__RateLimit__Burst=10000000
export Logging__LogLevel__Default=Warning
export DOTNET_gcServer=1
APP_DLL=$ROOT/src/Presence.Web/bin/Release/net10.0/Presence.Web.dll
export PRESENCE_USER=bench@example.com

declare -A RPS P50 P99 ROWS
for LEVEL in Normal Full; do
  PORT=$(free_port)
  mkdir -p "$TMP/$LEVEL"
  export ConnectionStrings__Presence="Data Source=$TMP/$LEVEL/presence.db"
  export Presence__Database__Synchronous=$LEVEL
  (cd "$TMP/$LEVEL" && exec dotnet "$APP_DLL" --urls "http://127.0.0.1:$PORT" >"$TMP/$LEVEL/app.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$TMP/$LEVEL/app.log"; exit 1; }
  export PRESENCE_TOKEN=$(cd "$TMP/$LEVEL" && dotnet "$APP_DLL" token "$PRESENCE_USER")
  echo "synchronous=$LEVEL: warm-up, then PUT for ${DURATION}s"
  wrk -t2 -c16 -d2s -s bench/api-put.lua "http://127.0.0.1:$PORT" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/api-put.lua "http://127.0.0.1:$PORT" | tee "$TMP/$LEVEL/put.txt"
  RPS[$LEVEL]=$(awk '/^Requests\/sec/ {print $2}' "$TMP/$LEVEL/put.txt")
  P50[$LEVEL]=$(awk '$1=="50%" {print $2}' "$TMP/$LEVEL/put.txt")
  P99[$LEVEL]=$(awk '$1=="99%" {print $2}' "$TMP/$LEVEL/put.txt")
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=
  ROWS[$LEVEL]=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from History').fetchone()[0])" "$TMP/$LEVEL/presence.db")
done

{
  echo "# SQLite durability levels ($(date -u +%Y-%m-%dT%H:%M:%SZ)), Release build, loopback, compat PUT, wrk -t2 -c$CONNECTIONS -d${DURATION}s"
  echo "database directory: $(df -hT "$TMP" | awk 'NR==2 {print $2" on "$7}'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  for LEVEL in Normal Full; do
    printf 'synchronous=%-6s %10s req/s  p50 %8s  p99 %8s  history rows %s\n' "$LEVEL" "${RPS[$LEVEL]}" "${P50[$LEVEL]}" "${P99[$LEVEL]}" "${ROWS[$LEVEL]}"
  done
} | tee "$OUT"
