import datetime as dt

from sim.domain.calendar import WorkingCalendar

D = dt.date


def test_weekends_and_chinese_holidays_are_skipped():
    cal = WorkingCalendar(D(2025, 1, 1), D(2025, 12, 31))
    assert not cal.is_working_day(D(2025, 1, 4))  # Saturday
    assert not cal.is_working_day(D(2025, 10, 1))  # National Day
    assert not cal.is_working_day(D(2025, 1, 29))  # Spring Festival
    assert cal.is_working_day(D(2025, 1, 6))
    # Friday + 1 working day is Monday
    assert cal.add_working_days(D(2025, 1, 3), 1) == D(2025, 1, 6)
    # Golden week: 30 Sep + 1 working day lands after the holidays
    after = cal.add_working_days(D(2025, 9, 30), 1)
    assert after >= D(2025, 10, 9) and cal.is_working_day(after)


def test_45_working_days_span_more_than_9_weeks_over_new_year():
    cal = WorkingCalendar(D(2025, 1, 1), D(2025, 12, 31))
    due = cal.add_working_days(D(2025, 1, 10), 45)
    assert cal.working_days_between(D(2025, 1, 10), due) == 45
    assert (due - D(2025, 1, 10)).days > 63  # weekends plus Spring Festival
