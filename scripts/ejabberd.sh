#!/usr/bin/env bash
# A private ejabberd (Debian 23.01) for the integration tests and for trying the component on ejabberd: loopback
# only, its own directory (config, Mnesia spool, logs, pidfile) and Erlang node name, the pubpresence component
# (XEP-0114), a pubsub service and a set of users. It never uses the system-wide instance the Debian package
# starts: that one is stopped first (it would hold the standard ports and the default node name).
#
#   scripts/ejabberd.sh [start|stop|status|register USER...] [--dir DIR]
#
# Settings (environment variables, defaults in brackets):
#   EJABBERD_DIR                directory for config, spool, logs and pidfile   [<repo>/.ejabberd]
#   EJABBERD_DOMAIN             the server's domain                             [localhost]
#   EJABBERD_C2S_PORT           client port                                     [5222]
#   EJABBERD_COMPONENT_PORT     component port (XEP-0114)                       [5347]
#   EJABBERD_COMPONENT_SECRET   secret of pubpresence.<domain>                  [pubpresence-secret]
#   EJABBERD_USERS              users registered on start                       [alice bob carol dave erin frank]
#   EJABBERD_PASSWORD           their password                                  [password]
#   EJABBERD_RESUME_TIMEOUT     XEP-0198 resumption time, seconds               [60]
#   EJABBERD_PRIVILEGE          1 = grant the component presence of every user (XEP-0356, mod_privilege);
#                               0 = subscription mode                           [1]
#   EJABBERD_DIST_PORT          Erlang distribution port on 127.0.0.1 (no epmd daemon) [a free port, kept]
#
# ejabberdctl runs only as root or as the 'ejabberd' user; as root the directory is given to 'ejabberd'.
# 'start' returns once both listeners accept connections (exit 1 with the log tail otherwise).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/server-settings.sh
source "$repo_root/scripts/lib/server-settings.sh"
command="${1:-start}"
[[ $# -gt 0 ]] && shift
usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
[[ "$command" == -h || "$command" == --help || "$command" == help ]] && { usage; exit 0; }

parse_server_args EJABBERD usage "$@"

dir="${EJABBERD_DIR:-$repo_root/.ejabberd}"
load_saved_settings EJABBERD "$dir/ejabberd.env"
domain="${EJABBERD_DOMAIN:-localhost}"
c2s_port="${EJABBERD_C2S_PORT:-5222}"
component_port="${EJABBERD_COMPONENT_PORT:-5347}"
secret="${EJABBERD_COMPONENT_SECRET:-pubpresence-secret}"
users="${EJABBERD_USERS:-alice bob carol dave erin frank}"
password="${EJABBERD_PASSWORD:-password}"
resume="${EJABBERD_RESUME_TIMEOUT:-60}"
privilege="${EJABBERD_PRIVILEGE:-1}"
# The node and ejabberdctl meet on a fixed distribution port instead of through a shared epmd daemon.
dist_port="${EJABBERD_DIST_PORT:-$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

fail() { echo "ejabberd.sh: $*" >&2; exit 1; }
for port in "$c2s_port" "$component_port" "$dist_port"; do
  [[ "$port" =~ ^[0-9]+$ ]] && (( port >= 1 && port <= 65535 )) || fail "invalid port '$port' (1..65535)"
done
[[ "$resume" =~ ^[0-9]+$ ]] || fail "invalid EJABBERD_RESUME_TIMEOUT '$resume' (seconds)"
[[ "$privilege" == 0 || "$privilege" == 1 ]] || fail "invalid EJABBERD_PRIVILEGE '$privilege' (0 or 1)"
[[ "$domain" =~ ^[a-z0-9.-]+$ ]] || fail "invalid EJABBERD_DOMAIN '$domain'"
[[ "$secret" != *'"'* && "$password" != *' '* ]] || fail "the secret must not contain '\"' and the password no spaces"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
pidfile="$dir/ejabberd.pid"
logfile="$dir/logs/ejabberd.log"
# One Erlang node name per directory, so several instances (and the system one) never collide.
node="presence-$(printf '%s' "$dir" | md5sum | cut -c1-10)@localhost"

sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
if [[ $(id -u) -ne 0 && "$(id -un)" != ejabberd ]]; then
  fail "ejabberdctl runs only as root or as the 'ejabberd' user (run this script with sudo)"
fi

install_packages() {
  if ! command -v ejabberdctl >/dev/null; then
    echo "ejabberd.sh: installing ejabberd" >&2
    $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends ejabberd >&2
  fi
  # The package starts a system-wide instance (standard ports, node ejabberd@localhost): stop it for good. Its
  # pidfile tells whether it runs ('/etc/init.d/ejabberd status' would start an epmd daemon to ask).
  if command -v systemctl >/dev/null && systemctl is-active --quiet ejabberd 2>/dev/null; then
    $sudo systemctl disable --now ejabberd >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/ejabberd && -s /run/ejabberd/ejabberd.pid ]] && kill -0 "$(cat /run/ejabberd/ejabberd.pid)" 2>/dev/null; then
    $sudo /etc/init.d/ejabberd stop >/dev/null 2>&1 || true
  fi
}

ctl() {
  ejabberdctl --config-dir "$dir" --spool "$dir/spool" --logs "$dir/logs" --node "$node" "$@"
}

