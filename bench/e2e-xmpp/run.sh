#!/usr/bin/env bash
# End-to-end XMPP benchmark (issue 3): 1,000 online users on a private Prosody, the pubpresence component, a
# subscribed client, in subscription mode and in privileged mode (XEP-0356). Writes bench/results/xmpp-e2e.txt.
# Usage: bench/e2e-xmpp/run.sh [--users 1000] [--samples 300] [--mode both|subscription|privileged]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here" -c Release -v q -nologo >/dev/null
exec dotnet "$here/bin/Release/net10.0/e2e-xmpp.dll" "$@"
