"""`python -m bench`: the subcommands the bench runs in a subprocess against one database
(build, inspect)."""

from __future__ import annotations

import argparse
import json
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="(internal) write the state into DATABASE_URL")
    build.add_argument("--scale", default="full")

    inspect = commands.add_parser(
        "inspect", help="(internal) the pages to measure and the state's size, as JSON"
    )
    inspect.add_argument("--scale", default="full")

    args = parser.parse_args(argv)
    command = args.command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smt_portal.settings")
    import django

    django.setup()

    if command == "build":
        from .state import build as build_state
        from .state import parse_scale

        print(json.dumps(build_state(scale=parse_scale(args.scale))))
        return 0
    if command == "inspect":
        from .pages import inspect_state
        from .state import parse_scale

        print(json.dumps(inspect_state(scale=parse_scale(args.scale))))
        return 0
    raise AssertionError(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
