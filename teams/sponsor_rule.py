"""Rule 1 of the handouts: the Executive Leadership Sponsors are two or more current SMT
members from at least two divisions, chosen by the CSSO and/or Deputy; when the rule
breaks, it is flagged until fixed.

The rule is computed live from dated records, never stored, so it can never disagree
with them. It counts only what is real: a sponsor counts while their account is active,
they are still with the agency, they hold an SMT role, and their division is active;
divisions are one division whatever the letter case of their names. Every change that
can break it (a role ending, a person leaving or changing division, a division closing,
an appointment ending) runs inside `watched()`, so the person making it is told at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Division, SponsorAppointment, SponsorPairing, User, today
from .rules import require
from .standing import standing_changed

MIN_SPONSORS = 2
MIN_SPONSOR_DIVISIONS = 2


@dataclass(frozen=True)
class SponsorSeat:
    appointment: SponsorAppointment
    is_smt_member: bool
    day: date

    @property
    def sponsor(self) -> User:
        return self.appointment.sponsor

    @property
    def division(self) -> Division | None:
        return self.appointment.sponsor.division

    @property
    def problem(self) -> str:
        """Why this seat does not count towards the rule, or "" when it does."""
        sponsor = self.sponsor
        if not sponsor.is_active:
            return f"{sponsor}'s account is deactivated."
        if sponsor.left_on is not None and sponsor.left_on <= self.day:
            return f"{sponsor} has left the agency."
        if not self.is_smt_member:
            return f"{sponsor} is no longer a current SMT member."
        if self.division is None:
            return f"{sponsor} has no division, so represents none."
        if not self.division.is_active:
            return f"{sponsor}'s division, {self.division}, is inactive."
        return ""

    @property
    def counts(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class SponsorRule:
    seats: list[SponsorSeat]
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.problems

    @property
    def counted(self) -> list[SponsorSeat]:
        return [seat for seat in self.seats if seat.counts]

    @property
    def divisions(self) -> list[Division]:
        """The divisions the counted sponsors represent, one per name whatever its case."""
        by_name = {seat.division.name.casefold(): seat.division for seat in self.counted}
        return sorted(by_name.values(), key=lambda d: d.name)


def sponsor_rule(
    *,
    day: date | None = None,
    without: SponsorAppointment | None = None,
    adding: User | None = None,
) -> SponsorRule:
    """The rule as it stands, or as it would stand without one seat or with one more."""
    day = day or today()
    appointments = list(
        SponsorAppointment.objects.current(day)
        .select_related("sponsor__division", "appointed_by")
        .order_by("sponsor__last_name", "sponsor__first_name")
    )
    if without is not None:
        appointments = [a for a in appointments if a.pk != without.pk]
    if adding is not None:
        appointments.append(SponsorAppointment(sponsor=adding, started_on=day))
    people = [a.sponsor.pk for a in appointments]
    smt_ids = set(User.objects.smt_members(day).filter(pk__in=people).values_list("pk", flat=True))
    seats = [SponsorSeat(a, a.sponsor.pk in smt_ids, day) for a in appointments]

    problems = [seat.problem for seat in seats if seat.problem]
    rule = SponsorRule(seats=seats)
    counted = len(rule.counted)
    if counted < MIN_SPONSORS:
        problems.append(
            f"{_sponsors(counted)} from the current SMT; the rule needs at least {MIN_SPONSORS}."
        )
    divisions = len(rule.divisions)
    if counted and divisions < MIN_SPONSOR_DIVISIONS:
        problems.append(
            f"The sponsors represent {divisions} division; the rule needs at least "
            f"{MIN_SPONSOR_DIVISIONS} different divisions."
        )
    return SponsorRule(seats=seats, problems=problems)


def current_sponsor_rule() -> SponsorRule:
    """The rule as it stands today, for pages: kept in the cache until a change that could
    alter it (`sponsor_rule_may_have_changed`) or the end of the day."""
    key = f"sponsor-rule:{today().isoformat()}"
    rule = cache.get(key)
    if rule is None:
        rule = sponsor_rule()
        cache.set(key, rule, timeout=24 * 60 * 60)
    return rule


def sponsor_rule_may_have_changed() -> None:
    """Called by every service that changes appointments, roles, people or divisions."""
    key = f"sponsor-rule:{today().isoformat()}"
    cache.delete(key)
    # Again at commit: a page may have cached the old rows while the change was open.
    transaction.on_commit(lambda: cache.delete(key))


def _sponsors(count: int) -> str:
    if count == 0:
        return "There are no sponsors"
    return f"There {'is' if count == 1 else 'are'} only {count} sponsor{'s' * (count != 1)}"


# --- Watching a change ---------------------------------------------------------------------


@dataclass
class RuleWatch:
    before: SponsorRule
    after: SponsorRule | None = None

    @property
    def broke(self) -> bool:
        """The change took the rule from holding to broken."""
        return self.before.holds and self.after is not None and not self.after.holds

    @property
    def still_broken(self) -> bool:
        return not self.before.holds and self.after is not None and not self.after.holds


@contextmanager
def watched() -> Iterator[RuleWatch]:
    """Check the rule before and after a change that could break it."""
    watch = RuleWatch(before=sponsor_rule())
    yield watch
    watch.after = sponsor_rule()


# --- The services that keep it ---------------------------------------------------------------


def sponsor_history():
    return SponsorAppointment.objects.select_related(
        "sponsor__division", "appointed_by", "ended_by"
    ).order_by("-started_on", "-pk")


@transaction.atomic
def sponsor_appoint(
    *, sponsor: User, appointed_by: User, started_on: date | None = None, note: str = ""
) -> SponsorAppointment:
    """Sponsors are current SMT members with a division, chosen by the CSSO or Deputy."""
    require(
        appointed_by,
        "teams.appoint_sponsor",
        message="Only the CSSO or the Deputy CSSO may appoint sponsors.",
    )
    started_on = started_on or today()
    if started_on > today():
        raise ValidationError({"started_on": "An appointment cannot start in the future."})
    if SponsorAppointment.objects.current().filter(sponsor=sponsor).exists():
        raise ValidationError({"sponsor": f"{sponsor} is already a sponsor."})
    if not sponsor.is_with_agency(started_on):
        raise ValidationError({"sponsor": f"{sponsor} is no longer with the agency."})
    if not User.objects.smt_members(started_on).filter(pk=sponsor.pk).exists():
        raise ValidationError(
            {"sponsor": f"{sponsor} is not a current SMT member; sponsors are chosen from the SMT."}
        )
    if sponsor.division_id is None or not sponsor.division.is_active:
        raise ValidationError(
            {
                "sponsor": f"{sponsor} has no active division; give them one first, since "
                "sponsors must represent at least two divisions."
            }
        )
    appointment = SponsorAppointment(
        sponsor=sponsor, appointed_by=appointed_by, started_on=started_on, note=note
    )
    appointment.full_clean()
    appointment.save()
    standing_changed(sponsor)
    sponsor_rule_may_have_changed()
    return appointment


@transaction.atomic
def sponsor_appointment_end(
    *,
    appointment: SponsorAppointment,
    ended_by: User,
    ended_on: date | None = None,
    accept_broken_rule: bool = False,
) -> SponsorRule:
    """End an appointment and the sponsor's pairings; breaking the rule needs a yes."""
    require(
        ended_by,
        "teams.appoint_sponsor",
        message="Only the CSSO or the Deputy CSSO may end an appointment.",
    )
    if appointment.ended_on is not None:
        raise ValidationError("This appointment has already ended.")
    after = sponsor_rule(without=appointment)
    if sponsor_rule().holds and not after.holds and not accept_broken_rule:
        raise ValidationError(
            {
                "accept_broken_rule": "Ending this appointment breaks the sponsor rule: "
                + " ".join(after.problems)
                + " Appoint a replacement first, or confirm that you accept the warning."
            }
        )
    ended_on = ended_on or today()
    end_appointment(appointment, ended_on=ended_on, ended_by=ended_by)
    return after


def end_appointment(
    appointment: SponsorAppointment, *, ended_on: date, ended_by: User | None
) -> None:
    """End the seat and, through the model so the history shows it, the sponsor's pairings."""
    if ended_on <= appointment.started_on:
        appointment.delete()  # not yet begun: withdrawn, and the history says so
    else:
        appointment.ended_on = ended_on
        appointment.ended_by = ended_by
        appointment.full_clean()
        appointment.save(update_fields=["ended_on", "ended_by"])
    for pairing in SponsorPairing.objects.current(ended_on).filter(sponsor=appointment.sponsor):
        end_pairing(pairing, ended_on=ended_on)
    standing_changed(appointment.sponsor)
    sponsor_rule_may_have_changed()


def end_pairing(pairing: SponsorPairing, *, ended_on: date) -> None:
    if ended_on <= pairing.started_on:
        # Ended on or before the day it began: keep the row valid and the history honest.
        pairing.delete()
        return
    pairing.ended_on = ended_on
    pairing.save(update_fields=["ended_on"])
