#!/usr/bin/env bash
# Sets everything up and starts the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
CFSIGN_SKIP_APT=1 bash scripts/setup.sh
if [ -f examples/express-site/package.json ]; then
  exec pnpm --filter @cfsign/example-express-site start
fi
exec pnpm --filter @cfsign/example-sign-url start -- "$@"
