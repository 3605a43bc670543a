"""The digest and the notifications in the browser: the CSSO opens last month's digest from
the archive, reads its first screen and downloads the PDF; someone with an unread
notification sees the count in the navigation, opens it, and marks it read."""

import re

from playwright.sync_api import expect

from digests import services
from tests.digests_world import digests_of

from .locators import section


def test_the_csso_reads_last_months_digest_and_downloads_it_as_a_pdf(world, sign_in):
    digest = digests_of(world).digest
    for delivery in services.digest_run():
        services.digest_deliver(delivery_id=delivery)
    page = sign_in("csso")
    page.get_by_role("link", name="Digest", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The CSSO's digest")
    page.get_by_role("link", name=digest.label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(digest.label)
    first = section(page, f"{digest.label} at a glance")
    expect(first).to_be_visible()
    expect(first.get_by_text("Sponsor rule")).to_be_visible()
    expect(first.get_by_role("heading", name="Needs attention")).to_be_visible()
    # The first screen is what a person sees before scrolling.
    box = first.bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = download.value
    assert pdf.suggested_filename == f"digest-{digest.month:%Y-%m}.pdf"
    with open(pdf.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"


def test_an_unread_notification_is_counted_opened_and_marked_read(world, sign_in):
    notification = digests_of(world).notification
    page = sign_in("district")
    link = page.get_by_role("link", name=re.compile(r"^Notifications 1 unread$"))
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("link", name=notification.title)).to_have_attribute(
        "href", notification.url
    )
    page.get_by_role("button", name=f"Mark read: {notification.title}").click()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.get_by_text("nothing unread")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Mark read"))).to_have_count(0)
