"""The whole portal works by keyboard: an STS signs in and logs an update without a mouse.

Only Tab, Shift+Tab, Enter, Space and typing; never a click.
"""

from playwright.sync_api import Locator, Page, expect

from tests.world import PASSWORD

from .locators import field, section

MOST_TABS_TO_ANYTHING = 40


def focus_is_visible(page: Page) -> bool:
    return page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " && parseFloat(getComputedStyle(document.activeElement).outlineWidth) > 0"
    )


def focused_element(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()} '${(e.innerText || e.name || e.id).trim()}'`; }"
    )


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until the target has focus, checking every stop on the way shows its focus."""
    for _ in range(MOST_TABS_TO_ANYTHING):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), f"no visible focus indicator on {focused_element(page)}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}; focus ended on {focused_element(page)}")


def test_sts_logs_an_update_by_keyboard_alone(world, page, live_server):
    page.goto("/accounts/login/")

    # Django's sign-in form puts the cursor in Username; the skip link is still the first
    # stop in the tab order, two Shift+Tabs back past the brand link.
    username = field(page, "Username")
    expect(username).to_be_focused()
    skip_link = page.get_by_role("link", name="Skip to main content")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(skip_link).to_be_focused()
    assert focus_is_visible(page)
    expect(skip_link).to_be_in_viewport()

    tab_to(page, username)
    page.keyboard.type("sts")
    page.keyboard.press("Tab")
    expect(field(page, "Password")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(username).to_have_value("sts")
    expect(username).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")

    # On every page the first Tab reaches the skip link, which jumps over the navigation:
    # the next Tab is the page's first action.
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    log_update = page.get_by_role("link", name="Log a team update", exact=True)
    page.keyboard.press("Tab")
    expect(log_update).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Log a team update")
    team = field(page, "Team")
    tab_to(page, team)
    page.keyboard.type("Lincoln")
    expect(team).to_have_value(str(world.building.pk))
    tab_to(page, field(page, "Summary"))
    page.keyboard.type("Lincoln's team agreed its reading goals without a mouse in sight.")
    attention = page.get_by_role("checkbox", name="For SMT attention")
    tab_to(page, attention)
    page.keyboard.press("Space")
    expect(attention).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Save the update"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text(
        "Your update for Lincoln Elementary Team is logged."
    )
    logged = (
        section(page, "Updates from this team")
        .get_by_role("article")
        .filter(has_text="without a mouse in sight")
    )
    expect(logged).to_contain_text("For SMT attention")
