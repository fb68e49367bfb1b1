#!/usr/bin/env bash
# Starts the NVIDIA FLARE {{kind}} "{{name}}" in the background.
# The process writes its logs into the kit folder (log.txt); stop it with ./stop_fl.sh.
set -eu
DIR="$(cd "$(dirname "$0")" && pwd)"
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 was not found; install Python 3.9+ and 'pip install nvflare' first." >&2
  exit 1
fi
if ! python3 -c 'import nvflare' >/dev/null 2>&1; then
  echo "the Python package nvflare is not installed; run 'pip install nvflare' first." >&2
  exit 1
fi
nohup "$DIR/sub_start.sh" >/dev/null 2>&1 &
echo "started {{kind}} {{name}}; logs in $(cd "$DIR/.." && pwd)/log.txt"
