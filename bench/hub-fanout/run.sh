#!/usr/bin/env bash
# Hub fan-out benchmark (issue 4): 200 @microsoft/signalr clients subscribed to all users while 1,000 presence
# changes/s flow; writes delivered messages/s, p99 delivery latency and the service's memory to bench/results/hub.txt.
#
#   bench/hub-fanout/run.sh [--batched true] [--clients 200] [--rate 1000] [--users 1000] [--seconds 20] ...
#
# The service runs from a Release build on loopback with a temporary SQLite database; changes go through the REST API
# PUT /api/v1/presence/{user}/spreed with a token per user (durable history included, rate limit raised for the run).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${PORT:-5099}"
secret="bench-hub-fanout-shared-secret-0123456789"
command -v node >/dev/null || { echo "node (v20+) is required" >&2; exit 1; }

(cd "$here" && npm ci --no-audit --no-fund --silent)
dotnet build "$root/src/Presence.Web" -c Release -nologo -v q >/dev/null

work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
(
  cd "$work"
  exec env ASPNETCORE_ENVIRONMENT=Production \
    Urls="http://127.0.0.1:$port" \
    ConnectionStrings__Presence="Data Source=$work/presence.db" \
    Presence__Tokens__SharedSecret="$secret" \
    Presence__Api__RateLimit__PermitsPerSecond=10000000 \
    Presence__Api__RateLimit__Burst=10000000 \
    Presence__Tokens__Expiry=01:00:00 \
    Presence__Hub__MaxConnectionsPerUser=1000000 \
    Logging__LogLevel__Default=Warning \
    dotnet "$root/src/Presence.Web/bin/Release/net10.0/Presence.Web.dll"
) >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/hubs/presence/negotiate" -X POST && break
  sleep 0.2
done
# $pid is the subshell that exec'd dotnet, so it is the service's own pid.

json="$(node "$here/fanout.mjs" --url "http://127.0.0.1:$port" --secret "$secret" --pid "$pid" "$@")"
mkdir -p "$root/bench/results"
{
  echo "Hub fan-out benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; service Release build, loopback; clients in Node $(node --version) with @microsoft/signalr 10.0.11 (JSON protocol, WebSockets)"
  echo "$json" | node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const l = (k, v) => console.log(k.padEnd(36) + v);
    l("driver", "PUT /api/v1/presence, durable");
    l("clients (subscribed to all users)", `${r.clients} in ${r.workers} Node processes, ${r.mode}`);
    l("users changing", r.users);
    l("changes/s offered / achieved", `${r.rateOffered} / ${r.changesPerSecond} (PUT ok ${r.putOk}, failed ${r.putFailed}${r.lastPutError ? ", last " + r.lastPutError : ""})`);
    l("measured window", `${r.seconds} s`);
    l("delivered messages/s (all clients)", r.deliveredPerSecond);
    l("delivered per client per s", r.deliveredPerClientPerSecond);
    l("delivery latency p50/p90/p99/max", `${r.latencyMs.p50} / ${r.latencyMs.p90} / ${r.latencyMs.p99} / ${r.latencyMs.max} ms`);
    l("CPU service / clients / driver", `${r.cpuCores.service} / ${r.cpuCores.clients} / ${r.cpuCores.driver} cores`);
    l("load average at end (1/5/15 min)", r.loadAverage);
    l("service RSS idle / max / end", `${r.serviceRssMb.idleWithClients} / ${r.serviceRssMb.max} / ${r.serviceRssMb.end} MB`);
    console.log("raw: " + JSON.stringify(r));
  '
} | tee "$root/bench/results/hub.txt"
