"""fedforge's driver for NVFlare's FLARE API (admin side), spoken to as JSON lines.

    python3 flare_driver.py check [--require MODULE ...]
    python3 flare_driver.py --admin-kit DIR --username NAME <command> [args]

commands (each prints one JSON object per line on stdout, the last one says how it ended):
    check                      {"event": "check", "python": ..., "modules": {name: version}}
    clients                    {"event": "clients", "clients": [names of the registered clients]}
    submit JOB_DIR             {"event": "submitted", "job_id": ...}
    wait JOB_ID                {"event": "status", ...} on every change, then {"event": "finished", ...}
    download JOB_ID            {"event": "downloaded", "job_id": ..., "path": ...}
    run JOB_DIR                submit, wait and download in one session
    abort JOB_ID               {"event": "aborted", "job_id": ...}

Errors end with {"event": "error", "kind": ..., "message": ...} and exit code: 3 import (a module cannot be
imported), 4 session (no admin session), 5 timeout, 1 anything else from NVFlare; 2 is bad usage.
Anything NVFlare prints goes to stderr, so stdout carries only the JSON lines. Uses only the FLARE API calls
that NVFlare 2.7, 2.8 and main share: new_secure_session, submit_job, get_job_meta, download_job_result,
abort_job, get_system_info, close.
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
        raise DriverError("import", f"cannot import {name}: {type(e).__name__}: {e}", module=name) from e


def cmd_check(args):
    modules = {}
    for name in ["nvflare", *args.require]:
        mod = import_module(name)
        modules[name] = str(getattr(mod, "__version__", "unknown"))
    emit("check", python=sys.executable, python_version=sys.version.split()[0], modules=modules)


def open_session(args):
    flare_api = import_module("nvflare.fuel.flare_api.flare_api")
    try:
        return flare_api.new_secure_session(args.username, args.admin_kit, timeout=args.session_timeout)
    except Exception as e:
        raise DriverError("session", f"no admin session from {args.admin_kit}: {type(e).__name__}: {e}") from e


def submit(session, job_dir):
    job_id = session.submit_job(os.path.abspath(job_dir))
    emit("submitted", job_id=job_id)
    return job_id


def wait(session, job_id, timeout, poll):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        meta = session.get_job_meta(job_id)
        status = str(meta.get("status", ""))
        if status != last:
            emit("status", job_id=job_id, status=status)
            last = status
        if status.startswith("FINISHED"):
            emit("finished", job_id=job_id, status=status)
            return status
        if time.monotonic() > deadline:
            raise DriverError("timeout", f"job {job_id} not finished after {timeout} s (status {status})")
        time.sleep(poll)


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


def cmd_clients(args):
    info = with_session(args, lambda s: s.get_system_info())
    emit("clients", clients=sorted(c.name for c in info.client_info))


def cmd_run(args):
    def run(session):
        job_id = submit(session, args.job_dir)
        wait(session, job_id, args.timeout, args.poll)
        if not args.no_download:
            download(session, job_id)

    with_session(args, run)


def cmd_abort(args):
    with_session(args, lambda s: s.abort_job(args.job_id))
    emit("aborted", job_id=args.job_id)


COMMANDS = {
    "check": cmd_check,
    "clients": cmd_clients,
    "submit": lambda a: with_session(a, lambda s: submit(s, a.job_dir)),
    "wait": lambda a: with_session(a, lambda s: wait(s, a.job_id, a.timeout, a.poll)),
    "download": lambda a: with_session(a, lambda s: download(s, a.job_id)),
    "run": cmd_run,
    "abort": cmd_abort,
}


def parse_args(argv):
    p = argparse.ArgumentParser(prog="flare_driver.py", description=__doc__.split("\n")[0])
    p.add_argument("--admin-kit", help="the admin's startup kit (the folder that holds startup/)")
    p.add_argument("--username", help="the admin user of that kit")
    p.add_argument("--session-timeout", type=float, default=30.0, help="seconds to get an admin session")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("check").add_argument("--require", action="append", default=[], help="also import MODULE")
    sub.add_parser("clients")
    sub.add_parser("submit").add_argument("job_dir")
    for name, arg in (("wait", "job_id"), ("run", "job_dir")):
        sp = sub.add_parser(name)
        sp.add_argument(arg)
        sp.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for FINISHED")
        sp.add_argument("--poll", type=float, default=2.0, help="seconds between status checks")
        if name == "run":
            sp.add_argument("--no-download", action="store_true")
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
