"""An email backend for the tests that run a real worker: each message a file in the folder
named by SMT_TEST_MAILBOX, so the test reads what the worker sent.

The test steers it with files in the same folder: `refuse-once-<address>` refuses the next
message to that address (and is removed); `hold-<address>` makes the next message to it
wait, after leaving `holding-<address>`, until the worker is killed (and is removed, so a
new worker sends it)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def mailbox() -> Path:
    return Path(os.environ["SMT_TEST_MAILBOX"])


class FileMailbox(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        folder = mailbox()
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            for address in message.to:
                refuse = folder / f"refuse-once-{address}"
                if refuse.exists():
                    refuse.unlink()
                    raise ConnectionRefusedError(f"The mail server refused {address}.")
                hold = folder / f"hold-{address}"
                if hold.exists():
                    hold.unlink()
                    (folder / f"holding-{address}").touch()
                    time.sleep(600)
            for address in message.to:
                (folder / f"sent-{address}-{uuid.uuid4().hex}.eml").write_bytes(
                    message.message().as_bytes()
                )
        return len(messages)


def sent(address: str | None = None) -> list[Path]:
    pattern = f"sent-{address}-*.eml" if address else "sent-*.eml"
    return sorted(mailbox().glob(pattern)) if mailbox().exists() else []
