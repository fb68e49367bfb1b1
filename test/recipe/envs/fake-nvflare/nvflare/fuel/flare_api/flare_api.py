"""The stand-in FLARE API: one job per session, its status advancing one step per get_job_meta."""

import os
import re
import uuid

from nvflare._fake_kit import server_kit

SCENARIOS = {
    "complete": [("SUBMITTED", None), ("RUNNING", 0), ("RUNNING", 1), ("FINISHED:COMPLETED", 2)],
    "stuck-start": [("SUBMITTED", None)],
    "stuck-round": [("SUBMITTED", None), ("RUNNING", 0)],
    "exception": [("SUBMITTED", None), ("RUNNING", 0), ("FINISHED:EXECUTION_EXCEPTION", 0)],
    "failed-to-run": [("SUBMITTED", None), ("FINISHED:FAILED_TO_RUN", None)],
}


class ClientInfo:
    def __init__(self, name):
        self.name = name


class SystemInfo:
    def __init__(self, clients):
        self.client_info = [ClientInfo(c) for c in clients]


class Session:
    def __init__(self, username, kit):
        self.username = username
        self.kit = os.path.abspath(kit)
        self.steps = SCENARIOS[os.environ.get("FAKE_NVFLARE_SCENARIO", "complete")]
        self.step = -1
        self.jobs = {}

    def get_system_info(self):
        log = os.path.join(server_kit(self.kit), "log.txt")
        text = open(log).read() if os.path.exists(log) else ""
        return SystemInfo(sorted(set(re.findall(r"New client (\S+?)@\S* joined", text))))

    def submit_job(self, job_dir):
        if not os.path.exists(os.path.join(job_dir, "meta.json")):
            raise RuntimeError(f"no job at {job_dir}")
        job_id = str(uuid.uuid4())
        self.jobs[job_id] = job_dir
        return job_id

    def _state(self):
        return self.steps[min(self.step, len(self.steps) - 1)]

    def get_job_meta(self, job_id):
        self.step += 1
        meta = {"job_id": job_id, "status": self._state()[0]}
        if meta["status"] == "FINISHED:FAILED_TO_RUN":
            meta["job_deploy_detail"] = ["server: OK", "site-2: failed to deploy (stand-in)"]
        return meta

    def show_stats(self, job_id, target_type):
        current = self._state()[1]
        return {"server": {"ScatterAndGather": {"phase": "train", "current_round": current, "num_rounds": 2}}}

    def download_job_result(self, job_id):
        result = os.path.join(self.kit, "transfer", job_id)
        app = os.path.join(result, "workspace", "app_server")
        os.makedirs(app, exist_ok=True)
        with open(os.path.join(app, "FL_global_model.pt"), "wb") as f:
            f.write(b"fake global model")
        with open(os.path.join(result, "workspace", "log.txt"), "w") as f:
            f.write("fake server job log\n")
        return result

    def abort_job(self, job_id):
        pass

    def close(self):
        pass


def new_secure_session(username, startup_kit_location, debug=False, timeout=10.0):
    if os.environ.get("FAKE_NVFLARE_SCENARIO") == "no-session":
        raise ConnectionError(f"cannot connect to the server of {startup_kit_location}")
    return Session(username, startup_kit_location)
