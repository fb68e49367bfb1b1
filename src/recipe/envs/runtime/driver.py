"""fedforge's runtime driver: NVFlare's FLARE API (admin side), spoken to as JSON lines on stdout.

    python3 driver.py check [--require MODULE ...]
    python3 driver.py --admin-kit DIR --username NAME <command> [args]

commands (each prints one JSON object per line on stdout; the last one says how it ended):
    check                      {"event": "check", "python": ..., "python_version": ..., "modules": {name: version}}
    clients                    {"event": "clients", "clients": [names of the registered clients]}
    submit JOB_DIR             {"event": "submitted", "job_id": ...}
    wait JOB_ID                {"event": "status"} on every change, {"event": "round"} on every new round,
                               then {"event": "finished", "job_id": ..., "status": ..., "detail": [...]}
                               (detail: the job meta's job_deploy_detail, what NVFlare says of its deployment)
    download JOB_ID            {"event": "downloaded", "job_id": ..., "path": ...}
    run JOB_DIR                in one session: clients (awaited with --expect-clients), submit, wait, download
    abort JOB_ID               {"event": "aborted", "job_id": ...}

"round" carries the server workflow's own counters (ScatterAndGather's show_stats): "current_round" (0-based)
and "num_rounds". Time limits: --clients-timeout (the expected clients), --start-timeout (submitted until
RUNNING), --round-timeout (RUNNING without a new round; 0: none, the caller keeps that limit). Errors end with {"event": "error", "kind": ...,
"message": ...} ("waiting_for" names the wait a timeout ended) and exit code: 3 import (a module cannot be
imported), 4 session (no admin session), 5 timeout, 1 anything else from NVFlare; 2 is bad usage.
Anything NVFlare prints goes to stderr, so stdout carries only the JSON lines. Uses only the FLARE API calls
that NVFlare 2.7, 2.8 and main share: new_secure_session, get_system_info, submit_job, get_job_meta,
show_stats, download_job_result, abort_job, close.
"""

import argparse
import importlib
import json
import os
import signal
import sys
import time

EXIT = {"error": 1, "usage": 2, "import": 3, "session": 4, "timeout": 5}


class DriverError(Exception):
    def __init__(self, kind, message, **extra):
        super().__init__(message)
        self.kind = kind
        self.extra = extra


