#!/usr/bin/env bash
# Starts an NVIDIA FLARE server, client or relay kit in the background (written by fedforge).
#  1. Checks that python3 can load NVFlare's entry point for this kit, and shows Python's own error if not.
#  2. Runs sub_start.sh in the background. It starts the FLARE process and restarts it when it crashes.
#  3. Watches the new process for FLARE_START_WAIT seconds (default 10; 0 skips the watch). When it exits
#     in that time, nothing is restarted: its last output is printed here and start.sh exits 1.
# All output of the process goes to the console log of the kit folder (named below); the runtime also writes
# its own log.txt there once it has read its configuration. Stop the kit with stop_fl.sh.
set -u

# Values of this kit, shell-quoted when the kit was written.
KIND={{kind}}
NAME={{name}}
MODULE={{module}}
CONSOLE_LOG={{console_log}}

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
WORKSPACE="$(cd "$DIR/.." && pwd -P)"
LOG="$WORKSPACE/$CONSOLE_LOG"
WAIT="${FLARE_START_WAIT:-10}"

fail() {
  echo "start.sh: $*" >&2
  exit 1
}

case "$WAIT" in '' | *[!0-9]*) fail "FLARE_START_WAIT must be a whole number of seconds, not '$WAIT'" ;; esac

alive() { kill -0 "$1" 2>/dev/null; }

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

# 1. The interpreter, and NVFlare's entry point with everything it imports.
PYTHON="$(command -v python3)" ||
  fail "python3 was not found on PATH; install Python 3.9 or newer, then NVFlare (python3 -m pip install nvflare)"
if ! output="$(python3 -c 'import importlib, sys; importlib.import_module(sys.argv[1])' "$MODULE" 2>&1)"; then
  {
    echo "start.sh: $PYTHON ($(python3 -V 2>&1)) cannot load $MODULE, the entry point of the $KIND:"
    printf '%s\n' "$output" | tail -n 15 | sed 's/^/    /'
    case "$output" in
      *"No module named 'nvflare'"*)
        echo "NVFlare is not installed for this interpreter: $PYTHON -m pip install nvflare (the version this kit was written for)" ;;
      *"No module named 'nvflare."*)
        echo "The NVFlare installed for this interpreter lacks that module: install the version this kit was written for" ;;
      *)
        echo "NVFlare is installed, but something it imports failed (the last line above says what): install that" \
          "for $PYTHON, or put the python3 that has it first on PATH" ;;
    esac
  } | tee -a "$LOG" >&2
  exit 1
fi

# 2. One supervisor and one process per kit; pid files of ones that are gone are removed.
for file in daemon_pid.fl pid.fl; do
  if pid="$(read_pid "$WORKSPACE/$file")" && ours "$pid"; then
    fail "the $KIND $NAME is already running (pid $pid, in $file); stop it first with $DIR/stop_fl.sh"
  fi
  rm -f "${WORKSPACE:?}/$file"
done
: >>"$LOG" || fail "cannot write the console log $LOG"
offset="$(wc -c <"$LOG")"
nohup "$DIR/sub_start.sh" --log "$LOG" </dev/null >/dev/null 2>&1 &
supervisor=$!

# What the supervisor and the process wrote since this start (all of the log if it was rotated meanwhile).
new_output() {
  if [ "$(wc -c <"$LOG")" -lt "$offset" ]; then cat "$LOG"; else tail -c +"$((offset + 1))" "$LOG"; fi
}

# Ends the supervisor (which ends the process) and shows what they wrote: a failed start.
failed_start() {
  local waited=0
  kill -TERM "$supervisor" 2>/dev/null
  while alive "$supervisor" && [ "$waited" -lt 15 ]; do sleep 1; waited=$((waited + 1)); done # its stop takes <= 10 s
  {
    echo "start.sh: the $KIND $NAME $1. Its last output ($LOG):"
    new_output | tail -n 40 | sed 's/^/    /'
    echo "start.sh: fix the cause and run start.sh again; the runtime's own log, if it got that far, is $WORKSPACE/log.txt"
  } >&2
  exit 1
}

# True while the supervisor runs and has not seen the process exit.
still_up() { alive "$supervisor" && ! new_output | grep -q '^sub_start\.sh: .* exited with status'; }

# 3. Watch. The supervisor records the process in pid.fl first (within 30 s, or the start failed); then a
# process that exits (or a supervisor that ends) within WAIT seconds is a failed start.
waited=0
until pid="$(read_pid "$WORKSPACE/pid.fl")"; do
  still_up || failed_start "stopped during startup and was not restarted"
  [ "$waited" -lt 30 ] || failed_start "was not started by sub_start.sh within 30 s"
  sleep 1
  waited=$((waited + 1))
done
waited=0
while [ "$waited" -lt "$WAIT" ]; do
  sleep 1
  waited=$((waited + 1))
  still_up || failed_start "stopped during startup and was not restarted"
done

if [ "$WAIT" -gt 0 ]; then how="running after $WAIT s"; else how="not watched"; fi
echo "started the $KIND $NAME: process $pid ($how), supervised by sub_start.sh (pid $supervisor)"
echo "output in $LOG, the runtime's log in $WORKSPACE/log.txt; stop it with $DIR/stop_fl.sh"
