#!/usr/bin/env bash
# Load (and optionally fuzz) a DevTime on this machine. Loopback only; bounded in requests and seconds.
#
#   local/load.sh                      start a throwaway DevTime (temp data dir), load it, stop it
#   local/load.sh --url http://127.0.0.1:8080 --key waka_...   load a DevTime that is already running
#   local/load.sh --fuzz 20000         also send 20,000 hostile bodies afterwards (fails on any 5xx)
#   local/load.sh --fuzz-tests 5000    run the jqwik fuzz properties with 5,000 tries each instead
#
# Other options go to the load run: --requests N (5000) --seconds S (60) --concurrency C (8) --batch B (10)
# --users U (own DevTime only, 20). Needs `mvn -B package -DskipTests -pl local -am` first (the jar).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/devtime-local.jar"
url=""
keys=()
users=20
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --key) keys+=("$2"); shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --fuzz-tests)
      cd "$here/.."
      exec mvn -B test -pl local -o -Dtest='FuzzIngestTest' -Djqwik.tries.default="$2" ;;
    *) pass+=("$1"); shift ;;
  esac
done
[ -f "$jar" ] || { echo "no $jar: run mvn -B package -DskipTests -pl local -am first" >&2; exit 2; }

pid=""
data=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$data" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT

if [ -z "$url" ]; then
  # Our own DevTime: a free port, a temp data dir, one key per simulated user (the rate limit is per user).
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  data="$(mktemp -d)"
  args=(--port "$port" --oidc-port $((port + 1)) --data-dir "$data" --quiet)
  for i in $(seq 1 "$users"); do
    k="waka_$(python3 -c 'import uuid; print(uuid.uuid4())')"
    keys+=("$k"); args+=(--user "load$i:$k")
  done
  java -jar "$jar" "${args[@]}" > "$data/local.log" 2>&1 &
  pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    curl -sf "$url/api/health" > /dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$data/local.log" >&2; exit 1; }
    sleep 0.5
  done
fi
[ ${#keys[@]} -gt 0 ] || { echo "give --key KEY for a running DevTime" >&2; exit 2; }

kargs=()
for k in "${keys[@]}"; do kargs+=(--key "$k"); done
java -cp "$jar" dev.devtime.local.measure.LoadRun --url "$url" "${kargs[@]}" "${pass[@]}"
