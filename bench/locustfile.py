"""The load test's users, for locust (started by bench/load.py, never imported by the bench:
locust patches the standard library for gevent as it loads).

Each user takes the next seat of the plan in turn (roles mixed: CSSO, Deputy, SMT member,
sponsor, STS, district and building members, admin), reuses the session that role signed
in with for the one-client measurements, and opens that role's main pages at random with
a short pause between them, as a person reading the portal would.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
_seats = itertools.cycle(PLAN["seats"])
_numbers = itertools.count()


class PortalUser(HttpUser):
    wait_time = between(*PLAN["think_seconds"])

    def on_start(self) -> None:
        seat = next(_seats)
        self.role = seat["role"]
        self.pages = seat["pages"]
        self.client.cookies.update(seat["cookies"])
        self.rng = random.Random(f"{PLAN['seed']}:{next(_numbers)}")

    @task
    def open_a_page(self) -> None:
        label, path = self.rng.choice(self.pages)
        # Named by page, not path: the table reads per page, whatever the ids in the path.
        with self.client.get(
            path, name=label, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{self.role} got {response.status_code} on {label}")
