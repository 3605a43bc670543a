"""A month's digest as a PDF, with WeasyPrint: the same sections as the page, laid out for
paper by print CSS, with no request to the portal (fonts are the system's)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from teams.models import Agency

from .models import Digest


def paper_css() -> Path:
    """The digest's look on paper and in email (static/css/digest-paper.css)."""
    return Path(finders.find("css/digest-paper.css"))


def digest_document(digest: Digest):
    """The digest laid out in pages (a WeasyPrint document: `.pages`, `.write_pdf()`)."""
    from weasyprint import CSS, HTML  # imported on use: it loads Pango, pages never need it

    html = render_to_string(
        "digests/digest_pdf.html",
        {"digest": digest, "content": digest.content, "agency": Agency.current()},
    )
    return HTML(string=html).render(stylesheets=[CSS(filename=str(paper_css()))])


def digest_pdf(digest: Digest) -> bytes:
    return digest_document(digest).write_pdf()
