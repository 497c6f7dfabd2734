"""School working time: waiting times for reminders count only school days.

A school day is a Monday to Friday that is neither a bank holiday (England and Wales by
default, from the `holidays` package; BANK_HOLIDAYS_SUBDIVISION chooses the nation) nor inside a
`SchoolClosure` (holidays, half terms, training days entered by a policy admin). Time is
counted in real elapsed time, day by day in Europe/London, so a day of the clock change counts
as the 23 or 25 hours it really has.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
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
    subdivision = settings.BANK_HOLIDAYS_SUBDIVISION
    return [
        (day, name)
        for year in range(first.year, last.year + 1)
        for day, name in _bank_holidays_in(year, subdivision)
        if first <= day <= last
    ]


@lru_cache(maxsize=32)
def _bank_holidays_in(year: int, subdivision: str) -> tuple[tuple[date, str], ...]:
    """A year's bank holidays, in date order. Kept for the life of the process: they are the
    `holidays` package's fixed rules, not the school's data, so they cannot go stale. Building
    the package's calendar cost about 0.6 ms on every queue and post page."""
    calendar = holidays.country_holidays("GB", subdiv=subdivision, years=year)
    return tuple(sorted(calendar.items()))


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


def working_times_until(
    starts: list[datetime], end: datetime, closed: set[date] | None = None
) -> list[timedelta]:
    """`working_time_between(start, end, closed)` for each of `starts`, in one walk over the days
    from the earliest start to `end` instead of one walk per start: a page of 25 posts waiting
    since last term walked the same days 25 times."""
    if not starts:
        return []
    zone, utc = _zone(), ZoneInfo("UTC")
    local_end = end.astimezone(zone)
    first_day = min(min(starts).astimezone(zone).date(), local_end.date())
    if closed is None:
        closed = closed_days(first_day, local_end.date())
    # For each day from first_day to end's day: its bounds in UTC, whether school was open, and
    # the school time of all the days before it.
    days = []
    before = timedelta(0)
    day = first_day
    while day <= local_end.date():
        day_start = datetime.combine(day, time.min, tzinfo=zone).astimezone(utc)
        day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(utc)
        school = is_school_day(day, closed)
        days.append((day_start, day_end, school, before))
        if school:
            before += day_end - day_start
        day += timedelta(days=1)
    end_utc = end.astimezone(utc)
    last = len(days) - 1
    times = []
    for start in starts:
        if end <= start:
            times.append(timedelta(0))
            continue
        start_utc = start.astimezone(utc)
        index = (start.astimezone(zone).date() - first_day).days
        _day_start, day_end, school, _before = days[index]
        if index == last:
            times.append(end_utc - start_utc if school else timedelta(0))
            continue
        # The rest of the first day, the whole days between, and the last day up to `end`.
        total = day_end - start_utc if school else timedelta(0)
        total += days[last][3] - days[index + 1][3]
        if days[last][2]:
            total += end_utc - days[last][0]
        times.append(total)
    return times
