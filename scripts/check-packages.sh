#!/usr/bin/env bash
# Lints every package as it would be published: publint (manifest, exports, files) and
# @arethetypeswrong/cli (types for import and require under node16 and bundler resolution; node10,
# which cannot read subpath exports, is not a target). Needs a build. Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/node_modules/.bin"
for dir in packages/*/; do
  (
    cd "$dir"
    "$bin/publint" --strict --level suggestion >/tmp/publint.$$ 2>&1 || { cat /tmp/publint.$$; exit 1; }
    grep -qE "All good|No problems" /tmp/publint.$$ || { cat /tmp/publint.$$; exit 1; }
    "$bin/attw" --pack . --profile node16 --format ascii >/tmp/attw.$$ 2>&1 || { cat /tmp/attw.$$; exit 1; }
    rm -f /tmp/publint.$$ /tmp/attw.$$
  ) || { echo "check-packages: $dir has packaging problems (above)"; exit 1; }
  echo "check-packages: ${dir%/} ok (publint, attw)"
done
