# Shared by demo.sh and bench.sh: build the provider and the fake API into a
# temporary directory, start the fake, and point Terraform at the build with
# dev_overrides. Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TERRAFORM=${TERRAFORM:-terraform}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/clusterprotect.XXXXXX")
FAKE_PID=""

cleanup() {
  if [ -n "$FAKE_PID" ]; then
    kill "$FAKE_PID" 2>/dev/null || true
    wait "$FAKE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# build: the provider (or PROVIDER_BINARY, such as a release build) and the
# fake API, and a CLI configuration that points Terraform at them.
build() {
  mkdir -p "$WORK/bin"
  if [ -n "${PROVIDER_BINARY:-}" ]; then
    cp "$PROVIDER_BINARY" "$WORK/bin/terraform-provider-clusterprotect"
  else
    (cd "$ROOT" && go build -o "$WORK/bin/terraform-provider-clusterprotect" .)
  fi
  (cd "$ROOT" && go build -o "$WORK/bin/hssfake" ./internal/hssfake/cmd/hssfake)
  cat >"$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "clusterprotect/clusterprotect" = "$WORK/bin"
  }
  direct {}
}
RC
  export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
  export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
}

# start_fake ARGS...: start the fake API and export the provider's settings:
# the fewest a user writes, a region and access keys, plus the fake's address
# for HSS and IAM. The project is found through IAM.
start_fake() {
  rm -f "$WORK/addr"
  "$WORK/bin/hssfake" -addr-file "$WORK/addr" -access-key DEMOACCESSKEY -secret-key demo-secret-key \
    -region ap-southeast-1 -stats-file "$WORK/stats.json" "$@" &
  FAKE_PID=$!
  for _ in $(seq 100); do
    [ -s "$WORK/addr" ] && break
    sleep 0.1
  done
  [ -s "$WORK/addr" ] || { echo "the fake API did not start" >&2; exit 1; }
  HW_HSS_ENDPOINT=$(cat "$WORK/addr")
  export HW_HSS_ENDPOINT HW_IAM_ENDPOINT=$HW_HSS_ENDPOINT
  export HW_REGION_NAME=ap-southeast-1 HW_ACCESS_KEY=DEMOACCESSKEY HW_SECRET_KEY=demo-secret-key
  unset HW_AUTH_TOKEN HW_SECURITY_TOKEN HW_PROJECT_ID HW_PROJECT_NAME HW_ENTERPRISE_PROJECT_ID
}

stop_fake() {
  kill "$FAKE_PID" 2>/dev/null || true
  wait "$FAKE_PID" 2>/dev/null || true
  FAKE_PID=""
}
