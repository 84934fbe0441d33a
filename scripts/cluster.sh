#!/usr/bin/env bash
# Several nodes on one machine, in one command: a private PostgreSQL, three Presence nodes sharing it (the XMPP
# component held by one of them, the others standing by), HAProxy in front of them, and a local Prosody with demo
# users. Ctrl-C stops all of it. See the README section "Several nodes".
#
#   scripts/cluster.sh [--port 8080] [--nodes 3] [--dir .cluster]
#
# Node i listens on 127.0.0.1:(port+i) and is named node-i; HAProxy listens on 127.0.0.1:port (cookie affinity for the
# dashboard, WebSockets for the hub, health checks on /healthz/ready). Environment: CLUSTER_PG_PORT (port+100),
# PROSODY_C2S_PORT (5222), PROSODY_COMPONENT_PORT (5347), CLUSTER_SECRET (the API's shared token secret; generated
# when unset), CLUSTER_ADMIN_PASSWORD (the dashboard admin's password; generated and printed when unset).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=8080
nodes=3
dir="$repo_root/.cluster"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65400 )) || { echo "cluster.sh: invalid --port '$port'" >&2; exit 2; }
[[ "$nodes" =~ ^[0-9]+$ ]] && (( nodes >= 1 && nodes <= 9 )) || { echo "cluster.sh: invalid --nodes '$nodes' (1 to 9)" >&2; exit 2; }

sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v prosody >/dev/null 2>&1 || missing+=(prosody lua-unbound lua-dbi-sqlite3 prosody-modules)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "cluster.sh: installing ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pg_port="${CLUSTER_PG_PORT:-$((port + 100))}"

export PROSODY_DIR="$dir/prosody"
export PROSODY_C2S_PORT="${PROSODY_C2S_PORT:-5222}"
export PROSODY_COMPONENT_PORT="${PROSODY_COMPONENT_PORT:-5347}"
export PROSODY_COMPONENT_SECRET="${PROSODY_COMPONENT_SECRET:-pubpresence-cluster-secret}"
export PROSODY_USERS="alice bob carol"
export PROSODY_PASSWORD="password"
export PROSODY_PRIVILEGE=1
mkdir -p "$dir/run"
run="$dir/run"
token_secret="${CLUSTER_SECRET:-$(openssl rand -base64 24)}"
if [[ -n "${CLUSTER_ADMIN_PASSWORD:-}" ]]; then
  admin_password="$CLUSTER_ADMIN_PASSWORD"
else
  admin_password="Cluster-$(openssl rand -hex 6)-A1"
fi

# PostgreSQL refuses to run as root: its directory belongs to the postgres user when we are root.
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_dir="$dir/pg"

node_pids=()
haproxy_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo; echo "cluster.sh: stopping"
  for pid in "${node_pids[@]:-}"; do [[ -n "$pid" ]] && kill -TERM -- "-$pid" 2>/dev/null || true; done
  [[ -n "$haproxy_pid" ]] && kill "$haproxy_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  "$repo_root/scripts/prosody.sh" stop >/dev/null 2>&1 || true
  [[ -f "$pg_dir/data/postmaster.pid" ]] && as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

if [[ ! -f "$pg_dir/data/PG_VERSION" ]]; then
  rm -rf "$pg_dir"; mkdir -p "$pg_dir"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pg_dir"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 >"$run/initdb.log" 2>&1 \
    || { cat "$run/initdb.log" >&2; echo "cluster.sh: initdb failed" >&2; exit 1; }
fi
echo "cluster.sh: PostgreSQL on 127.0.0.1:$pg_port ($pg_dir)"
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
  || { tail -n 20 "$pg_dir/log" >&2; echo "cluster.sh: PostgreSQL did not start" >&2; exit 1; }
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=presence"

"$repo_root/scripts/prosody.sh" start

echo "cluster.sh: building the service (log: $run/build.log)"
dotnet build "$repo_root/src/Presence.Web" -v q -nologo >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; exit 1; }

