#!/usr/bin/env bash
# Prosody restarted N times under load (issue 9 item 7): API changes and XMPP presence go on while Prosody is stopped
# and started again; each time it measures how long until the component is back online and the node repopulated,
# then a client that follows the service's consumer protocol (component presence, subscribe, fetch items, apply the
# kept events) must see the node equal to what every session last sent. Writes bench/results/prosody-restarts.txt;
# exit code 1 when a restart failed its check.
#   bench/prosody-restarts.sh [--count 20] [--rate 100] [--sessions 200] [--xmpp-rate 50]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly
dotnet build -c Release bench/long-runs -nologo -v q -clp:ErrorsOnly
exec dotnet bench/long-runs/bin/Release/net10.0/long-runs.dll restarts "$@"
