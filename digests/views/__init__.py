"""The notification centre and preferences (notifications.py); the digest's archive, its
pages, PDF, preview and recipients, and the reminders' settings (digests.py)."""
