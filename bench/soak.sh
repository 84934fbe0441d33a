#!/usr/bin/env bash
# Soak (issue 9 item 7): the Release service with the XMPP component on a private Prosody; 500 changes/s through the
# compat API plus XMPP presence from 1,000 simulated sessions, for an hour by default. Reports service memory and API
# latency (p50/p99/max) per interval and checks that no acknowledged write is lost (each 200 looked up in the History
# table after a graceful stop). Writes bench/results/soak.txt; exit code 1 when writes were lost.
#   bench/soak.sh [--duration 3600] [--rate 500] [--sessions 1000] [--xmpp-rate 100] [--interval 60] [--api-users 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Presence.Web -nologo -v q -clp:ErrorsOnly
dotnet build -c Release bench/long-runs -nologo -v q -clp:ErrorsOnly
exec dotnet bench/long-runs/bin/Release/net10.0/long-runs.dll soak "$@"
