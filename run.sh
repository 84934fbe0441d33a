#!/usr/bin/env bash
# Runs the service on a fresh machine: SQLite file src/Presence.Web/presence.db (dotnet run works in the project
# directory), no other setup.
# It logs the address it listens on (default http://127.0.0.1:5080; change with --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")" && pwd)"
exec dotnet run --project "$ROOT/src/Presence.Web" -- "$@"
