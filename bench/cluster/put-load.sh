#!/usr/bin/env bash
# Durable compat PUT, 1,000 users, 64 connections (issue "Several nodes", performance): SQLite single node, PostgreSQL
# single node and three PostgreSQL nodes behind HAProxy, in one run, Release build, loopback, PostgreSQL with fsync on.
# Figures go to bench/results/cluster-put.txt. Usage: bench/cluster/put-load.sh [duration-seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${1:-20}
CONNECTIONS=64
USERS=1000
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
OUT=$RESULTS/cluster-put.txt
for tool in wrk haproxy; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y --no-install-recommends $tool; }; done
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly
TMP=$(mktemp -d)
chmod 755 "$TMP"
PIDS=()
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -f "$TMP/pg/data/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$TMP/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

SECRET=bench-shared-secret-0123456789
export Presence__Tokens__SharedSecret=$SECRET
export Presence__Tokens__Expiry=01:00:00
export Presence__Api__RateLimit__PermitsPerSecond=10000000
export Presence__Api__RateLimit__Burst=10000000
export Logging__LogLevel__Default=Warning
export DOTNET_gcServer=1
APP_DLL=$ROOT/src/Presence.Web/bin/Release/net10.0/Presence.Web.dll
/usr/bin/python3 - "$SECRET" "$USERS" >"$TMP/tokens.txt" <<'PY'
import base64, hashlib, hmac, sys, time
secret, n = sys.argv[1].encode(), int(sys.argv[2])
t = int(time.time())
for i in range(n):
    user = f"user{i}@example.com"
    msg = f"{t}:{user}"
    mac = base64.b64encode(hmac.new(secret, msg.encode(), hashlib.sha256).digest()).decode().upper()
    print(user, f"{msg}:{mac}")
PY
export PRESENCE_TOKENS=$TMP/tokens.txt

mkdir -p "$TMP/pg"; [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$TMP/pg"
PG_PORT=$(free_port)
as_pg "$PG_BIN/initdb" -D "$TMP/pg/data" -A trust -U postgres -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w -o "-p $PG_PORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null

start_node() { # name port provider connection
  local dir="$TMP/$1"; mkdir -p "$dir"
  (cd "$dir" && Presence__Cluster__NodeName=$1 Presence__Database__Provider=$3 ConnectionStrings__Presence="$4" \
     exec dotnet "$APP_DLL" --urls "http://127.0.0.1:$2" >"$dir/log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$2/healthz/ready" >/dev/null && return 0; sleep 0.5; done
  tail -n 20 "$dir/log" >&2; echo "node $1 did not start" >&2; exit 1
}
run_put() { # label url
  wrk -t2 -c16 -d3s -s bench/cluster/put-users.lua "$2" >/dev/null
  echo "$1"; wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency -s bench/cluster/put-users.lua "$2" | tee "$TMP/$1.txt"
}
rps() { awk '/^Requests\/sec/ {print $2}' "$TMP/$1.txt"; }
lat() { awk -v q="$2" '$1==q {print $2}' "$TMP/$1.txt"; }

SQLITE_PORT=$(free_port)
start_node sqlite "$SQLITE_PORT" Sqlite "Data Source=$TMP/sqlite/presence.db"
run_put sqlite "http://127.0.0.1:$SQLITE_PORT"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

PG1_PORT=$(free_port)
start_node pg-single "$PG1_PORT" Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=single"
run_put postgres "http://127.0.0.1:$PG1_PORT"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

NODE_PORTS=()
for i in 1 2 3; do NODE_PORTS+=("$(free_port)"); start_node "node-$i" "${NODE_PORTS[-1]}" Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=cluster"; done
HA_PORT=$(free_port)
{
  echo "defaults"; echo "  mode http"; echo "  timeout connect 2s"; echo "  timeout client 60s"; echo "  timeout server 60s"
  echo "frontend f"; echo "  bind 127.0.0.1:$HA_PORT"; echo "  default_backend nodes"
  echo "backend nodes"; echo "  balance roundrobin"
  for i in 0 1 2; do echo "  server n$i 127.0.0.1:${NODE_PORTS[$i]}"; done
} >"$TMP/haproxy.cfg"
haproxy -f "$TMP/haproxy.cfg" -db >"$TMP/haproxy.log" 2>&1 &
PIDS+=($!)
sleep 1
run_put cluster3 "http://127.0.0.1:$HA_PORT"

SQ=$(rps sqlite); PG=$(rps postgres); CL=$(rps cluster3)
{
  echo "# Durable compat PUT, $USERS users, $CONNECTIONS connections, wrk -t2 -d${DURATION}s ($(date -u +%Y-%m-%dT%H:%M:%SZ)), Release, loopback, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') fsync on"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); machine: $(nproc) cores"
  for r in sqlite postgres cluster3; do echo "$r: $(rps $r) req/s  p50 $(lat $r 50%)  p99 $(lat $r 99%)  $(grep -h non-2xx "$TMP/$r.txt")"; done
  echo "PostgreSQL single node / SQLite: $(/usr/bin/python3 -c "print(f'{$PG/$SQ:.2f}')")   (goal >= 0.8)"
  echo "3 nodes behind HAProxy / SQLite: $(/usr/bin/python3 -c "print(f'{$CL/$SQ:.2f}')")"
} | tee "$OUT"
