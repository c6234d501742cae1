#!/usr/bin/env bash
# app1 and app2 are self-contained like two repositories, so the few pieces both need are copied rather than
# shared through a package. This check keeps the copies byte-identical: change one, change the other.
set -euo pipefail
cd "$(dirname "$0")/.."

copied=(
  .dockerignore .gitignore biome.json tsconfig.json
  src/docs.ts src/env.ts src/errors.ts src/healthcheck.ts src/logger.ts src/message.ts src/metrics.ts
  src/shutdown.ts src/plugins/error-handler.ts src/plugins/request-context.ts
  test/helpers.ts test/logger.test.ts test/metrics.test.ts
)

drifted=0
for file in "${copied[@]}"; do
  if ! cmp -s "app1/$file" "app2/$file"; then
    echo "app copies: app1/$file and app2/$file differ (they are kept identical; see the file's header)" >&2
    drifted=1
  fi
done
[ "$drifted" -eq 0 ] && echo "app copies: ${#copied[@]} files identical in app1 and app2"
exit "$drifted"
