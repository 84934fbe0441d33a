#!/usr/bin/env bash
# Runs the whole test suite (unit, integration, end to end) on a fresh Debian machine:
# installs the system packages the tests start for real (once, after one apt-get update), then `dotnet test Presence.sln`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v prosody >/dev/null 2>&1 || missing+=(prosody)
dpkg -s lua-unbound >/dev/null 2>&1 || missing+=(lua-unbound)
dpkg -s lua-dbi-sqlite3 >/dev/null 2>&1 || missing+=(lua-dbi-sqlite3)
dpkg -s prosody-modules >/dev/null 2>&1 || missing+=(prosody-modules)
command -v ejabberdctl >/dev/null 2>&1 || missing+=(ejabberd)
/usr/bin/python3 -c 'import slixmpp' >/dev/null 2>&1 || missing+=(python3-slixmpp)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
# The ejabberd package starts a system-wide instance; the tests run private ones (scripts/ejabberd.sh) and never use it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet ejabberd 2>/dev/null; then
  ${SUDO:-$([ "$(id -u)" -eq 0 ] || echo sudo)} systemctl disable --now ejabberd || true
elif [ -x /etc/init.d/ejabberd ] && [ -s /run/ejabberd/ejabberd.pid ] && kill -0 "$(cat /run/ejabberd/ejabberd.pid)" 2>/dev/null; then
  ${SUDO:-$([ "$(id -u)" -eq 0 ] || echo sudo)} /etc/init.d/ejabberd stop || true
fi

# The hub tests drive the real @microsoft/signalr JavaScript client from Node (version pinned by the lockfile).
(cd tests/Presence.Web.Tests/js && npm ci --no-audit --no-fund)

dotnet test Presence.sln "$@"
