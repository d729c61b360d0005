"""Dates and working days: the licence clock skips weekends and Chinese public holidays."""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np


class WorkingCalendar:
    """Working days of one country over a span of dates.

    Weekends and the public holidays of the ``holidays`` package are off. (China's make-up
    working Saturdays are not modelled: they are treated as days off.)

    Args:
        start: first date the calendar must know.
        end: last date it must know; a margin of two years is added for licence clocks that
            run past the horizon.
        country: ISO 3166 alpha-2 code whose holidays apply.
    """

    def __init__(self, start: dt.date, end: dt.date, country: str = "CN") -> None:
        self.start = start
        last = end + dt.timedelta(days=730)
        years = range(start.year, last.year + 1)
        self.holidays = set(holidays.country_holidays(country, years=years).keys())
        n = (last - start).days + 1
        working = np.array(
            [self.is_working_day(start + dt.timedelta(days=i)) for i in range(n)], dtype=bool
        )
        # cum[i] = working days in [start, start + i]
        self._cum = np.cumsum(working)
        self._n = n

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` is neither a weekend nor a public holiday."""
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The date on which ``n`` working days after ``day`` have passed.

        ``day`` itself does not count; ``n = 0`` returns ``day``.
        """
        if n <= 0:
            return day
        i = (day - self.start).days
        if i < 0 or i >= self._n:
            raise ValueError(f"{day} is outside the calendar ({self.start}..)")
        target = self._cum[i] + n
        j = int(np.searchsorted(self._cum, target, side="left"))
        if j >= self._n:
            raise ValueError(f"{n} working days after {day} run past the calendar")
        return self.start + dt.timedelta(days=j)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]."""
        ia, ib = (a - self.start).days, (b - self.start).days
        return int(self._cum[ib] - self._cum[ia])
