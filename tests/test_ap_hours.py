"""Weekly hours at an alternative provider against the 18-hour limit for unregistered provision."""
import pytest

from guidance import ap_hours


@pytest.mark.parametrize("text,hours", [
    ("unregistered farm AP 3 days a week, 9 till 3.30", 19.5),
    ("provider two days a week from 9am-3pm", 12.0),
    ("the AP has him 4 days a week, 4.5 hours a day", 18.0),
    ("off-site provision 3 days, 9.15 to 2.45", 16.5),
    ("unregistered AP two mornings a week, 9 till 12", 6.0),
])
def test_weekly_hours_are_read_from_days_and_times(text, hours):
    assert ap_hours.read(text).hours == hours


@pytest.mark.parametrize("text", [
    "he goes to the AP 5 days a week",           # no times: the hours are not known
    "3 days a week, 9 till 3.30",                # no provision named
    "AP 7 days a week, 9 till 3",                # more days than a school week
])
def test_no_hours_are_made_up(text):
    assert ap_hours.read(text) is None


def test_a_change_keeps_what_it_does_not_change():
    week = ap_hours.read("what if we cut it to 2 days", {"days": 3.0, "hours_a_day": 6.5})
    assert (week.days, week.hours) == (2.0, 13.0)


def test_the_limit_is_described_both_ways_it_is_given():
    assert "over the limit" in ap_hours.describe(ap_hours.Week(3, 6.5))
    assert "keep it below 18" in ap_hours.describe(ap_hours.Week(3, 6))
    assert "below the 18-hour limit" in ap_hours.describe(ap_hours.Week(2, 6))


def test_hours_at_a_provider_are_worked_out_and_changed_in_conversation(chat):
    first = chat.handle("ap1", text="thinking of an unregistered equine AP for a Y10, 3 days a week 9 till 3.30, is that ok?")[0]
    assert first.id == "ap-eighteen-hours" and "19.5 hours a week" in first.text
    fewer = chat.handle("ap1", text="and if it was only 2 days?")[0]
    assert "13 hours a week" in fewer.text and "below the 18-hour limit" in fewer.text
    registered = chat.handle("ap2", text="registered AP 5 days a week 9 till 3, which code do we use?")[0]
    assert "hours a week" not in registered.text
