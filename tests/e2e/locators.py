"""Finding things on a page the way a screen reader user does: by role, name and label."""

import re

from playwright.sync_api import Locator, Page


def section(page: Page, heading: str | re.Pattern) -> Locator:
    """A section named by its heading (aria-labelledby), as a screen reader lists it."""
    return page.get_by_role("region", name=heading, exact=True)


def field(page: Page, label: str) -> Locator:
    """A form field by its label; crispy marks required fields with an asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
