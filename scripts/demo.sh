#!/usr/bin/env bash
# Sets everything up and starts the demo. PORT (default 8080) and HOST (default 127.0.0.1) choose
# where the local CloudFront distribution listens. The server replaces this shell (exec), so SIGINT
# and SIGTERM sent to `npm run demo` reach it and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
CFSIGN_SKIP_APT=1 bash scripts/setup.sh
cd examples/express-site
exec node server.mjs
