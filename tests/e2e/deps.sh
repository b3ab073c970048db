#!/usr/bin/env bash
# Installs the pinned npm packages of the end-to-end tests (playwright-core, axe-core)
# from package-lock.json, but only when node_modules is missing or older than the lock.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
