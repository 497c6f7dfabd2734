"""School working time: waiting times for reminders count only school days.

A school day is a Monday to Friday that is neither a bank holiday (England and Wales by
default, from the `holidays` package; BANK_HOLIDAYS_SUBDIVISION chooses the nation) nor inside a
`SchoolClosure` (holidays, half terms, training days entered by a policy admin). Time is
counted in real elapsed time, day by day in Europe/London, so a day of the clock change counts
as the 23 or 25 hours it really has.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from redbridge_portal.models import SchoolClosure


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def bank_holidays_named(first: date, last: date) -> list[tuple[date, str]]:
    """(date, name) of each bank holiday between `first` and `last` (inclusive) where the
    school is, in date order."""
    if last < first:
        return []
    calendar = holidays.country_holidays(
        "GB", subdiv=settings.BANK_HOLIDAYS_SUBDIVISION, years=range(first.year, last.year + 1)
    )
    return sorted((day, name) for day, name in calendar.items() if first <= day <= last)


def bank_holidays(first: date, last: date) -> set[date]:
    return {day for day, _name in bank_holidays_named(first, last)}


def closed_days(first: date, last: date) -> set[date]:
    """Every date between `first` and `last` (inclusive) that is a bank holiday or inside a
    school closure."""
    days: set[date] = bank_holidays(first, last)
    closures = SchoolClosure.objects.filter(first_day__lte=last, last_day__gte=first)
    for closure in closures.only("first_day", "last_day"):
        day = max(closure.first_day, first)
        while day <= min(closure.last_day, last):
            days.add(day)
            day += timedelta(days=1)
    return days


def is_school_day(day: date, closed: set[date] | None = None) -> bool:
    """Monday to Friday and not closed (`closed` from `closed_days`, read here if not given)."""
    if closed is None:
        closed = closed_days(day, day)
    return day.weekday() < 5 and day not in closed


def working_time_between(start: datetime, end: datetime, closed: set[date] | None = None):
    """How much of the time from `start` to `end` fell on school days."""
    if end <= start:
        return timedelta(0)
    zone = _zone()
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if closed is None:
        closed = closed_days(local_start.date(), local_end.date())
    total = timedelta(0)
    day = local_start.date()
    while day <= local_end.date():
        if is_school_day(day, closed):
            day_start = datetime.combine(day, time.min, tzinfo=zone)
            day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
            segment_start = max(day_start, local_start)
            segment_end = min(day_end, local_end)
            if segment_end > segment_start:
                # Subtract in UTC: aware local datetimes in one zone subtract as wall time.
                total += segment_end.astimezone(ZoneInfo("UTC")) - segment_start.astimezone(
                    ZoneInfo("UTC")
                )
        day += timedelta(days=1)
    return total


def working_hours_between(start: datetime, end: datetime, closed: set[date] | None = None):
    return working_time_between(start, end, closed).total_seconds() / 3600
