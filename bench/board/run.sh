#!/usr/bin/env bash
# Board benchmark (issue 4): 10,000 users, time to first render after sign-in, and the delay from a presence change
# to the row showing it in Chromium while 1,000 changes/s flow. Writes bench/results/board.txt.
# Usage: bench/board/run.sh [--users 10000] [--rate 1000] [--seconds 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
mkdir -p bench/results
dotnet run -c Release --project bench/board/BoardBench.csproj -- "$@"
