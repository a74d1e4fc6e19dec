#!/usr/bin/env bash
# make demo: the provider's main job on the local fake API, no account needed.
# With --check it also asserts the outputs (make test runs it that way).
source "$(dirname "$0")/lib.sh"
EVENTS=${DEMO_EVENTS:-300}

echo "==> building the provider and the fake HSS API"
build
echo "==> starting the fake HSS API with $EVENTS sample events; cluster-1 unprotected"
start_fake -events "$EVENTS" -seed 42 -protect-status 'cluster=cluster-1,status=unprotected'
echo "    $HW_HSS_ENDPOINT"

cp -r "$ROOT/examples/demo" "$WORK/demo"
cd "$WORK/demo"
echo "==> terraform plan"
"$TERRAFORM" plan -input=false -no-color | tail -n 25
echo "==> terraform apply"
"$TERRAFORM" apply -input=false -auto-approve -no-color >"$WORK/apply.log" 2>&1 || { cat "$WORK/apply.log"; exit 1; }
echo "==> outputs"
"$TERRAFORM" output -no-color

if [ "${1:-}" = "--check" ]; then
  "$TERRAFORM" output -json >"$WORK/outputs.json"
  python_free_check() {
    local total read
    total=$("$TERRAFORM" output -raw total_num)
    read=$("$TERRAFORM" output -raw events_read)
    [ "$total" = "$EVENTS" ] && [ "$read" = "$EVENTS" ] || { echo "demo check: total_num=$total events_read=$read, want $EVENTS" >&2; return 1; }
    grep -q '"deny"' "$WORK/outputs.json" && grep -q '"warn"' "$WORK/outputs.json" || { echo "demo check: by_action lacks deny/warn" >&2; return 1; }
    local unprotected
    unprotected=$("$TERRAFORM" output -json not_protected)
    [ "$unprotected" = '["cluster-1 (unprotected)"]' ] || { echo "demo check: not_protected=$unprotected, want [\"cluster-1 (unprotected)\"]" >&2; return 1; }
  }
  python_free_check
  echo "demo check: passed"
fi
