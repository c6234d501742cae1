#!/usr/bin/env bash
# `make bench`: throughput and latency of app2 and of the app1->app2 chain, next to a baseline of the same job
# done with nothing but Bun.serve and fetch (bench/baseline-app*.ts), plus each service's peak memory.
# A second reference, the baseline plus the same production work (request ids, one access-log line per
# request: bench/baseline-work-app*.ts), splits the gap into what those features and what the framework cost.
# The real apps run as in production: `bun run start`, per-request logs on (LOG_LEVEL=info, written to
# .run/bench/<service>.log) and metrics on (METRICS_NAMESPACE), flushing to a local stand-in for CloudWatch.
# Prints the numbers and whether the chain meets its targets; exits non-zero only when something failed to run.
#   BENCH_DURATION (measured s per scenario, default 15), BENCH_ROUNDS (default 3: the scenarios take turns, so
#   a change in the machine's load hits them alike), BENCH_WARMUP (s, default 5), BENCH_CONNECTIONS (default 64),
#   BENCH_THREADS (wrk threads, default 1); to see what logging or metrics cost: BENCH_LOG_LEVEL (default info;
#   applies to the real apps and the baseline+work ones),
#   BENCH_METRICS_NAMESPACE (default Relay; empty turns metrics off)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh

duration_s="${BENCH_DURATION:-15}"
rounds="${BENCH_ROUNDS:-3}"
warmup_s="${BENCH_WARMUP:-5}"
connections="${BENCH_CONNECTIONS:-64}"
threads="${BENCH_THREADS:-1}"
round_s=$((duration_s / rounds > 0 ? duration_s / rounds : 1))
log_level="${BENCH_LOG_LEVEL:-info}"
metrics_namespace="${BENCH_METRICS_NAMESPACE-Relay}"
target_throughput_pct=95
target_p99_ms=15
message=infra
expected_body_part='"processed":"arfni"'
run_dir=.run/bench

scripts/ensure-tools.sh bun wrk curl
for app in app2 app1; do
  (cd "$app" && bun install --frozen-lockfile --silent)
done
mkdir -p "$run_dir"
rm -f "$run_dir"/*.log "$run_dir"/*.txt

mapfile -t ports < <(free_ports 7)
fake_cloudwatch_port="${ports[0]}" app2_port="${ports[1]}" app1_port="${ports[2]}"
baseline_app2_port="${ports[3]}" baseline_app1_port="${ports[4]}"
work_app2_port="${ports[5]}" work_app1_port="${ports[6]}"

declare -A pid_of=()
started=() # service names in start order; stopped in reverse

# start <service> <folder> VAR=value... -- <command...>: runs the command in the folder, in the background,
# with those variables added and its output in .run/bench/<service>.log.
start() {
  local service="$1" folder="$2"
  shift 2
  local vars=()
  while [ "$1" != "--" ]; do
    vars+=("$1")
    shift
  done
  shift
  (cd "$folder" && exec env "${vars[@]}" "$@") >"$run_dir/$service.log" 2>&1 &
  pid_of[$service]=$!
  started+=("$service")
}

await_health() {
  local service="$1" port="$2"
  if ! wait_http "http://127.0.0.1:$port/health" 30 "${pid_of[$service]}"; then
    echo "bench: $service did not start; the end of $run_dir/$service.log:" >&2
    tail -n 20 "$run_dir/$service.log" >&2
    return 1
  fi
}

# shellcheck disable=SC2317 # shellcheck 0.9 takes functions run only by traps for dead code
stop_services() {
  local i
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    stop_pid "${pid_of[${started[i]}]}" 15
  done
  started=()
}
trap stop_services EXIT
trap 'exit 130' INT TERM

# The real apps, configured as on EC2 except for the addresses. The AWS keys are dummies the stand-in accepts.
app_env=(
  LOG_LEVEL="$log_level" METRICS_NAMESPACE="$metrics_namespace" ENVIRONMENT=local AWS_REGION=us-east-1
  AWS_ENDPOINT_URL_CLOUDWATCH="http://127.0.0.1:$fake_cloudwatch_port"
  AWS_ACCESS_KEY_ID=bench-dummy AWS_SECRET_ACCESS_KEY=bench-dummy AWS_EC2_METADATA_DISABLED=true
)
start fake-cloudwatch bench PORT="$fake_cloudwatch_port" -- bun fake-cloudwatch.ts
start app2 app2 "${app_env[@]}" PORT="$app2_port" -- bun run start
start app1 app1 "${app_env[@]}" PORT="$app1_port" APP2_URL="http://127.0.0.1:$app2_port" -- bun run start
start baseline-app2 bench PORT="$baseline_app2_port" -- bun baseline-app2.ts
start baseline-app1 bench PORT="$baseline_app1_port" APP2_URL="http://127.0.0.1:$baseline_app2_port" \
  -- bun baseline-app1.ts
start baseline-work-app2 bench LOG_LEVEL="$log_level" PORT="$work_app2_port" -- bun baseline-work-app2.ts
start baseline-work-app1 bench LOG_LEVEL="$log_level" PORT="$work_app1_port" \
  APP2_URL="http://127.0.0.1:$work_app2_port" -- bun baseline-work-app1.ts
wait_http "http://127.0.0.1:$fake_cloudwatch_port/stats" 30 "${pid_of[fake-cloudwatch]}"
await_health app2 "$app2_port"
await_health app1 "$app1_port"
await_health baseline-app2 "$baseline_app2_port"
await_health baseline-app1 "$baseline_app1_port"
await_health baseline-work-app2 "$work_app2_port"
await_health baseline-work-app1 "$work_app1_port"

# The process that serves: for `bun run start`, the child of the bun wrapper.
child_of() {
  local parent="$1" stat_file stat fields
  for stat_file in /proc/[0-9]*/stat; do
    read -r stat 2>/dev/null <"$stat_file" || continue # the process may have ended meanwhile
    read -ra fields <<<"${stat##*) }" # state, ppid, ...: the fields after the command name
    if [ "${fields[1]}" = "$parent" ]; then
      echo "${stat%% *}"
      return
    fi
  done
}
server_pid() {
  local pid="$1" child
  while child=$(child_of "$pid") && [ -n "$child" ]; do
    pid="$child"
  done
  echo "$pid"
}
servers=(app1 app2 baseline-app1 baseline-app2 baseline-work-app1 baseline-work-app2)
declare -A server_pid_of=()
for service in "${servers[@]}"; do
  server_pid_of[$service]=$(server_pid "${pid_of[$service]}")
