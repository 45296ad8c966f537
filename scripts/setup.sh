#!/usr/bin/env bash
# Installs everything cfsign needs on a fresh machine with Node 20 and npm:
# Debian packages (chromium for browser tests, python3-botocore for cross-checks, openssl),
# pnpm 12.4.2, the workspace dependencies, and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
/usr/bin/python3 -c 'import botocore, cryptography' >/dev/null 2>&1 || need_apt+=(python3-botocore python3-cryptography)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ "${CFSIGN_SKIP_APT:-}" != "1" ] && [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "12.4.2" ]; then
  echo "setup: installing pnpm 12.4.2"
  npm install -g --silent pnpm@12.4.2
fi

pnpm install --frozen-lockfile --reporter=silent
pnpm build
