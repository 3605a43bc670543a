"""Loaded first by `make test` (`-p tests.workers`), before Django reads its settings: each
pytest-xdist worker after the first takes a pair of Redis databases of its own (the broker,
and the cache beside it). Every test empties the cache, and a test's tasks go to its
broker: two workers on one pair would empty each other's cache in the middle of a test.

gw1 takes 10 and 11, gw2 12 and 13, gw3 14 and 15 (counted from REDIS_URL's database);
`make test` starts at most four workers. The bench keeps to database 4.
"""

import os
from urllib.parse import urlsplit, urlunsplit

FIRST_SPARE = 10


def _own_redis(url: str, worker: str) -> str:
    number = int(worker.removeprefix("gw") or 0)
    if number == 0:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + FIRST_SPARE + 2 * (number - 1)) % 16}"))


_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _own_redis(os.environ["REDIS_URL"], _worker)
