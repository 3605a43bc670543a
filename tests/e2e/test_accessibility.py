"""Every page every role can open passes axe-core's WCAG 2.1 A and AA rules, in Chromium.

The pages come from the access matrix, so a new page is checked as soon as it has a row.
One test per role: one sign-in, then every page that role can reach.

axe is never served by the portal: the test adds it to each page as an init script, which
the Content-Security-Policy does not govern. So the policy stays on, and the crawl also
proves that no page of any role trips it (the console watch fails the test if one does).
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.access_matrix import ANON, MATRIX, OK
from tests.world import ROLES, World

from .locators import field

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages_for(visitor: str, world: World) -> list[str]:
    return [
        reverse(name, args=row.args(world))
        for name, row in MATRIX.items()
        if row.crawl and row.get[visitor] == OK
    ]


def with_axe(page: Page) -> Page:
    # An init script runs in every page the context opens from now on. It costs about half
    # what page.add_script_tag costs on each page (0.3 s against 0.6 s a page, 2 cores).
    page.context.add_init_script(path=AXE)
    return page


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands, one line per element."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        f"{page.url}: {violation['id']} ({violation['help']}) at {', '.join(node['target'])}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def structure_problems(page: Page) -> list[str]:
    """What axe does not insist on but every portal page promises."""
    problems = []
    if not page.locator("html").get_attribute("lang"):
        problems.append("html has no lang")
    if not page.title().strip():
        problems.append("empty title")
    if (count := page.locator("h1").count()) != 1:
        problems.append(f"{count} h1 elements, not one")
    if page.get_by_role("main").count() != 1 or page.locator("main#main").count() != 1:
        problems.append("no single <main id=main> landmark")
    if page.locator("a.skip-link[href='#main']").count() != 1:
        problems.append("no skip link to #main")
    return [f"{page.url}: {problem}" for problem in problems]


DESKTOP = {"width": 1280, "height": 720}
# WCAG 1.4.10 Reflow: content at 320 CSS pixels wide without scrolling sideways.
NARROWEST = {"width": 320, "height": 720}


def reflow_problems(page: Page) -> list[str]:
    """Whether the page scrolls sideways at 320 pixels (tables scroll in their own box)."""
    page.set_viewport_size(NARROWEST)
    try:
        wide = page.evaluate(
            "() => { const root = document.documentElement;"
            " if (root.scrollWidth <= root.clientWidth) return [];"
            " return [...document.querySelectorAll('main *')]"
            "   .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1"
            "     && !e.closest('.table-responsive'))"
            "   .slice(0, 3).map(e => e.tagName.toLowerCase()"
            "     + (e.className ? '.' + String(e.className).split(' ').join('.') : '')"
            "     + ' ' + Math.round(e.getBoundingClientRect().right) + 'px'); }"
        )
        width = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(DESKTOP)
    if width <= NARROWEST["width"]:
        return []
    return [f"{page.url}: {width}px wide at 320px, sideways scroll ({', '.join(wide)})"]


def audit(page: Page, paths: list[str]) -> list[str]:
    problems, titles = [], Counter()
    for path in paths:
        response = page.goto(path)
        assert response and response.ok, f"{path} answered {response and response.status}"
        titles[page.title()] += 1
        problems += structure_problems(page)
        problems += axe_violations(page)
        problems += reflow_problems(page)
    problems += [f"title {title!r} on {n} pages" for title, n in titles.items() if n > 1]
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_open_passes_axe(role, world, sign_in):
    page = with_axe(sign_in(role))
    paths = pages_for(role, world)
    assert len(paths) >= 10, paths

    problems = audit(page, paths)

    assert not problems, "\n".join(problems)


def test_the_pages_for_signed_out_visitors_pass_axe(world, new_page):
    page = with_axe(new_page())
    paths = pages_for(ANON, world)
    assert reverse("login") in paths and reverse("password_reset") in paths

    problems = audit(page, paths)

    assert not problems, "\n".join(problems)


def assert_errors_are_announced(page: Page, *, fields: list[str]) -> None:
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct")
    expect(summary).to_be_focused()
    for label in fields:
        control = field(page, label)
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_accessible_description(re.compile("This field is required."))
        expect(
            summary.get_by_role("link", name=f"{label}: This field is required.")
        ).to_be_visible()
    problems = structure_problems(page) + axe_violations(page)
    assert not problems, "\n".join(problems)


def test_a_settings_form_with_errors_is_accessible(world, sign_in):
    page = with_axe(sign_in("admin"))
    page.goto(reverse("settings:division-new"))
    page.get_by_role("button", name="Save the division").click()

    assert_errors_are_announced(page, fields=["Name"])


def test_the_update_form_with_errors_is_accessible(world, sign_in):
    page = with_axe(sign_in("sts"))
    page.goto(reverse("teams:update-new"))
    page.get_by_role("button", name="Save the update").click()

    assert_errors_are_announced(page, fields=["Team", "Summary"])
