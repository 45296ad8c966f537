#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, lint, type checks, every test.
# Ends with one plain line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm lint
pnpm typecheck
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results.json || status=$?
node scripts/summary.mjs test-results.json || status=1
exit $status
