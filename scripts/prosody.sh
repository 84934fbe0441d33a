#!/usr/bin/env bash
# A local Prosody for development, the demo and the integration tests: loopback only, its own directory,
# the pubpresence component (XEP-0114), a pubsub service on SQLite storage and a set of demo users.
#
#   scripts/prosody.sh [start|stop|status|restart|config|register USER...|env] [--dir DIR]
#
# Settings (environment variables, defaults in brackets):
#   PROSODY_DIR                 directory for config, data, log and pidfile  [<repo>/.prosody]
#   PROSODY_DOMAIN              the server's domain                          [localhost]
#   PROSODY_C2S_PORT            client port                                  [5222]
#   PROSODY_COMPONENT_PORT      component port (XEP-0114)                    [5347]
#   PROSODY_COMPONENT_SECRET    secret of pubpresence.<domain>               [pubpresence-secret]
#   PROSODY_USERS               demo users registered on start               [alice bob carol dave erin frank]
#   PROSODY_PASSWORD            their password                               [password]
#   PROSODY_HIBERNATION         XEP-0198 hibernation time, seconds           [60]
#   PROSODY_PUBSUB_MAX_ITEMS    items per pubsub node                        [100000]
#   PROSODY_AUTH                internal_hashed | internal_plain             [internal_hashed]
#   PROSODY_LOG_LEVEL           info | debug                                 [info]
#   PROSODY_ADMINS              extra admin JIDs besides the component (tests) []
#   PROSODY_S2S                 1 = outgoing server-to-server allowed (no listener) [0]
#   PROSODY_PRIVILEGE           1 = grant the component presence of every user (XEP-0356, mod_privilege
#                               from prosody-modules): no roster subscription needed; 0 = subscription mode [1]
#
# 'start' is idempotent: it writes the config, registers missing users and starts Prosody in the background
# (prosody -F, pid in DIR/prosody.pid); it returns once the component and c2s ports are active and fails
# (exit 1, log tail printed) when a port cannot be opened. 'env' prints the settings as shell assignments.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/server-settings.sh
source "$repo_root/scripts/lib/server-settings.sh"
command="${1:-start}"
[[ $# -gt 0 ]] && shift
usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
[[ "$command" == -h || "$command" == --help || "$command" == help ]] && { usage; exit 0; }

parse_server_args PROSODY usage "$@"

dir="${PROSODY_DIR:-$repo_root/.prosody}"
load_saved_settings PROSODY "$dir/prosody.env"
domain="${PROSODY_DOMAIN:-localhost}"
c2s_port="${PROSODY_C2S_PORT:-5222}"
component_port="${PROSODY_COMPONENT_PORT:-5347}"
secret="${PROSODY_COMPONENT_SECRET:-pubpresence-secret}"
users="${PROSODY_USERS:-alice bob carol dave erin frank}"
password="${PROSODY_PASSWORD:-password}"
hibernation="${PROSODY_HIBERNATION:-60}"
max_items="${PROSODY_PUBSUB_MAX_ITEMS:-100000}"
auth="${PROSODY_AUTH:-internal_hashed}"
log_level="${PROSODY_LOG_LEVEL:-info}"
extra_admins="${PROSODY_ADMINS:-}"
s2s="${PROSODY_S2S:-0}"
privilege="${PROSODY_PRIVILEGE:-1}"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
config="$dir/prosody.cfg.lua"
pidfile="$dir/prosody.pid"
logfile="$dir/prosody.log"

fail() { echo "prosody.sh: $*" >&2; exit 1; }

for port in "$c2s_port" "$component_port"; do
  [[ "$port" =~ ^[0-9]+$ ]] && (( port >= 1 && port <= 65535 )) || fail "invalid port '$port' (1..65535)"
done
[[ "$hibernation" =~ ^[0-9]+$ ]] || fail "invalid PROSODY_HIBERNATION '$hibernation' (seconds)"
[[ "$auth" == internal_hashed || "$auth" == internal_plain ]] || fail "invalid PROSODY_AUTH '$auth'"
[[ "$privilege" == 0 || "$privilege" == 1 ]] || fail "invalid PROSODY_PRIVILEGE '$privilege' (0 or 1)"

install_packages() {
  local missing=()
  command -v prosody >/dev/null || missing+=(prosody)
  [[ -e /usr/lib/x86_64-linux-gnu/lua/5.4/lunbound.so || -n "$(ls /usr/lib/*/lua/*/lunbound.so 2>/dev/null)" ]] || missing+=(lua-unbound)
  [[ -n "$(ls /usr/lib/*/lua/*/dbd/sqlite3.so 2>/dev/null)" ]] || missing+=(lua-dbi-sqlite3)
  [[ "$privilege" == 0 || -e /usr/lib/prosody/modules/mod_privilege/mod_privilege.lua ]] || missing+=(prosody-modules)
  if (( ${#missing[@]} )); then
    echo "prosody.sh: installing ${missing[*]}" >&2
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2
    # The package starts a system-wide instance on the standard ports; this script runs its own.
    if command -v systemctl >/dev/null && systemctl is-active --quiet prosody 2>/dev/null; then
      $sudo systemctl disable --now prosody >/dev/null 2>&1 || true
    fi
  fi
}

write_config() {
  local run_as_root="false"; [[ $(id -u) -eq 0 ]] && run_as_root="true"
  cat >"$dir/prosody.env" <<ENV
PROSODY_DOMAIN=$domain
PROSODY_C2S_PORT=$c2s_port
PROSODY_COMPONENT_PORT=$component_port
PROSODY_COMPONENT_SECRET=$secret
PROSODY_USERS=$users
PROSODY_PASSWORD=$password
PROSODY_HIBERNATION=$hibernation
PROSODY_PUBSUB_MAX_ITEMS=$max_items
PROSODY_AUTH=$auth
PROSODY_LOG_LEVEL=$log_level
PROSODY_ADMINS=$extra_admins
PROSODY_S2S=$s2s
PROSODY_PRIVILEGE=$privilege
ENV
  cat >"$config.tmp" <<LUA
-- Generated by scripts/prosody.sh; edits are overwritten on the next start.
run_as_root = $run_as_root
pidfile = "$pidfile"
data_path = "$dir/data"
certificates = "$dir/certs"
log = { { levels = { min = "$log_level" }, to = "file", filename = "$logfile" } }

interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
component_interfaces = { "127.0.0.1" }
c2s_ports = { $c2s_port }
component_ports = { $component_port }
s2s_ports = { }
c2s_direct_tls_ports = { }
http_ports = { }
https_ports = { }

-- The component needs admin rights: in 0.12 only admins create pubsub nodes, and XEP-0133 commands need it.
admins = { "pubpresence.$domain"$(for a in $extra_admins; do printf ', "%s"' "$a"; done) }

modules_enabled = {
  "roster"; "saslauth"; "disco"; "ping"; "smacks"; "admin_adhoc"; "posix";
  "private"; "vcard_legacy"; "version"; "uptime"; "time"; "lastactivity"; "carbons"; "blocklist";$( [[ "$privilege" == 1 ]] && echo ' "privilege";' )
}
$( [[ "$s2s" == 1 ]] && echo '-- Outgoing s2s only (no s2s port): lets tests see remote-server-not-found for unreachable domains.
modules_disabled = { "tls" }' || echo 'modules_disabled = { "s2s"; "tls" }')

c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "$auth"
allow_registration = false

-- XEP-0198: a client whose TCP connection is cut without closing the stream is kept this long (seconds).
smacks_hibernation_time = $hibernation

VirtualHost "$domain"
$( [[ "$privilege" == 1 ]] && echo '  -- XEP-0356: the component receives every user'"'"'s presence (mod_privilege from prosody-modules).
  privileged_entities = { ["pubpresence.'"$domain"'"] = { roster = "get"; presence = "managed_entity"; } }' )

Component "pubpresence.$domain"
  component_secret = "$secret"
$( [[ "$privilege" == 1 ]] && echo '  -- Without mod_privilege on the component itself nothing is forwarded to it.
  modules_enabled = { "privilege" }' )

Component "pubsub.$domain" "pubsub"
  -- The default cap is 256 items per node: too few for an organisation.
  pubsub_max_items = $max_items
  -- File storage rewrites the node on every publish; memory storage duplicates republished ids. SQL keeps one per id.
  storage = "sql"
  sql = { driver = "SQLite3", database = "pubsub.sqlite" }
LUA
  mv "$config.tmp" "$config"
  mkdir -p "$dir/data" "$dir/certs"
}

account_exists() {
  local user="$1" host_dir="${domain//./%2e}"
  host_dir="${host_dir//-/%2d}"
  [[ -f "$dir/data/$host_dir/accounts/$user.dat" ]]
}

register_users() {
  local user
  for user in "$@"; do
    [[ "$user" =~ ^[a-z0-9._-]+$ ]] || fail "invalid user name '$user' (lower-case letters, digits, . _ -)"
    account_exists "$user" && continue
    prosodyctl --config "$config" register "$user" "$domain" "$password" >/dev/null 2>&1 \
      || fail "could not register $user@$domain (prosodyctl register)"
  done
}

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile" 2>/dev/null)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  install_packages
  if pid="$(running_pid)"; then
    echo "prosody.sh: already running (pid $pid, $dir)"; return 0
  fi
  write_config
  # shellcheck disable=SC2086
  register_users $users
  rm -f "$pidfile"
  local offset=0; [[ -f "$logfile" ]] && offset=$(stat -c %s "$logfile")
  (cd "$dir" && exec prosody -F --config "$config" >>"$dir/prosody.stdout" 2>&1 </dev/null) &
  local launcher=$!
  disown "$launcher" 2>/dev/null || true
  local deadline=$((SECONDS + 20)) new=""
  while (( SECONDS < deadline )); do
    new="$(tail -c +$((offset + 1)) "$logfile" 2>/dev/null || true)"
    if grep -q "Failed to open server port" <<<"$new"; then
      # Prosody keeps running without the port: stop it, by pidfile or by the launcher's pid (exec'd into prosody).
      stop_quietly
      kill -TERM "$launcher" 2>/dev/null || true
      echo "$new" | tail -n 20 >&2
      fail "a port is in use (c2s $c2s_port, component $component_port): see $logfile"
    fi
    if grep -q "Activated service 'component'" <<<"$new" && grep -q "Activated service 'c2s'" <<<"$new" && [[ -s "$pidfile" ]]; then
      echo "prosody.sh: running (pid $(cat "$pidfile")), c2s 127.0.0.1:$c2s_port, component pubpresence.$domain on 127.0.0.1:$component_port, dir $dir"
      return 0
    fi
    if ! kill -0 "$launcher" 2>/dev/null && [[ ! -s "$pidfile" ]]; then
      tail -n 20 "$dir/prosody.stdout" "$logfile" 2>/dev/null >&2 || true
      fail "prosody exited during start-up"
    fi
    sleep 0.05
  done
  stop_quietly
  kill -TERM "$launcher" 2>/dev/null || true
  fail "prosody did not activate c2s and component within 20 s: see $logfile"
}

stop_quietly() {
  local pid
  pid="$(running_pid)" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "$command" in
  start) start ;;
  stop)
    if pid="$(running_pid)"; then stop_quietly; echo "prosody.sh: stopped (pid $pid)"; else echo "prosody.sh: not running"; fi ;;
  restart) stop_quietly; start ;;
  status)
    if pid="$(running_pid)"; then
      echo "prosody.sh: running (pid $pid), c2s 127.0.0.1:$c2s_port, component 127.0.0.1:$component_port, dir $dir"
    else
      echo "prosody.sh: not running ($dir)"; exit 3
    fi ;;
  config) install_packages; write_config; echo "$config" ;;
  register)
    [[ -f "$config" ]] || write_config
    (( ${#users_to_register[@]} )) || fail "register needs user names"
    register_users "${users_to_register[@]}" ;;
  env)
    cat <<ENV
PROSODY_DIR=$dir
PROSODY_DOMAIN=$domain
PROSODY_C2S_PORT=$c2s_port
PROSODY_COMPONENT_PORT=$component_port
PROSODY_COMPONENT_SECRET=$secret
PROSODY_USERS="$users"
PROSODY_PASSWORD=$password
PROSODY_PRIVILEGE=$privilege
PROSODY_PIDFILE=$pidfile
PROSODY_LOG=$logfile
ENV
    ;;
  *) fail "unknown command '$command' (start, stop, status, restart, config, register USER..., env)" ;;
esac
