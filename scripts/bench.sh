#!/usr/bin/env bash
# make bench: terraform apply of a config that reads every event from the
# local fake API (default 10,000 events in 3 clusters, 50 ms per request),
# at the default max_concurrency and at 1. Prints wall time, requests, max in
# flight, the ratio, and the provider process's peak RSS. Past 10,000 events
# the read goes cluster by cluster: BENCH_EVENTS=25000 BENCH_CLUSTERS=6.
source "$(dirname "$0")/lib.sh"
EVENTS=${BENCH_EVENTS:-10000}
LATENCY=${BENCH_LATENCY:-50ms}
CLUSTERS=${BENCH_CLUSTERS:-3}
MAX_RESULTS=${BENCH_MAX_RESULTS:-} # set: the data source keeps only that many in data_list

build

# watch_rss: poll the provider process's peak RSS (VmHWM) until stop-watch
# appears, then write the highest seen, in KiB, to $WORK/rss.
watch_rss() {
  local peak=0 hwm pid
  while [ ! -e "$WORK/stop-watch" ]; do
    for pid in $(pgrep -f "$WORK/bin/terraform-provider-clusterprotect" || true); do
      hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
    done
    sleep 0.02
  done
  echo "$peak" >"$WORK/rss"
}

run() {
  local concurrency=$1 dir="$WORK/cfg-$1"
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    clusterprotect = { source = "clusterprotect/clusterprotect" }
  }
}
provider "clusterprotect" {
  max_concurrency = $concurrency
}
data "clusterprotect_events" "all" {
  ${MAX_RESULTS:+max_results = $MAX_RESULTS}
}
output "events" {
  value = data.clusterprotect_events.all.summary.total
}
TF
  start_fake -events "$EVENTS" -clusters "$CLUSTERS" -latency "$LATENCY"
  rm -f "$WORK/stop-watch" "$WORK/rss"
  watch_rss &
  local watcher=$! t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && "$TERRAFORM" apply -input=false -auto-approve -no-color >"$dir/apply.log" 2>&1) || { cat "$dir/apply.log"; exit 1; }
  t1=$(date +%s.%N)
  touch "$WORK/stop-watch"; wait "$watcher"
  stop_fake
  local got stats
  got=$(cd "$dir" && "$TERRAFORM" output -raw events)
  [ "$got" = "$EVENTS" ] || { echo "read $got events, want $EVENTS" >&2; exit 1; }
  stats=$(cat "$WORK/stats.json")
  WALL[$concurrency]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  printf '%-16s wall %6ss  requests %s  max in flight %s  provider peak RSS %s MiB\n' \
    "max_concurrency=$concurrency" "${WALL[$concurrency]}" \
    "$(sed -E 's/.*"requests":([0-9]+).*/\1/' <<<"$stats")" \
    "$(sed -E 's/.*"max_in_flight":([0-9]+).*/\1/' <<<"$stats")" \
    "$(awk -v k="$(cat "$WORK/rss")" 'BEGIN { printf "%.1f", k / 1024 }')"
}

declare -A WALL
echo "terraform apply reading $EVENTS events in $CLUSTERS clusters, $LATENCY per request ($("$TERRAFORM" version | head -n 1))"
run 8
run 1
awk -v a="${WALL[1]}" -v b="${WALL[8]}" 'BEGIN { printf "ratio (max_concurrency=1 / default): %.1fx\n", a / b }'
