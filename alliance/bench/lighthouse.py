"""Lighthouse scores of the public pages, as served in production, in Debian's Chromium.

    .venv/bin/python -m alliance.bench.lighthouse      (make lighthouse)

Collects the static files, starts gunicorn with DEBUG off on a local port (no HTTPS
redirect: it is the loopback), runs npm's `lighthouse` on the home, an organisation and
the article page, prints the four scores of each and keeps the reports in lighthouse/.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "lighthouse@13")
PORT = int(os.environ.get("LIGHTHOUSE_PORT", "8790"))
PAGES = {
    "home": "/fr/",
    "organisation": "/fr/organisations/ibm/",
    "article": "/fr/articles/meta-et-ibm-creent-l-ai-alliance/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
REPORTS = Path("lighthouse")


def production_environment():
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
    }


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The site did not answer at {url} within {seconds} s.")


def audit(name, url):
    """Run Lighthouse on `url`; return {category: score out of 100}."""
    output = REPORTS / name
    command = [
        shutil.which("npx") or "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(Path(f"{output}.report.json").read_text("utf-8"))
    return {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}


def main():
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    if shutil.which("npx") is None:
        raise SystemExit("npx is missing: Lighthouse runs on Node.js (apt-get install npm)")
    environment = production_environment()
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        check=True,
        env=environment,
    )
    REPORTS.mkdir(exist_ok=True)
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "alliance.wsgi",
        ],
        env=environment,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_for(base + PAGES["home"])
        scores = {name: audit(name, base + path) for name, path in PAGES.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{'page':<14}" + "".join(f"{category:>16}" for category in CATEGORIES))
    for name, score in scores.items():
        print(f"{name:<14}" + "".join(f"{score[category]:>16}" for category in CATEGORIES))
    return 0 if all(min(score.values()) >= 95 for score in scores.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
