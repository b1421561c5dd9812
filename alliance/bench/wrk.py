"""Running wrk and reading what it prints."""

import re
import shutil
import subprocess

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"
_PATTERNS = {
    "requests": re.compile(r"^\s*(\d+) requests in " + _DURATION, re.M),
    "requests_per_second": re.compile(r"^Requests/sec:\s+([\d.]+)", re.M),
    "non_2xx_3xx": re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", re.M),
    "socket_errors": re.compile(
        r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", re.M
    ),
}
_PERCENTILE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s+" + _DURATION + r"\s*$", re.M)


class WrkError(Exception):
    """wrk is missing, failed, or printed something this module cannot read."""


def milliseconds(value, unit):
    return float(value) * _UNITS_MS[unit]


def parse(output):
    """Read wrk's `--latency` output into numbers: requests/s, latencies in ms, errors."""
    requests = _PATTERNS["requests"].search(output)
    rate = _PATTERNS["requests_per_second"].search(output)
    if requests is None or rate is None:
        raise WrkError(f"unexpected wrk output:\n{output}")
    distribution = output.partition("Latency Distribution")[2]
    percentiles = {
        float(share): milliseconds(value, unit)
        for share, value, unit in _PERCENTILE.findall(distribution)
    }
    if 50.0 not in percentiles or 99.0 not in percentiles:
        raise WrkError(f"no latency distribution (was --latency given?):\n{output}")
    non_2xx = _PATTERNS["non_2xx_3xx"].search(output)
    socket = _PATTERNS["socket_errors"].search(output)
    connect, read, write, timeout = (int(n) for n in socket.groups()) if socket else (0,) * 4
    return {
        "requests": int(requests.group(1)),
        "seconds": round(milliseconds(requests.group(2), requests.group(3)) / 1000, 3),
        "requests_per_second": float(rate.group(1)),
        "p50_ms": percentiles[50.0],
        "p99_ms": percentiles[99.0],
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": {"connect": connect, "read": read, "write": write, "timeout": timeout},
    }


def executable():
    path = shutil.which("wrk")
    if path is None:
        raise WrkError(
            "wrk is not installed: `apt-get install -y wrk` (Debian's package), then retry."
        )
    return path


def version():
    result = subprocess.run([executable(), "--version"], capture_output=True, text=True)
    first_line = (result.stdout or result.stderr).splitlines()[0]
    return first_line.partition(" Copyright")[0].strip()


def run(url, *, headers=(), seconds=3, connections=16, threads=2, timeout=10, script=None):
    """Drive `url` for `seconds` and return `parse()`d numbers.

    `script`: a Lua file that makes each request (wrk's `--script`), for addresses that
    change from one request to the next.
    """
    command = [
        executable(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={timeout}s",
        "--latency",
    ]
    for name, value in headers:
        command += ["--header", f"{name}: {value}"]
    if script is not None:
        command += ["--script", str(script)]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + timeout + 30
    )
    if result.returncode != 0:
        raise WrkError(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    return parse(result.stdout)