write_config() {
  mkdir -p "$dir/spool" "$dir/logs"
  cat >"$dir/ejabberd.env" <<ENV
EJABBERD_DOMAIN=$domain
EJABBERD_C2S_PORT=$c2s_port
EJABBERD_COMPONENT_PORT=$component_port
EJABBERD_COMPONENT_SECRET=$secret
EJABBERD_USERS=$users
EJABBERD_PASSWORD=$password
EJABBERD_RESUME_TIMEOUT=$resume
EJABBERD_PRIVILEGE=$privilege
EJABBERD_DIST_PORT=$dist_port
ENV
  cat >"$dir/ejabberdctl.cfg" <<CFG
ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"
EJABBERD_PID_PATH=$pidfile
ERL_DIST_PORT=$dist_port
INET_DIST_INTERFACE=127.0.0.1
CFG
  local privilege_module=""
  if [[ "$privilege" == 1 ]]; then
    privilege_module="  # XEP-0356: the component receives every user's presence (rule 'privileged' below).
  mod_privilege:
    roster:
      get: privileged
    presence:
      managed_entity: privileged"
  fi
  cat >"$dir/ejabberd.yml.tmp" <<YML
# Generated by scripts/ejabberd.sh; edits are overwritten on the next start.
hosts: ["$domain"]
loglevel: info
certfiles: []
listen:
  -
    port: $c2s_port
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: false
    shaper: none
    max_stanza_size: 1048576
  -
    port: $component_port
    ip: "127.0.0.1"
    module: ejabberd_service
    hosts:
      "pubpresence.$domain":
        password: "$secret"
auth_method: internal
auth_password_format: plain
s2s_access: none
acl:
  # The component: server admin for XEP-0133 commands (session IPs) and privileged entity.
  component:
    server: "pubpresence.$domain"
access_rules:
  local:
    allow: local
  c2s:
    allow: all
  configure:
    allow: component
  privileged:
    allow: component
  pubsub_createnode:
    allow: all
shaper_rules:
  max_user_sessions: 100
  c2s_shaper: none
modules:
  mod_adhoc: {}
  mod_admin_extra: {}
  mod_configure: {}
  mod_disco: {}
  mod_last: {}
  mod_ping: {}
  mod_roster: {}
  mod_stream_mgmt:
    resume_timeout: $resume
  mod_pubsub:
    host: "pubsub.$domain"
    access_createnode: pubsub_createnode
    plugins: ["flat"]
    max_items_node: 100000
$privilege_module
YML
  mv "$dir/ejabberd.yml.tmp" "$dir/ejabberd.yml"
  [[ -f /etc/ejabberd/inetrc && ! -f "$dir/inetrc" ]] && cp /etc/ejabberd/inetrc "$dir/inetrc"
  [[ $(id -u) -eq 0 ]] && chown -R ejabberd:ejabberd "$dir"
  return 0
}

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile" 2>/dev/null)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

register_users() {
  local user out
  for user in "$@"; do
    [[ "$user" =~ ^[a-z0-9._-]+$ ]] || fail "invalid user name '$user' (lower-case letters, digits, . _ -)"
    out="$(ctl register "$user" "$domain" "$password" 2>&1)" || [[ "$out" == *"already registered"* ]] \
      || fail "could not register $user@$domain: $out"
  done
}

start() {
  install_packages
  if pid="$(running_pid)"; then echo "ejabberd.sh: already running (pid $pid, $dir)"; return 0; fi
  for port in "$c2s_port" "$component_port"; do listening "$port" && fail "port $port is in use"; done
  write_config
  rm -f "$pidfile"
  (setsid ejabberdctl --config-dir "$dir" --spool "$dir/spool" --logs "$dir/logs" --node "$node" foreground \
     >>"$dir/ejabberd.stdout" 2>&1 </dev/null &)
  local deadline=$((SECONDS + 30))
  while (( SECONDS < deadline )); do
    if [[ -s "$pidfile" ]] && listening "$c2s_port" && listening "$component_port"; then
      # shellcheck disable=SC2086
      register_users $users
      echo "ejabberd.sh: running (pid $(cat "$pidfile")), c2s 127.0.0.1:$c2s_port, component pubpresence.$domain on 127.0.0.1:$component_port, dir $dir"
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$dir/ejabberd.stdout" "$logfile" 2>/dev/null >&2 || true
  stop_quietly
  fail "ejabberd did not open c2s and component ports within 30 s: see $logfile"
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
  stop) if pid="$(running_pid)"; then stop_quietly; echo "ejabberd.sh: stopped (pid $pid)"; else echo "ejabberd.sh: not running"; fi ;;
  status)
    if pid="$(running_pid)"; then echo "ejabberd.sh: running (pid $pid), c2s 127.0.0.1:$c2s_port, component 127.0.0.1:$component_port, dir $dir"
    else echo "ejabberd.sh: not running ($dir)"; exit 3; fi ;;
  register)
    (( ${#users_to_register[@]} )) || fail "register needs user names"
    running_pid >/dev/null || fail "not running"
    register_users "${users_to_register[@]}" ;;
  *) fail "unknown command '$command' (start, stop, status, register USER...)" ;;
esac