done

# CPU time (user + system, in clock ticks) the given services' server processes have used so far.
cpu_ticks() {
  local total=0 service stat fields
  for service in "$@"; do
    read -r stat <"/proc/${server_pid_of[$service]}/stat"
    read -ra fields <<<"${stat##*) }"
    total=$((total + fields[11] + fields[12])) # utime and stime
  done
  echo "$total"
}
clock_ticks_per_s=$(getconf CLK_TCK)

scenarios=(app2 chain baseline-chain baseline-app2 work-chain work-app2)
declare -A url_of=(
  [app2]="http://127.0.0.1:$app2_port/api2/send/$message"
  [chain]="http://127.0.0.1:$app1_port/get/send/$message"
  [baseline-chain]="http://127.0.0.1:$baseline_app1_port/get/send/$message"
  [baseline-app2]="http://127.0.0.1:$baseline_app2_port/api2/send/$message"
  [work-chain]="http://127.0.0.1:$work_app1_port/get/send/$message"
  [work-app2]="http://127.0.0.1:$work_app2_port/api2/send/$message"
)
declare -A services_of=(
  [app2]="app2"
  [chain]="app1 app2"
  [baseline-chain]="baseline-app1 baseline-app2"
  [baseline-app2]="baseline-app2"
  [work-chain]="baseline-work-app1 baseline-work-app2"
  [work-app2]="baseline-work-app2"
)
declare -A title_of=(
  [app2]="app2 alone"
  [chain]="app1 -> app2"
  [baseline-chain]="baseline app1 -> app2"
  [baseline-app2]="baseline app2 alone"
  [work-chain]="baseline+work app1->app2"
  [work-app2]="baseline+work app2"
)

# Measuring a broken endpoint would only measure how fast it fails.
for scenario in "${scenarios[@]}"; do
  body=$(curl --silent --show-error --fail --max-time 5 "${url_of[$scenario]}")
  if [[ "$body" != *"$expected_body_part"* ]]; then
    echo "bench: ${url_of[$scenario]} answered $body; expected it to contain $expected_body_part" >&2
    exit 1
  fi
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "wrk: $threads thread(s), $connections connections, GET .../send/$message; per scenario ${warmup_s} s" \
  "warm-up, then $rounds rounds of ${round_s} s taking turns with the other scenarios; $(nproc) CPU cores shared" \
  "by wrk and the services; load average before: $load_before"
