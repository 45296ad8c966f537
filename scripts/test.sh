#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, lint, type checks, package checks (publint, attw),
# every test, the hardening suite.
# Ends with one plain line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm lint
pnpm typecheck
bash scripts/check-packages.sh
rm -f test-results.json test-results-hardening.json
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results.json || status=$?
pnpm test:hardening || status=$?
node scripts/summary.mjs test-results.json test-results-hardening.json || status=1
exit $status
