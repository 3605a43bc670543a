from django.urls import path

from .views import digests, notifications

app_name = "digests"

urlpatterns = [
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read_all, name="read-all"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="read"),
    path("notifications/preferences/", notifications.preferences, name="preferences"),
    path("digests/", digests.archive, name="archive"),
    path("digests/recipients/", digests.recipients, name="recipients"),
    path("digests/recipients/<int:pk>/remove/", digests.recipient_remove, name="recipient-remove"),
    path("digests/<int:year>/<int:month>/", digests.digest, name="digest"),
    path("digests/<int:year>/<int:month>/pdf/", digests.digest_pdf_download, name="digest-pdf"),
    path("digests/<int:year>/<int:month>/preview/", digests.digest_preview, name="preview"),
    path(
        "digests/<int:year>/<int:month>/regenerate/",
        digests.digest_regenerate,
        name="regenerate",
    ),
    path("settings/notifications/", digests.reminder_settings, name="settings"),
]