start_node() {
  local i="$1" node_port=$((port + $1))
  (
    cd "$repo_root"
    export ASPNETCORE_ENVIRONMENT=Development
    export Urls="http://127.0.0.1:$node_port"
    export Presence__Database__Provider=Postgres
    export ConnectionStrings__Presence="$connection"
    export Presence__Cluster__NodeName="node-$i"
    export Presence__Xmpp__Enabled=true
    export Presence__Xmpp__Domain=localhost
    export Presence__Xmpp__Host=127.0.0.1
    export Presence__Xmpp__Port="$PROSODY_COMPONENT_PORT"
    export Presence__Xmpp__Secret="$PROSODY_COMPONENT_SECRET"
    export Presence__Tokens__SharedSecret="$token_secret"
    export Presence__Admin__Password="$admin_password"
    exec setsid dotnet run --no-build --no-launch-profile --project src/Presence.Web
  ) >"$run/node-$i.log" 2>&1 &
  node_pids+=($!)
}
# The first node creates the schema; the others start once it answers.
start_node 1
wait_ready() {
  local i="$1" url="http://127.0.0.1:$((port + $1))/healthz/ready"
  for _ in $(seq 1 240); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" == 200 ]] && return 0
    kill -0 "${node_pids[$((i - 1))]}" 2>/dev/null || { tail -n 30 "$run/node-$i.log" >&2; echo "cluster.sh: node-$i exited" >&2; exit 1; }
    sleep 0.5
  done
  tail -n 30 "$run/node-$i.log" >&2; echo "cluster.sh: node-$i is not ready" >&2; exit 1
}
wait_ready 1
for i in $(seq 2 "$nodes"); do start_node "$i"; done
for i in $(seq 2 "$nodes"); do wait_ready "$i"; done

{
  echo "global"
  echo "  maxconn 4096"
  echo "defaults"
  echo "  mode http"
  echo "  timeout connect 2s"
  echo "  timeout client 60s"
  echo "  timeout server 60s"
  echo "  timeout tunnel 1h"
  echo "frontend presence"
  echo "  bind 127.0.0.1:$port"
  echo "  default_backend nodes"
  echo "backend nodes"
  echo "  balance roundrobin"
  echo "  option httpchk GET /healthz/ready"
  echo "  http-check expect status 200"
  echo "  cookie PRESENCE_NODE insert indirect nocache httponly"
  for i in $(seq 1 "$nodes"); do
    echo "  server node-$i 127.0.0.1:$((port + i)) check inter 1s fall 2 rise 2 cookie node-$i"
  done
} >"$dir/haproxy.cfg"
haproxy -f "$dir/haproxy.cfg" -db >"$run/haproxy.log" 2>&1 &
haproxy_pid=$!
for _ in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.25; done

base="http://127.0.0.1:$port"
cat <<INFO

Presence cluster is running: $base (HAProxy) in front of $nodes nodes on PostgreSQL 127.0.0.1:$pg_port
  nodes:      $(for i in $(seq 1 "$nodes"); do printf 'node-%s http://127.0.0.1:%s  ' "$i" "$((port + i))"; done)
  dashboard:  $base/  (user admin, password $admin_password)
  health:     curl -s $base/healthz
  a write:    export Presence__Tokens__SharedSecret='$token_secret'
              TOKEN=\$(dotnet run --project src/Presence.Web -- token alice@localhost)
              curl -X PUT $base/api/v1/presence/alice@localhost/spreed -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' -d '{"status": "busy"}'
  XMPP:       alice, bob, carol @localhost, password 'password', on 127.0.0.1:$PROSODY_C2S_PORT
  logs:       $run/node-*.log, $run/haproxy.log
Try it: kill -9 the node whose /healthz says "xmpp": "Online" and watch another take over. Ctrl-C stops everything.
INFO
wait -n "${node_pids[@]}" "$haproxy_pid" || true
echo "cluster.sh: a process exited; see $run" >&2
