"""`manage.py load_demo`: build the Lakeland demo and say how to sign in to it."""

import os

from django.core.management.base import BaseCommand

from teams.demo import DEMO_PASSWORD, DemoSummary, load_demo


class Command(BaseCommand):
    help = (
        "Load the fictional Lakeland demo: its cabinet, sponsors, STSs and cascade of teams. "
        "Safe to run again: a second run adds nothing and resets the demo logins."
    )

    def handle(self, *args, **options) -> None:
        summary = load_demo()
        self.stdout.write(describe(summary))


def describe(summary: DemoSummary) -> str:
    levels, zone = summary.teams_by_level, summary.zone_teams_by_level
    if summary.already_loaded:
        headline = (
            f"The {summary.state_name} demo was already loaded: nothing was added, and the "
            "demo logins have their password back."
        )
    else:
        headline = f"Loaded the {summary.state_name} demo ({summary.rows_written} rows written)."
    lines = [
        headline,
        f"  {summary.divisions} divisions, an SMT of {summary.cabinet}, "
        f"{summary.sponsors} sponsors, {summary.specialists} STSs, {summary.people} people.",
        f"  Teams: {levels['state']} state (with the SMT), {levels['regional']} regional, "
        f"{levels['district']} district, {levels['building']} building; "
        f"{summary.memberships} current memberships.",
        f"  Transformation Zone: {zone['regional']} regional, {zone['district']} district, "
        f"{zone['building']} building teams.",
        f"  History: {summary.development_reviews} development reviews, {summary.updates} team "
        f"updates ({summary.updates_for_smt_attention} for SMT attention).",
        *(f"  {line}" for line in summary.parts),
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD})",
    ]
    user_width = max(len(login.username) for login in summary.logins)
    role_width = max(len(login.role) for login in summary.logins)
    lines.append(f"  {'username':<{user_width}}  {'role':<{role_width}}  what they see")
    for login in summary.logins:
        lines.append(f"  {login.username:<{user_width}}  {login.role:<{role_width}}  {login.sees}")
    # `make run PORT=8001` serves elsewhere; say where.
    port = os.environ.get("DEMO_PORT", "8000")
    lines += ["", f"Sign in at {summary.login_url.replace(':8000/', f':{port}/')}"]
    return "\n".join(lines)
