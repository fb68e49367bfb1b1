#!/usr/bin/env bash
# Supervisor of an NVIDIA FLARE server, client or relay kit (written by fedforge). start.sh runs it in the
# background; run it yourself to keep it in the foreground (output on the terminal), or with --once to run
# the FLARE process without supervision (for a container or a service manager that restarts it).
#
# It uses the files of the kit folder that NVFlare's own sub_start.sh and the runtime use:
#   pid.fl          the pid of the running FLARE process
#   daemon_pid.fl   the pid of this supervisor
#   restart.fl      written by the runtime (admin "restart"): the process ends and is started again
#   shutdown.fl     written by the runtime (admin "shutdown") or by stop_fl.sh: the process ends for good
# A process that ends without one of those files has crashed. It is started again after a short pause,
# and a process that crashes 5 times within 300 s is left stopped, as NVFlare's own sub_start.sh does.
#
# Usage: sub_start.sh [--log FILE] [--once]
#   --log FILE   append all output (ours and the process's) to FILE, kept under 20 MiB (one older copy in
#                FILE.1); start.sh passes the kit's console log
set -u

# Values of this kit, shell-quoted when the kit was written.
KIND={{kind}}
NAME={{name}}

MAX_CRASHES=5        # crashes within CRASH_WINDOW seconds after which the process is left stopped
CRASH_WINDOW=300
RESTART_PAUSE=2      # seconds between a crash and the next start
STOP_GRACE=10        # seconds a stopping process gets before it is sent SIGTERM, then SIGKILL
LOG_MAX_BYTES=20971520

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
WORKSPACE="$(cd "$DIR/.." && pwd -P)"
LOG=''
ONCE=false
while [ $# -gt 0 ]; do
  case "$1" in
    --log) LOG="${2:?--log needs a file}"; shift ;;
    --once) ONCE=true ;;
    *) echo "sub_start.sh: unknown option $1 (expected --log FILE or --once)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$LOG" ]; then exec >>"$LOG" 2>&1; fi
cd "$WORKSPACE" || exit 1

# Every line of ours starts with this prefix, so start.sh can find them in the log.
say() { echo "sub_start.sh: $(date '+%Y-%m-%d %H:%M:%S') $*"; }

# The FLARE process. exec: run in the background (&), the subshell becomes python, so $! is python's pid.
run_flare() {
  exec python3 -u -m {{module}} -m "$WORKSPACE" -s {{fed_json}} \
    --set secure_train=true config_folder={{config_folder}} org={{org}}{{uid_arg}} </dev/null
}

# --once: this shell becomes the FLARE process (pid.fl names it, so stop_fl.sh can stop it).
if [ "$ONCE" = true ]; then
  rm -f "$WORKSPACE/restart.fl" "$WORKSPACE/shutdown.fl"
  echo "$$" >"$WORKSPACE/pid.fl"
  run_flare
fi

# "status 103 (config error)": the exit codes NVFlare's process monitor uses, and signals.
describe_status() {
  case "$1" in
    0) echo "status 0" ;;
    101) echo "status 101 (exception)" ;;
    102) echo "status 102 (unsafe component)" ;;
    103) echo "status 103 (config error)" ;;
    *) if [ "$1" -gt 128 ]; then echo "status $1 (signal $(($1 - 128)))"; else echo "status $1"; fi ;;
  esac
}

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

# Copies the log aside and empties it when it grows past LOG_MAX_BYTES (the process keeps writing to it).
rotate_log() {
  [ -n "$LOG" ] && [ -f "$LOG" ] || return 0
  if [ "$(wc -c <"$LOG")" -gt "$LOG_MAX_BYTES" ]; then
    cp "$LOG" "$LOG.1.part" && mv -f "$LOG.1.part" "$LOG.1" && : >"$LOG"
  fi
}

# Ends process $1: SIGTERM after waiting $2 seconds for it to end by itself, SIGKILL 10 s later.
end_process() {
  local waited=0
  while alive "$1" && [ "$waited" -lt "$2" ]; do sleep 1; waited=$((waited + 1)); done
  if alive "$1"; then say "sending SIGTERM to process $1"; kill -TERM "$1" 2>/dev/null; fi
  waited=0
  while alive "$1" && [ "$waited" -lt 10 ]; do sleep 1; waited=$((waited + 1)); done
  if alive "$1"; then say "sending SIGKILL to process $1"; kill -KILL "$1" 2>/dev/null; fi
}

clean_up() { rm -f "$WORKSPACE/pid.fl" "$WORKSPACE/daemon_pid.fl" "$WORKSPACE/restart.fl" "$WORKSPACE/shutdown.fl"; }

# SIGTERM or SIGINT (stop_fl.sh, or Ctrl-C in the foreground): end the process, then this loop.
# $! (the last process started in the background) is the FLARE process; running=1 while it may be alive.
running=0
on_signal() {
  say "stop signal received; stopping $KIND $NAME"
  if [ "$running" = 1 ] && [ -n "${!-}" ]; then end_process "$!" 0; fi
  clean_up
  say "stopped"
  exit 0
}
trap on_signal TERM INT

if daemon="$(read_pid "$WORKSPACE/daemon_pid.fl")" && ours "$daemon"; then
  say "$KIND $NAME is already supervised by process $daemon; stop it with stop_fl.sh first"
  exit 1
fi
rm -f "$WORKSPACE/restart.fl" "$WORKSPACE/shutdown.fl" "$WORKSPACE/pid.fl"
echo "$$" >"$WORKSPACE/daemon_pid.fl"

crashes=()   # $SECONDS at each crash within the last CRASH_WINDOW seconds
while true; do
  running=1
  run_flare &
  pid=$!
  echo "$pid" >"$WORKSPACE/pid.fl"
  say "started $KIND $NAME: process $pid"
  # Watch it. When the runtime writes restart.fl or shutdown.fl it is ending itself; help it if it hangs.
  while alive "$pid"; do
    if [ -f "$WORKSPACE/restart.fl" ] || [ -f "$WORKSPACE/shutdown.fl" ]; then end_process "$pid" "$STOP_GRACE"; fi
    rotate_log
    sleep 1
  done
  wait "$pid"
  status=$?
  running=0
  rm -f "$WORKSPACE/pid.fl"
  if [ -f "$WORKSPACE/shutdown.fl" ]; then
    say "process $pid ended with $(describe_status "$status") after a shutdown request; not restarting"
    break
  fi
  if [ -f "$WORKSPACE/restart.fl" ]; then
    rm -f "$WORKSPACE/restart.fl"
    say "process $pid ended with $(describe_status "$status") after a restart request; restarting"
    continue
  fi
  say "process $pid exited with $(describe_status "$status") without a restart or shutdown request"
  recent=()
  for t in "${crashes[@]+"${crashes[@]}"}"; do
    [ $((SECONDS - t)) -lt "$CRASH_WINDOW" ] && recent+=("$t")
  done
  crashes=("${recent[@]+"${recent[@]}"}" "$SECONDS")
  if [ "${#crashes[@]}" -ge "$MAX_CRASHES" ]; then
    say "giving up: $KIND $NAME crashed ${#crashes[@]} times within $CRASH_WINDOW s; see the lines above and log.txt"
    break
  fi
  say "restarting in $RESTART_PAUSE s (crash ${#crashes[@]} of at most $MAX_CRASHES within $CRASH_WINDOW s)"
  sleep "$RESTART_PAUSE"
done
clean_up
