#!/usr/bin/env bash
# Board benchmark (issues 4 and 7): 10,000 users, time to first rows after sign-in, and the delay from a presence change
# to the row showing it in Chromium (sorted by user and by last change) while 1,000 changes/s flow, then 100/s (none
# may be lost); CPU of the service and of Chromium. Writes bench/results/board.txt (and board.png).
# Usage: bench/board/run.sh [--users 10000] [--rate 1000] [--seconds 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
mkdir -p bench/results
dotnet run -c Release --project bench/board/BoardBench.csproj -- "$@"
