#!/usr/bin/env bash
# Stops the NVIDIA FLARE {{kind}} "{{name}}" started by start.sh. Pass -y to skip the question.
set -u
DIR="$(cd "$(dirname "$0")" && pwd)"
WORKSPACE="$(cd "$DIR/.." && pwd)"
if [ "${1:-}" != "-y" ]; then
  printf 'Stop {{kind}} {{name}} now? Running jobs on it are aborted. [y/N] '
  read -r answer
  case "$answer" in y|Y|yes|YES) ;; *) echo "not stopped"; exit 0 ;; esac
fi
touch "$WORKSPACE/shutdown.fl"
if [ -f "$WORKSPACE/pid.fl" ]; then
  pid="$(cat "$WORKSPACE/pid.fl")"
  kill "$pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$WORKSPACE/pid.fl"
fi
echo "stopped {{kind}} {{name}}"
