#!/usr/bin/env bash
# Stops what start.sh started in this NVIDIA FLARE kit (written by fedforge): the FLARE process and its
# sub_start.sh supervisor, found by the pids they recorded (pid.fl, daemon_pid.fl) and checked to belong to
# this kit. It writes shutdown.fl first, so that nothing restarts the process, sends SIGTERM, waits up to
# FLARE_STOP_WAIT seconds (default 30), then sends SIGKILL.
# As with NVFlare's own stop_fl.sh, this is the last resort: the admin console's shutdown command also tells
# the rest of the federation. Pass -y to skip the question.
# Exit status: 0 when stopped or not running, 1 when a process could not be stopped.
set -u

# Values of this kit, shell-quoted when the kit was written.
KIND={{kind}}
NAME={{name}}

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
WORKSPACE="$(cd "$DIR/.." && pwd -P)"
WAIT="${FLARE_STOP_WAIT:-30}"
case "$WAIT" in '' | *[!0-9]*) echo "stop_fl.sh: FLARE_STOP_WAIT must be a whole number of seconds, not '$WAIT'" >&2; exit 2 ;; esac

# True when process $1 exists and is not a zombie (an ended process its parent has not collected yet).
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  stat="$(cat "/proc/$1/stat" 2>/dev/null || ps -o stat= -p "$1" 2>/dev/null)" || return 0
  stat="${stat##*) }" # /proc/PID/stat: "pid (name) state ..."; ps: "state"
  case "$stat" in Z*) return 1 ;; *) return 0 ;; esac
}

# The pid recorded in file $1, when it holds one (never 0, 1 or a negative number: kill would take those
# for a process group or every process).
read_pid() {
  local p
  p="$(cat "$1" 2>/dev/null)" || return 1
  case "$p" in '' | *[!0-9]*) return 1 ;; esac
  [ "$p" -gt 1 ] && echo "$p"
}

# True when process $1 is alive and its command line names this kit (a recorded pid may have been reused).
ours() {
  local args
  alive "$1" || return 1
  if [ -r "/proc/$1/cmdline" ]; then
    args="$(tr '\0' ' ' <"/proc/$1/cmdline")"
  elif command -v ps >/dev/null 2>&1; then
    args="$(ps -o args= -p "$1")"
  else
    return 0
  fi
  case "$args" in *"$WORKSPACE"*) return 0 ;; *) return 1 ;; esac
}

if [ "${1:-}" != "-y" ]; then
  printf 'Stop the %s %s now? Running jobs on it are aborted. [y/N] ' "$KIND" "$NAME"
  read -r answer || answer=''
  case "$answer" in y | Y | yes | YES) ;; *) echo "not stopped"; exit 0 ;; esac
fi

# The FLARE process first, then its supervisor.
pids=()
if pid="$(read_pid "$WORKSPACE/pid.fl")" && ours "$pid"; then pids+=("$pid"); fi
if pid="$(read_pid "$WORKSPACE/daemon_pid.fl")" && ours "$pid"; then pids+=("$pid"); fi
if [ "${#pids[@]}" -eq 0 ]; then
  rm -f "$WORKSPACE/pid.fl" "$WORKSPACE/daemon_pid.fl"
  echo "the $KIND $NAME is not running (no live process of this kit in pid.fl or daemon_pid.fl)"
  exit 0
fi

touch "$WORKSPACE/shutdown.fl"
kill -TERM "${pids[@]}" 2>/dev/null

# The pids of $pids that are still alive.
left() {
  local p
  for p in "${pids[@]}"; do alive "$p" && printf '%s ' "$p"; done
}

waited=0
while [ -n "$(left)" ] && [ "$waited" -lt "$WAIT" ]; do sleep 1; waited=$((waited + 1)); done
if [ -n "$(left)" ]; then
  echo "still running after $WAIT s: sending SIGKILL to $(left)"
  # shellcheck disable=SC2046 # word splitting of the pid list is meant
  kill -KILL $(left) 2>/dev/null
  waited=0
  while [ -n "$(left)" ] && [ "$waited" -lt 10 ]; do sleep 1; waited=$((waited + 1)); done
fi
if [ -n "$(left)" ]; then
  echo "stop_fl.sh: could not stop process $(left)of the $KIND $NAME" >&2
  exit 1
fi
rm -f "$WORKSPACE/pid.fl" "$WORKSPACE/daemon_pid.fl" "$WORKSPACE/shutdown.fl" "$WORKSPACE/restart.fl"
echo "stopped the $KIND $NAME (process ${pids[*]})"
