"""The production settings, plus the stock baseline's URLs: for `make bench` only.

The stock views (`alliance.bench.stock`) are served beside the site so each endpoint is
measured against plain Django and DRF in the same run; they never reach production URLs.
"""

from alliance.settings import *  # noqa: F403
from alliance.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "alliance.bench.urls"
TEMPLATES = [
    {
        **TEMPLATES[0],
        "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "alliance" / "bench" / "templates"],
    },
    *TEMPLATES[1:],
]