def _claim_stdout():
    """Keep the real stdout for our JSON lines; send whatever else writes to fd 1 to stderr."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


OUT = None


def emit(event, **fields):
    OUT.write(json.dumps({"event": event, **fields}, default=str) + "\n")
    OUT.flush()


def import_module(name):
    try:
        return importlib.import_module(name)
    except Exception as e:  # ImportError, or anything the module raises while it loads
        raise DriverError("import", f"{type(e).__name__}: {e}", module=name) from e


def cmd_check(args):
    modules = {}
    for name in ["nvflare", *args.require]:
        mod = import_module(name)
        modules[name] = str(getattr(mod, "__version__", "unknown"))
    emit("check", python=sys.executable, python_version=sys.version.split()[0], modules=modules)


def open_session(args):
    flare_api = import_module("nvflare.fuel.flare_api.flare_api")
    try:
        session = flare_api.new_secure_session(args.username, args.admin_kit, timeout=args.session_timeout)
    except Exception as e:
        raise DriverError("session", f"no admin session from {args.admin_kit}: {type(e).__name__}: {e}") from e
    emit("session", admin_kit=args.admin_kit, username=args.username)
    return session


def registered_clients(session):
    return sorted(c.name for c in session.get_system_info().client_info)


def wait_clients(session, expected, timeout, poll):
    deadline = time.monotonic() + timeout
    while True:
        clients = registered_clients(session)
        missing = [c for c in expected if c not in clients]
        if not missing:
            emit("clients", clients=clients)
            return clients
        if time.monotonic() > deadline:
            raise DriverError(
                "timeout",
                f"the server reports clients {clients} after {timeout:g} s; missing {missing}",
                waiting_for="clients",
                clients=clients,
            )
        time.sleep(poll)


def submit(session, job_dir):
    job_id = session.submit_job(os.path.abspath(job_dir))
    emit("submitted", job_id=job_id)
    return job_id


def _find_rounds(stats):
    """The (current_round, num_rounds) a server workflow reports in show_stats, searched depth-first."""
    if isinstance(stats, dict):
        if "current_round" in stats and "num_rounds" in stats:
            return stats.get("current_round"), stats.get("num_rounds")
        for value in stats.values():
            found = _find_rounds(value)
            if found:
                return found
    return None


def job_rounds(session, job_id):
    try:
        return _find_rounds(session.show_stats(job_id, "server"))
    except Exception as e:  # progress only: a job without stats (or a busy server) must not end the wait
        print(f"show_stats {job_id}: {type(e).__name__}: {e}", file=sys.stderr)
        return None


def _round_text(rounds):
    if not rounds or rounds[0] is None:
        return "before its first round"
    return f"in round {rounds[0] + 1} of {rounds[1]}"


def wait(session, job_id, args):
    submitted = time.monotonic()
    progress_at = submitted
    status = last_status = None
    rounds = last_rounds = None
    while True:
        meta = session.get_job_meta(job_id)
        status = str(meta.get("status", ""))
        now = time.monotonic()
        if status != last_status:
            emit("status", job_id=job_id, status=status)
            last_status, progress_at = status, now
        if status.startswith("FINISHED"):
            detail = meta.get("job_deploy_detail")  # why a job failed to deploy, when it did
            emit("finished", job_id=job_id, status=status, detail=[str(d) for d in detail or []])
            return status
        if status == "RUNNING":
            rounds = job_rounds(session, job_id)
            if rounds and rounds != last_rounds:
                emit("round", job_id=job_id, current_round=rounds[0], num_rounds=rounds[1])
                last_rounds, progress_at = rounds, now
            if args.round_timeout > 0 and now - progress_at > args.round_timeout:
                raise DriverError(
                    "timeout",
                    f"job {job_id} made no progress for {args.round_timeout:g} s {_round_text(last_rounds)}",
                    waiting_for="round",
                    job_id=job_id,
                    current_round=last_rounds[0] if last_rounds else None,
                    num_rounds=last_rounds[1] if last_rounds else None,
                )
        elif now - submitted > args.start_timeout:
            raise DriverError(
                "timeout",
                f"job {job_id} did not start within {args.start_timeout:g} s (status {status})",
                waiting_for="job start",
                job_id=job_id,
                status=status,
            )
        time.sleep(args.poll)


def download(session, job_id):
    path = session.download_job_result(job_id)
    emit("downloaded", job_id=job_id, path=os.path.abspath(path) if path else None)
    return path


def with_session(args, action):
    session = open_session(args)
    try:
        return action(session)
    finally:
        session.close()


def cmd_run(args):
    def run(session):
        if args.expect_clients:
            wait_clients(session, args.expect_clients.split(","), args.clients_timeout, args.poll)
        else:
            emit("clients", clients=registered_clients(session))
        job_id = submit(session, args.job_dir)
        if args.no_wait:
            return
        wait(session, job_id, args)
        if not args.no_download:
            download(session, job_id)

    with_session(args, run)


def cmd_abort(args):
    with_session(args, lambda s: s.abort_job(args.job_id))
    emit("aborted", job_id=args.job_id)


COMMANDS = {
    "check": cmd_check,
    "clients": lambda a: emit("clients", clients=with_session(a, registered_clients)),
    "submit": lambda a: with_session(a, lambda s: submit(s, a.job_dir)),
    "wait": lambda a: with_session(a, lambda s: wait(s, a.job_id, a)),
    "download": lambda a: with_session(a, lambda s: download(s, a.job_id)),
    "run": cmd_run,
    "abort": cmd_abort,
}


def add_wait_args(sp):
    sp.add_argument("--start-timeout", type=float, default=180.0, help="seconds from submission to RUNNING")
    sp.add_argument("--round-timeout", type=float, default=600.0, help="seconds RUNNING without a new round (0: none)")
    sp.add_argument("--poll", type=float, default=2.0, help="seconds between status checks")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="driver.py", description=__doc__.split("\n")[0])
    p.add_argument("--admin-kit", help="the admin's startup kit (the folder that holds startup/)")
    p.add_argument("--username", help="the admin user of that kit")
    p.add_argument("--session-timeout", type=float, default=30.0, help="seconds to get an admin session")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("check").add_argument("--require", action="append", default=[], help="also import MODULE")
    sub.add_parser("clients")
    sub.add_parser("submit").add_argument("job_dir")
    wait_cmd = sub.add_parser("wait")
    wait_cmd.add_argument("job_id")
    add_wait_args(wait_cmd)
    run = sub.add_parser("run")
    run.add_argument("job_dir")
    add_wait_args(run)
    run.add_argument("--expect-clients", help="comma-separated clients to await before submitting")
    run.add_argument("--clients-timeout", type=float, default=120.0, help="seconds to await them")
    run.add_argument("--no-wait", action="store_true", help="submit only")
    run.add_argument("--no-download", action="store_true")
    sub.add_parser("download").add_argument("job_id")
    sub.add_parser("abort").add_argument("job_id")
    args = p.parse_args(argv)
    if args.command != "check" and not (args.admin_kit and args.username):
        p.error(f"{args.command} needs --admin-kit and --username")
    return args


def main(argv):
    global OUT
    OUT = _claim_stdout()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        args = parse_args(argv)
    except SystemExit as e:
        return EXIT["usage"] if e.code else 0
    try:
        COMMANDS[args.command](args)
        return 0
    except DriverError as e:
        emit("error", kind=e.kind, message=str(e), **e.extra)
        return EXIT[e.kind]
    except Exception as e:
        emit("error", kind="error", message=f"{type(e).__name__}: {e}")
        return EXIT["error"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
