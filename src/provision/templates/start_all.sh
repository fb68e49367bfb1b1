#!/usr/bin/env bash
# Starts every kit of this folder on this machine (written by fedforge): the server first, then the relays
# (parents first), then the clients, all at once. Each kit's start script waits a few seconds and fails when
# its process died; this script stops at a server or relay that did not start, and exits 1 when a client
# did not. For trying a project on one machine; in production each site starts its own kit.
set -u
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

# Runs the start script $1 and stops here when it fails.
start_kit() {
  "$1" || { echo "start_all.sh: $1 failed, so the kits after it were not started" >&2; exit 1; }
}

# Runs the start script $1 in the background; wait_clients collects them.
client_pids=()
start_client() {
  "$1" &
  client_pids+=("$!")
}
wait_clients() {
  local p failed=0
  for p in "${client_pids[@]+"${client_pids[@]}"}"; do wait "$p" || failed=$((failed + 1)); done
  if [ "$failed" -gt 0 ]; then
    echo "start_all.sh: $failed client(s) did not start (see above); the other kits are running" >&2
    exit 1
  fi
}

{{server_line}}{{relay_lines}}{{client_lines}}wait_clients
echo "all started; stop each with its startup/stop_fl.sh -y"
