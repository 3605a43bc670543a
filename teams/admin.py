"""Django's admin, for superusers: every record with its history, read-only.

People, roles, sponsors and the cascade change only through the portal's own pages,
whose services keep the handouts' rules (the sponsor rule, who grants the cabinet's
roles, the cascade's levels). An admin that wrote rows directly would go round them:
appoint a sponsor in anyone's name, grant themselves the Deputy role, or set the CSSO's
password unrecorded. So here governance records are for reading and their history.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agency,
    DevelopmentReview,
    Division,
    Membership,
    PasswordNotice,
    RoleAssignment,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamUpdate,
    User,
)


class ReadOnly:
    """View and history only: changes go through the portal's services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def revert_view(self, request, *args, **kwargs):
        # SimpleHistoryAdmin's "revert to this version" would write round the services too.
        raise PermissionDenied


class ReadOnlyHistoryAdmin(ReadOnly, SimpleHistoryAdmin):
    pass


class RoleInline(ReadOnly, admin.TabularInline):
    model = RoleAssignment
    fk_name = "person"
    extra = 0


@admin.register(User)
class PersonAdmin(ReadOnly, UserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Agency", {"fields": ("division", "job_title", "left_on")}),
    )
    list_display = ("username", "first_name", "last_name", "division", "is_active")
    list_filter = ("division", "is_active", "is_superuser")
    list_select_related = ("division",)
    inlines = [RoleInline]

    def user_change_password(self, request, id, form_url=""):
        # A password set here would be neither audited nor told to its owner.
        raise PermissionDenied


@admin.register(Agency)
class AgencyAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "short_name", "state_name")


@admin.register(Division)
class DivisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "short_name", "head", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "short_name")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("person", "role", "started_on", "ended_on", "granted_by")
    list_filter = ("role",)
    list_select_related = ("person", "granted_by")
    search_fields = ("person__username", "person__last_name")


@admin.register(SponsorAppointment)
class SponsorAppointmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ("sponsor", "appointed_by", "started_on", "ended_on")
    list_select_related = ("sponsor", "appointed_by")


@admin.register(SponsorPairing)
class SponsorPairingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("sponsor", "specialist", "started_on", "ended_on")
    list_select_related = ("sponsor", "specialist")


@admin.register(PasswordNotice)
class PasswordNoticeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("person", "set_by", "set_at", "seen_at")
    list_select_related = ("person", "set_by")


class MembershipInline(ReadOnly, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Team)
class TeamAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "level", "parent", "code", "cadence", "zone_entered_on")
    list_filter = ("level", "cadence")
    list_select_related = ("parent",)
    search_fields = ("name", "unit_name", "code")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ("person", "team", "role", "started_on", "ended_on")
    list_filter = ("role", "team__level")
    list_select_related = ("person", "team")


@admin.register(DevelopmentReview)
class DevelopmentReviewAdmin(ReadOnlyHistoryAdmin):
    list_display = (
        "team",
        "reviewed_on",
        "formed",
        "members_trained",
        "meets_on_cadence",
        "linked",
    )
    list_select_related = ("team",)


@admin.register(TeamUpdate)
class TeamUpdateAdmin(ReadOnlyHistoryAdmin):
    list_display = ("team", "occurred_on", "author", "for_smt_attention")
    list_filter = ("for_smt_attention", "team__level")
    list_select_related = ("team", "author")
    search_fields = ("summary", "team__name")
