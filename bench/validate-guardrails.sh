#!/usr/bin/env bash
# Validation (issue 6): a scale-1 demo world around January 2026 through the whole pipeline
# (backfill, enrichment, models with the reference guardrails). Prints the month-end KPIs and
# exits non-zero when a guardrail or any error-severity test fails.
# Usage: bash bench/validate-guardrails.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d /tmp/tb-guardrails-XXXX)}
cli="node dist/cli/main.js"
[ -f dist/cli/main.js ] || npm run build >/dev/null
if [ ! -f "$work/world/demo-world.json" ]; then
  $cli demo generate --out "$work/world" --from 2026-01-24 --to 2026-02-03 --scale 1 --aux-mb 1 --no-incidents --quiet
fi
config="$work/world/tokyobeta.yaml"
$cli backfill --config "$config" --warehouse "$work/wh" --from 2026-01-24 --to 2026-02-01 --checkpoint-every 20 >/dev/null
$cli enrich run --config "$config" --warehouse "$work/wh" >/dev/null
$cli models build --config "$config" --warehouse "$work/wh" --var reference_scale=1 | tail -3
$cli query --warehouse "$work/wh" "SELECT month_start, as_of_date, round(occupancy_rate, 4) AS occupancy_rate, occupied_rooms_0000_next_day, rent, round(revpar) AS revpar, round(recpar_cash) AS recpar_cash FROM gold.kpi_month_end_metrics ORDER BY 1"
echo "reference (source.md): 2026-01 occupancy 0.707, 00:00 rooms 11271, RENT 56195, RevPAR 39757, RecPAR 37826"
