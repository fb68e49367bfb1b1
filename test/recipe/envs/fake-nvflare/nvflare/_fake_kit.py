"""The stand-in kit process: log, register (clients), start a job process in its own session, sleep."""

import os
import signal
import subprocess
import sys
import time


def workspace(argv):
    return os.path.abspath(argv[argv.index("-m") + 1])


def server_kit(ws):
    parent = os.path.dirname(ws)
    for name in sorted(os.listdir(parent)):
        if os.path.exists(os.path.join(parent, name, "startup", "fed_server.json")):
            return os.path.join(parent, name)
    raise SystemExit(f"no server kit next to {ws}")


def log(path, line):
    with open(path, "a") as f:
        f.write(time.strftime("%Y-%m-%d %H:%M:%S") + " " + line + "\n")


def main(kind):
    ws = workspace(sys.argv)
    name = os.path.basename(ws)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log(os.path.join(ws, "log.txt"), f"fake {kind} {name} started")
    if kind == "client" and name not in os.environ.get("FAKE_NVFLARE_SILENT", "").split(","):
        server_log = os.path.join(server_kit(ws), "log.txt")
        log(server_log, f"ClientManager - INFO - Client: New client {name}@127.0.0.1 joined. Sent token.")
    tag = os.environ.get("FAKE_NVFLARE_TAG", "untagged")
    subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(3600)", "fake-nvflare-job", tag],
        start_new_session=True,
    )
    while True:
        time.sleep(3600)
