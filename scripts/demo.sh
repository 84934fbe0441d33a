#!/usr/bin/env bash
# The whole system on real traffic, in one command: a local Prosody (scripts/prosody.sh) that grants the component
# every user's presence (XEP-0356, mod_privilege), the Presence web service connected to it as the pubpresence
# component, real XMPP client sessions (slixmpp) that change their presence every few seconds without adding the
# component to their roster, a client that follows the seed's consumer protocol on the pubsub node, and spreed status
# PUTs with curl. Ctrl-C stops everything.
#
#   scripts/demo.sh [--web-port 5080] [--interval 4] [--dir .prosody-demo]
#
# Environment: PROSODY_C2S_PORT (5222), PROSODY_COMPONENT_PORT (5347), DEMO_SECRET (the API's shared token secret),
# DEMO_ADMIN_PASSWORD (the dashboard admin's password; generated and printed when unset).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web_port=5080
interval=4
dir="$repo_root/.prosody-demo"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --web-port) web_port="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$web_port" =~ ^[0-9]+$ ]] || { echo "demo.sh: invalid --web-port '$web_port'" >&2; exit 2; }
[[ "$interval" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "demo.sh: invalid --interval '$interval' (seconds)" >&2; exit 2; }

export PROSODY_DIR="$dir"
export PROSODY_C2S_PORT="${PROSODY_C2S_PORT:-5222}"
export PROSODY_COMPONENT_PORT="${PROSODY_COMPONENT_PORT:-5347}"
export PROSODY_COMPONENT_SECRET="${PROSODY_COMPONENT_SECRET:-pubpresence-demo-secret}"
export PROSODY_USERS="alice bob carol dave erin frank"
export PROSODY_PASSWORD="password"
export PROSODY_HIBERNATION=30
export PROSODY_PRIVILEGE=1
token_secret="${DEMO_SECRET:-demo-shared-secret-0123456789}"
users=(alice bob carol dave erin)
watcher=frank
run="$dir/run"
client="$repo_root/tests/clients/xmpp_client.py"
base="http://127.0.0.1:$web_port"

command -v curl >/dev/null || { echo "demo.sh: curl is required" >&2; exit 1; }
command -v openssl >/dev/null || { echo "demo.sh: openssl is required" >&2; exit 1; }
if ! /usr/bin/python3 -c "import slixmpp" 2>/dev/null; then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends python3-slixmpp
fi

pids=()
web_pid=""
cleanup() {
  trap - INT TERM EXIT
  echo; echo "demo.sh: stopping"
  for fd in "${fds[@]:-}"; do [[ -n "$fd" ]] && exec {fd}>&- 2>/dev/null || true; done
  for pid in "${pids[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done
  [[ -n "$web_pid" ]] && kill -TERM -- "-$web_pid" 2>/dev/null || true
  "$repo_root/scripts/prosody.sh" stop >/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

mkdir -p "$run"
# The sign-in policy wants upper and lower case, a digit and a symbol: a generated password always has them. It is
# kept beside the demo's database, which keeps the admin of the first run.
if [[ -n "${DEMO_ADMIN_PASSWORD:-}" ]]; then
  admin_password="$DEMO_ADMIN_PASSWORD"
elif [[ -s "$run/admin-password" && -f "$run/presence.db" ]]; then
  admin_password="$(cat "$run/admin-password")"
else
  rm -f "$run"/presence.db*
  admin_password="Demo-$(openssl rand -hex 6)-A1"
  (umask 077; printf '%s\n' "$admin_password" >"$run/admin-password")
fi
"$repo_root/scripts/prosody.sh" start

echo "demo.sh: building and starting the web service on $base (log: $run/web.log)"
dotnet build "$repo_root/src/Presence.Web" -v q -nologo >"$run/build.log" 2>&1 || { tail -n 30 "$run/build.log" >&2; exit 1; }
(
  cd "$repo_root"
  export ASPNETCORE_ENVIRONMENT=Development
  export Urls="$base"
  export ConnectionStrings__Presence="Data Source=$run/presence.db"
  export Presence__Xmpp__Enabled=true
  export Presence__Xmpp__Domain=localhost
  export Presence__Xmpp__Host=127.0.0.1
  export Presence__Xmpp__Port="$PROSODY_COMPONENT_PORT"
  export Presence__Xmpp__Secret="$PROSODY_COMPONENT_SECRET"
  export Presence__Xmpp__PingInterval=00:00:10
  export Presence__Xmpp__PingTimeout=00:00:05
  export Presence__Board__AllowAnonymous=true
  export Presence__Tokens__SharedSecret="$token_secret"
  export Presence__Admin__Password="$admin_password"
  exec setsid dotnet run --no-build --no-launch-profile --project src/Presence.Web
) >"$run/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null "$base/" && break
  kill -0 "$web_pid" 2>/dev/null || { tail -n 30 "$run/web.log" >&2; echo "demo.sh: the web service exited" >&2; exit 1; }
  sleep 0.5
done
curl -s -o /dev/null "$base/" || { tail -n 30 "$run/web.log" >&2; echo "demo.sh: the web service did not answer" >&2; exit 1; }

# One slixmpp session per user, commands through a FIFO, JSON events into run/<user>.log.
declare -A fd_of
fds=()
start_client() {
  local user="$1" resource="$2" fifo="$run/$1.in"
  rm -f "$fifo"; mkfifo "$fifo"
  /usr/bin/python3 -u "$client" --jid "$user@localhost/$resource" --password "$PROSODY_PASSWORD" \
    --port "$PROSODY_C2S_PORT" <"$fifo" >"$run/$user.log" 2>/dev/null &
  pids+=($!)
  local fd; exec {fd}>"$fifo"
  fd_of[$user]=$fd; fds+=("$fd")
}
send() { printf '%s\n' "$2" >&"${fd_of[$1]}"; }

for user in "${users[@]}" "$watcher"; do start_client "$user" demo; done
# Privileged mode: the users never add the component; only the watcher subscribes, to see the service's presence
# (step 0 of the seed's consumer protocol).
for user in "${users[@]}" "$watcher"; do
  send "$user" "approve-all"
  send "$user" "presence online 0"
done
send "$watcher" "subscribe pubpresence.localhost"
send "$watcher" "consume pubpresence.localhost pubsub.localhost pubpresence 20"

token() {
  local payload; payload="$(date +%s):$1"
  printf '%s:%s' "$payload" "$(printf '%s' "$payload" | openssl dgst -sha256 -hmac "$token_secret" -binary | base64 | tr 'a-z' 'A-Z')"
}

# Every command and address printed here works as printed, pasted into another terminal (e2e/ScriptTests runs them).
cat <<INFO

  Presence demo is running.
    Board:        $base/            (anonymous board enabled)
    Admin:        $base/admin/clients   user admin, password $admin_password
                  (API clients; also $base/admin/users, $base/admin/xmpp, $base/admin/audit)
    API:          cd '$repo_root' && export Presence__Tokens__SharedSecret='$token_secret'
                  TOKEN=\$(dotnet run --no-build --project src/Presence.Web -- token alice@localhost)
                  curl -s -H "Authorization: Bearer \$TOKEN" $base/api/v1/presence/alice@localhost
    API reference: $base/scalar
    Pubsub node as a client sees it (seed consumer protocol): tail -f $run/$watcher.log
    Logs:         $run/web.log, $dir/prosody.log, $run/<user>.log
    XMPP:         log in yourself with any client as alice..frank@localhost / $PROSODY_PASSWORD on 127.0.0.1:$PROSODY_C2S_PORT (no TLS)
  Ctrl-C stops everything.

INFO
shows=(online chat away xa dnd)
statuses=("at my desk" "in a meeting" "lunch 🍜" "travelling" "focus time" "back soon")
spreed=(available busy away unavailable)
round=0
while true; do
  sleep "$interval"
  round=$((round + 1))
  user="${users[RANDOM % ${#users[@]}]}"
  if (( RANDOM % 5 == 0 )); then
    send "$user" "unavailable"
    echo "xmpp    $user@localhost -> unavailable"
  else
    show="${shows[RANDOM % ${#shows[@]}]}"; status="${statuses[RANDOM % ${#statuses[@]}]}"
    send "$user" "presence $show $((RANDOM % 10)) $status"
    echo "xmpp    $user@localhost -> $show ($status)"
  fi
  if (( round % 2 == 0 )); then
    user="${users[RANDOM % ${#users[@]}]}"; state="${spreed[RANDOM % ${#spreed[@]}]}"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$base/api/v1/presence/$user@localhost/spreed" \
      -H "Authorization: Bearer $(token "$user@localhost")" -H 'Content-Type: application/json' \
      -d "{\"status\":\"$state\",\"message\":\"demo call\"}")
    echo "spreed  $user@localhost -> $state (HTTP $code)"
  fi
done
