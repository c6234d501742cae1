#!/usr/bin/env bash
# `make test-browser`: Swagger UI of app1 (wired to a real app2) and of app2 in headless Chromium (Debian's
# chromium, driven by the playwright-core that e2e pins), with every request to another origin refused: the page
# renders the API, "Try it out" answers through both apps, and the Content-Security-Policy reports no violation.
# See e2e/test/swagger-ui.test.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bun chromium

for project in app2 app1 e2e; do
  (cd "$project" && bun install --frozen-lockfile --silent)
done
cd e2e
bun run test-browser
