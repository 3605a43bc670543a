"""Django's admin, for superusers: every record with its history. People work in the
portal's own pages (/settings/); this is the back office."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agency,
    DevelopmentReview,
    Division,
    Membership,
    RoleAssignment,
    SponsorAppointment,
    SponsorPairing,
    Team,
    TeamUpdate,
    User,
)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Agency", {"fields": ("division", "job_title")}))
    list_display = ("username", "first_name", "last_name", "division", "is_active")
    list_filter = ("division", "is_active", "is_superuser")
    list_select_related = ("division",)
    inlines = [RoleInline]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "state_name")


@admin.register(Division)
class DivisionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "head", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("head",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("person", "role", "started_on", "ended_on")
    list_filter = ("role",)
    search_fields = ("person__username", "person__last_name")
    autocomplete_fields = ("person",)


@admin.register(SponsorAppointment)
class SponsorAppointmentAdmin(SimpleHistoryAdmin):
    list_display = ("sponsor", "appointed_by", "started_on", "ended_on")
    autocomplete_fields = ("sponsor", "appointed_by", "ended_by")


@admin.register(SponsorPairing)
class SponsorPairingAdmin(SimpleHistoryAdmin):
    list_display = ("sponsor", "specialist", "started_on", "ended_on")
    autocomplete_fields = ("sponsor", "specialist")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "parent", "cadence", "zone_entered_on")
    list_filter = ("level", "cadence")
    list_select_related = ("parent",)
    search_fields = ("name", "unit_name")
    autocomplete_fields = ("parent", "specialists")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("person", "team", "role", "started_on", "ended_on")
    list_filter = ("role", "team__level")
    list_select_related = ("person", "team")
    autocomplete_fields = ("person", "team")


@admin.register(DevelopmentReview)
class DevelopmentReviewAdmin(SimpleHistoryAdmin):
    list_display = (
        "team",
        "reviewed_on",
        "formed",
        "members_trained",
        "meets_on_cadence",
        "linked",
    )
    list_select_related = ("team",)
    autocomplete_fields = ("team", "recorded_by")


@admin.register(TeamUpdate)
class TeamUpdateAdmin(SimpleHistoryAdmin):
    list_display = ("team", "occurred_on", "author", "for_smt_attention")
    list_filter = ("for_smt_attention", "team__level")
    list_select_related = ("team", "author")
    search_fields = ("summary", "team__name")
    autocomplete_fields = ("team", "author")
