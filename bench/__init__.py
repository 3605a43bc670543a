"""`make bench`: the portal measured on a state the size of the largest, beside the demo.

How it fits together:

- `postgres`: the PostgreSQL server the states live in (reachable? create, clone, rename).
- `state`: the benchmark state each app writes through its `BenchPart` (teams/registry.py),
  with `COPY`, in one transaction; `cache`: each state built once into its own database and
  rebuilt only when its definition (parts, migrations, generator) changes.
- `portal`: the portal's own commands, and gunicorn serving a state as production does;
  `pages`: each part's pages to measure, named in each state.
- `client` and `measure`: one client, demo and benchmark requests interleaved, `/healthz`
  as the floor; `load` (with `locustfile`): 20 signed-in users of mixed roles, with locust.
- `report`: every figure beside its bar (../shared/QUALITY.md), as a table, JSON and Markdown.
- `run`: the whole of `make bench`; `faults`: `make faults` and the restart drill of the tests.

Everything runs from `python -m bench` (see `__main__`); the Django work (building a state,
resolving the pages to measure) runs in subprocesses pointed at one database each, so this
process never holds a connection to the databases it builds, serves or restarts.
"""
