"""The phases beyond cold and warm: edits while reading, and cache-busting.

- **Edits while reading** (page cache on): wrk reads a mix of the main pages and API
  answers, once without edits and once while the bench edits an organisation through the
  ORM (as the admin does) once a second. After each edit the bench fetches that
  organisation's page and API answer and checks they show it. Target: the edited reading
  keeps at least half the rate of the same mix without edits.
- **Cache-busting** (page cache on): addresses an attacker would vary. Junk parameters
  (`?utm_source=<random>`) must be answered from the plain page's entry (held to the warm
  target); random page numbers and random searches each cost one drawing at most, and
  the report shows the server's rate under them.
"""

import re
import threading
import time
import urllib.request

from alliance.bench.endpoints import WARM_TARGET, Endpoint, Target

EDITS, BUSTING = "edits", "busting"
EDITED_SHARE = 0.50

MIX_LUA = """-- Each request the next address of the mix, in turn.
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i %% #paths) + 1])
end
"""

RANDOM_LUA = """-- Each request a new address: %s.
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
local letters = "abcdefghijklmnopqrstuvwxyz"
local function word()
  local w = ""
  for _ = 1, 3 do
    local k = math.random(1, #letters)
    w = w .. letters:sub(k, k)
  end
  return w
end
request = function()
  return wrk.format(nil, %s)
end
"""

RANDOM_ADDRESSES = {
    "junk": (
        "junk parameters",
        '"/fr/organisations/?utm_source=" .. math.random(1, 1e9) .. "&fbclid=" .. word()',
    ),
    "page-walk": (
        "a random page of 400, with junk",
        '"/fr/organisations/?page=" .. math.random(1, 400) .. "&utm_source=" .. math.random(1, 1e9)',
    ),
    "search-walk": ("a random three-letter search", '"/fr/organisations/?q=" .. word()'),
}


def mix_paths(all_endpoints):
    reading = ("home", "list", "organisation", "article", "positions", "api-list", "api-detail")
    return [e.path for e in all_endpoints if e.name in reading]


def edits_endpoints(static, directory, paths):
    script = directory / "mix.lua"
    script.write_text(MIX_LUA % ", ".join(f'"{p}"' for p in paths), "utf-8")
    label = f"mix of {len(paths)} pages"
    return [
        static,
        Endpoint(
            "mix",
            f"{label}, no edit",
            paths[0],
            WARM_TARGET,
            script=str(script),
            warmup=tuple(paths),
        ),
        Endpoint(
            "mix-edited",
            f"{label}, 1 edit/s",
            paths[0],
            Target(EDITED_SHARE, "mix"),
            script=str(script),
            edits=True,
            warmup=tuple(paths),
        ),
    ]


def busting_endpoints(static, directory):
    chosen = [static]
    for name, (label, address) in RANDOM_ADDRESSES.items():
        script = directory / f"{name}.lua"
        script.write_text(RANDOM_LUA % (label, address), "utf-8")
        target = WARM_TARGET if name == "junk" else None
        chosen.append(Endpoint(name, label, "/fr/organisations/", target, script=str(script)))
    return chosen


def text_of(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


class Editor(threading.Thread):
    """One ORM edit a second to an organisation; after each, check its page and answer.

    Each check runs beside the edits, so a slow answer does not slow the edits down. An
    answer shows an edit when it carries that edit's text or a later edit's.
    """

    def __init__(self, base_url, slug):
        super().__init__(daemon=True)
        self.base_url, self.slug = base_url, slug
        self.stop = threading.Event()
        self.made = self.seen = 0
        self.failures = []
        self.lock = threading.Lock()

    def run(self):
        from django.db import connection

        from alliance.models import Organisation

        checks = []
        next_at = time.monotonic()
        try:
            while True:
                next_at += 1.0
                if self.stop.wait(max(0.0, next_at - time.monotonic())):
                    break
                number = self.made + 1
                try:
                    organisation = Organisation.objects.get(slug=self.slug)
                    organisation.description = f"{MARKER} {number}."
                    organisation.save()
                except Exception as error:
                    self.failures.append(f"edit {number}: {error}")
                    continue
                self.made = number
                check = threading.Thread(target=self.check, args=(number,), daemon=True)
                check.start()
                checks.append(check)
        finally:
            connection.close()
            for check in checks:
                check.join()

    def check(self, number):
        try:
            page = text_of(f"{self.base_url}/fr/organisations/{self.slug}/")
            answer = text_of(f"{self.base_url}/api/v1/organisations/{self.slug}/")
        except OSError as error:
            with self.lock:
                self.failures.append(f"edit {number}: {error}")
            return
        shown = all(
            max(map(int, EDIT_NUMBER.findall(text)), default=0) >= number for text in (page, answer)
        )
        with self.lock:
            if shown:
                self.seen += 1
            else:
                self.failures.append(f"edit {number} not shown at once")

    def summary(self):
        return {"made": self.made, "seen": self.seen, "failures": self.failures[:5]}


MARKER = "Modifiée pendant la lecture, n°"
EDIT_NUMBER = re.compile(re.escape(MARKER) + r" (\d+)\.")
