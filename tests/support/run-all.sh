#!/usr/bin/env bash
# The whole suite, as `npm test` runs it: system packages, type check, unit, golden, property,
# CLI and real-stack tests (vitest), then end-to-end tests in Debian's Chromium (Playwright).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NEXT_TELEMETRY_DISABLED=1

bash tests/support/ensure-system-deps.sh
npx tsc --noEmit
npx vitest run
npx playwright test
