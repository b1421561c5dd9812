"""gunicorn on 127.0.0.1 for the duration of a benchmark phase, and what its workers use."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url, headers=()):
    """GET `url` without following redirects; return (status, headers), never raise on HTTP."""
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        with _opener.open(request, timeout=30) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


class Gunicorn:
    """`with Gunicorn(env, workers=2) as server:` serves the site on `server.url`."""

    def __init__(self, env, *, workers=2, log_path=None):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None
        self.log = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = subprocess.DEVNULL
        if self.log_path:
            self.log = log = open(self.log_path, "ab")  # closed in __exit__
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "alliance.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--log-level=warning",
            ],
            env=self.env,
            cwd=Path(__file__).resolve().parent.parent.parent,
            stdout=log,
            stderr=log,
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn stopped at start (exit {self.process.returncode}); "
                    f"see {self.log_path}"
                )
            try:
                fetch(self.url + "/")
            except OSError:
                time.sleep(0.2)
                continue
            if len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on {self.url} within {seconds} s")

    def worker_pids(self):
        """The master's children, read from /proc."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(pid) for pid in children.read_text().split()]
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
        return pids

    def worker_memory(self):
        """Each worker's peak (VmHWM) and current (VmRSS) resident memory, in MB."""
        workers = []
        for pid in self.worker_pids():
            memory = process_memory(pid)
            if memory is not None:
                workers.append({"pid": pid, **memory})
        return workers

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            # SIGTERM: gunicorn's graceful stop, which also stops its workers.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()
        return False


def process_memory(pid):
    """A process's peak (VmHWM) and current (VmRSS) resident memory in MB, or None if gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmHWM", "VmRSS"}:
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"peak_mb": values["VmHWM"], "rss_mb": values["VmRSS"]}


def clean_environment(overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(overrides)
    return env
