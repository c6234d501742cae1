#!/usr/bin/env bash
# Fails when the stage dashboard graphs a metric of the apps' namespace (Relay) that neither app publishes, so
# the dashboard cannot drift from the code. Graphed: the names in terraform/modules/monitoring/*.tf that follow
# the namespace in a metric line (`var.metrics_namespace, "Name"`) or a SEARCH expression (`MetricName=\"Name\"`).
# Published: the names the apps' metrics module, packages/service-kit/src/metrics.ts, passes to `datum('Name', ...)`.
#   scripts/check-metric-names.sh
set -euo pipefail
cd "$(dirname "$0")/.."

dashboard_files=(terraform/modules/monitoring/*.tf)
app_files=(packages/service-kit/src/metrics.ts)

graphed=$(grep -ohE '(var\.metrics_namespace|"Relay"), "[A-Za-z0-9_]+|MetricName=\\"[A-Za-z0-9_]+' "${dashboard_files[@]}" |
  grep -oE '[A-Za-z0-9_]+$' | sort -u || true)
published=$(grep -ohE "datum\('[A-Za-z0-9_]+" "${app_files[@]}" | cut -d"'" -f2 | sort -u || true)

if [ -z "$graphed" ] || [ -z "$published" ]; then
  echo "check-metric-names: found no metric names (graphed: ${graphed:-none}; published: ${published:-none});" \
    "the patterns in $0 no longer match the code" >&2
  exit 1
fi

mapfile -t unpublished < <(comm -23 <(echo "$graphed") <(echo "$published"))
if [ "${#unpublished[@]}" -gt 0 ]; then
  echo "check-metric-names: the dashboard graphs Relay metrics no app publishes (not a datum('<Name>', ...) in" \
    "${app_files[*]}):" >&2
  printf '  %s\n' "${unpublished[@]}" >&2
  exit 1
fi
echo "ok      dashboard graphs only published metrics: ${graphed//$'\n'/ }"