echo "real apps: LOG_LEVEL=$log_level, METRICS_NAMESPACE=${metrics_namespace:-(unset: metrics off)}"

# Milliseconds from a wrk latency such as 812.00us, 1.25ms or 1.02s.
to_ms() {
  awk -v value="$1" 'BEGIN {
    unit = value; sub(/^[0-9.]+/, "", unit); number = value + 0
    if (unit == "us") number /= 1000; else if (unit == "s") number *= 1000; else if (unit == "m") number *= 60000
    printf "%.2f", number
  }'
}

# Sums over the rounds of a scenario: requests, seconds measured, CPU ticks, failures; and its worst latencies.
max() {
  awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0 ? a : b) }'
}

declare -A requests_of=() seconds_of=() ticks_of=() failures=() p50_ms=() p99_ms=() round_rps=()
for scenario in "${scenarios[@]}"; do
  echo "  warming up ${title_of[$scenario]} ..."
  wrk --threads "$threads" --connections "$connections" --duration "${warmup_s}s" "${url_of[$scenario]}" >/dev/null
  requests_of[$scenario]=0 seconds_of[$scenario]=0 ticks_of[$scenario]=0 failures[$scenario]=0
  p50_ms[$scenario]=0 p99_ms[$scenario]=0
done
for ((round = 1; round <= rounds; round++)); do
  echo "  round $round of $rounds: each scenario for ${round_s} s (load average $(cut -d' ' -f1 /proc/loadavg))"
  for scenario in "${scenarios[@]}"; do
    report="$run_dir/wrk-$scenario-$round.txt"
    read -ra services <<<"${services_of[$scenario]}"
    ticks_before=$(cpu_ticks "${services[@]}")
    wrk --threads "$threads" --connections "$connections" --duration "${round_s}s" --latency \
      "${url_of[$scenario]}" >"$report"
    ticks_of[$scenario]=$((ticks_of[$scenario] + $(cpu_ticks "${services[@]}") - ticks_before))
    read -r requests seconds < <(awk '/ requests in / { sub(/s,$/, "", $4); print $1, $4 }' "$report")
    requests_of[$scenario]=$((requests_of[$scenario] + requests))
    round_rps[$scenario]+=" $(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')"
    seconds_of[$scenario]=$(awk -v a="${seconds_of[$scenario]}" -v b="$seconds" 'BEGIN { print a + b }')
    p50_ms[$scenario]=$(max "${p50_ms[$scenario]}" "$(to_ms "$(awk '$1 == "50%" { print $2 }' "$report")")")
    p99_ms[$scenario]=$(max "${p99_ms[$scenario]}" "$(to_ms "$(awk '$1 == "99%" { print $2 }' "$report")")")
    # Socket errors (connect, read, write, timeout) and answers other than 2xx/3xx.
    failures[$scenario]=$((failures[$scenario] + $(awk '
      /Socket errors:/ { gsub(/,/, ""); total += $4 + $6 + $8 + $10 }
      /Non-2xx or 3xx responses:/ { total += $5 }
      END { print total + 0 }' "$report")))
  done
done

declare -A rps=() cpu_us_per_request=()
for scenario in "${scenarios[@]}"; do
  rps[$scenario]=$(awk -v requests="${requests_of[$scenario]}" -v seconds="${seconds_of[$scenario]}" \
    'BEGIN { printf "%.0f", (seconds > 0 ? requests / seconds : 0) }')
  cpu_us_per_request[$scenario]=$(awk -v ticks="${ticks_of[$scenario]}" -v per_s="$clock_ticks_per_s" \
    -v requests="${requests_of[$scenario]}" \
    'BEGIN { printf "%.0f", (requests > 0 ? ticks / per_s * 1e6 / requests : 0) }')
done

# Peak resident memory (VmHWM) of each server process.
declare -A peak_mb=()
for service in "${servers[@]}"; do
  peak_mb[$service]=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/${server_pid_of[$service]}/status")
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# Stopped, the apps send the metrics they aggregated last.
stop_pid "${pid_of[app1]}" 15
stop_pid "${pid_of[app2]}" 15
metrics_stats=$(curl --silent --max-time 5 "http://127.0.0.1:$fake_cloudwatch_port/stats" || echo "unavailable")

# The access logs of a run take hundreds of MB: keep their size for the report and only their last lines.
declare -A log_size=()
for service in app1 app2 baseline-work-app1 baseline-work-app2; do
  log="$run_dir/$service.log"
  log_size[$service]=$(du -h "$log" | cut -f1)
  tail -n 1000 "$log" >"$log.tail" && mv "$log.tail" "$log"
done

echo
# CPU us/req: CPU time the scenario's services used per request. Unlike req/s it barely depends on what else
# runs on the machine, so it is the number to compare when the machine is busy.
# p50 and p99: the highest of the rounds.
printf '%-24s %10s %9s %9s %12s %9s\n' scenario "req/s" "p50 ms" "p99 ms" "CPU us/req" failures
for scenario in "${scenarios[@]}"; do
  printf '%-24s %10s %9s %9s %12s %9s\n' "${title_of[$scenario]}" "${rps[$scenario]}" "${p50_ms[$scenario]}" \
    "${p99_ms[$scenario]}" "${cpu_us_per_request[$scenario]}" "${failures[$scenario]}"
done
echo
printf '%-24s %10s\n' "service (server process)" "peak RSS"
for service in "${servers[@]}"; do
  printf '%-24s %7s MB\n' "$service" "${peak_mb[$service]}"
done
echo
echo "access logs written: app1 ${log_size[app1]}, app2 ${log_size[app2]}, baseline+work app1" \
  "${log_size[baseline-work-app1]}, app2 ${log_size[baseline-work-app2]} (last lines kept in $run_dir);" \
  "the CloudWatch stand-in received $metrics_stats"
echo "load average before: $load_before; after: $load_after (the run itself adds about 2; on $(nproc) cores, a" \
  "load before the run above about 1 means other work competed with wrk and the services and lowered req/s)"

# The same ratio round by round: the chain and the baseline ran seconds apart in each round, so a drift in the
# machine's speed during the run shows here as spread instead of skewing the total.
read -ra chain_rounds <<<"${round_rps[chain]}"
read -ra baseline_rounds <<<"${round_rps[baseline-chain]}"
for ((round = 0; round < rounds; round++)); do
  awk -v c="${chain_rounds[round]}" -v b="${baseline_rounds[round]}" 'BEGIN { printf "%.1f\n", (b > 0 ? 100 * c / b : 0) }'
done | sort -n | awk '{ pct[NR] = $1 } END {
  printf "chain throughput round by round: "
  for (i = 1; i <= NR; i++) printf "%s%s%%", (i > 1 ? ", " : ""), pct[i]
  printf " of the plain baseline chain in the same round (median %s%%)\n", pct[int((NR + 1) / 2)]
}'

# The target compares with the plain baseline; the baseline+work reference only explains the gap.
awk -v chain="${rps[chain]}" -v baseline="${rps[baseline-chain]}" -v work="${rps[work-chain]}" \
  -v p99="${p99_ms[chain]}" -v chain_cpu="${cpu_us_per_request[chain]}" \
  -v baseline_cpu="${cpu_us_per_request[baseline-chain]}" -v work_cpu="${cpu_us_per_request[work-chain]}" \
  -v target_pct="$target_throughput_pct" -v target_p99="$target_p99_ms" -v connections="$connections" 'BEGIN {
    printf "chain CPU per request: %d us, baseline chain %d us: %+d us, of which the production work itself" \
      " (baseline+work %d us) %+d us and Elysia plus the code of the apps %+d us\n", chain_cpu, baseline_cpu,
      chain_cpu - baseline_cpu, work_cpu, work_cpu - baseline_cpu, chain_cpu - work_cpu
    if (work > 0) printf "chain throughput: %.1f%% of baseline+work (for reference only)\n", 100 * chain / work
    pct = baseline > 0 ? 100 * chain / baseline : 0
    printf "chain throughput: %.1f%% of the plain baseline chain (target >= %d%%): %s\n", pct, target_pct,
      (pct >= target_pct ? "met" : "MISSED")
    printf "chain p99 at %d connections: %.2f ms (target < %d ms): %s\n", connections, p99, target_p99,
      (p99 < target_p99 ? "met" : "MISSED")
  }'
