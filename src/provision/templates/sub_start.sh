#!/usr/bin/env bash
# Runs the NVIDIA FLARE {{kind}} "{{name}}" in the foreground and restarts it when the runtime asks for it
# (it creates ../restart.fl); ../shutdown.fl (written by stop_fl.sh) ends the loop.
set -u
DIR="$(cd "$(dirname "$0")" && pwd)"
WORKSPACE="$(cd "$DIR/.." && pwd)"
cd "$WORKSPACE"
rm -f "$WORKSPACE/shutdown.fl" "$WORKSPACE/restart.fl"
echo $$ > "$WORKSPACE/daemon_pid.fl"
while true; do
  python3 -u -m {{module}} -m "$WORKSPACE" -s {{fed_json}} \
    --set secure_train=true config_folder={{config_folder}} org={{org}}{{uid_arg}} &
  echo $! > "$WORKSPACE/pid.fl"
  wait $! || true
  rm -f "$WORKSPACE/pid.fl"
  if [ -f "$WORKSPACE/shutdown.fl" ]; then
    rm -f "$WORKSPACE/shutdown.fl" "$WORKSPACE/daemon_pid.fl"
    exit 0
  fi
  if [ -f "$WORKSPACE/restart.fl" ]; then
    rm -f "$WORKSPACE/restart.fl"
    echo "restarting {{name}}"
    continue
  fi
  rm -f "$WORKSPACE/daemon_pid.fl"
  exit 0
done
