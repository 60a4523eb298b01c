"""A child's age set against the ages a service works with, asked outright or as a follow-up."""
import pytest

from guidance import ages
from guidance.loader import load_knowledge


@pytest.mark.parametrize("text,age", [
    ("can the prevention team work with a 9 year old?", 9),
    ("and his cousin who's 17 and a half?", 17.5),
    ("does hyca work with 6 yr olds?", 6),
    ("just checked, he's still 9, birthday's in August", 9),
    ("she's 17¾ now", 17.75),
    ("a 14-year-old in Y9", 14),
])
def test_ages_are_read_from_everyday_words(text, age):
    assert ages.read(text) == age


@pytest.mark.parametrize("text", [
    "Y9 girl at 85%, is that persistent?",       # a percentage
    "reg is 9 till 9.30",                        # clock times
    "he's 15 minutes late",                      # a duration
    "HYCA works with young carers aged 8 to 18",  # a range, not a child
    "the 4 year olds and the 5 year olds",       # two different ages: no one child
])
def test_other_numbers_are_not_ages(text):
    assert ages.read(text) is None


def test_a_child_too_young_for_youth_justice_prevention_is_told_so_with_what_to_do(chat):
    reply = chat.handle("a1", text="can youth justice prevention work with a 9 year old? caught shoplifting")[0]
    assert "younger than the Youth Justice Prevention age range (10 to 17 and three quarters)" in reply.text
    assert "Designated Safeguarding Lead" in reply.text


def test_an_age_given_as_a_follow_up_is_set_against_the_previous_service(chat):
    chat.handle("a2", text="what ages does HYCA support?")
    younger = chat.handle("a2", text="what about a 6 year old?")[0]
    assert "younger than the HYCA age range (8 to 18)" in younger.text
    assert "early help" in younger.text
    within = chat.handle("a2", text="and one who's 12?")[0]
    assert "within the HYCA age range" in within.text


def test_the_top_of_a_range_in_whole_years_is_not_overstated(chat):
    chat.handle("a3", text="youth justice prevention referral criteria")
    reply = chat.handle("a3", text="he's 17")[0]
    assert "until they reach 17 and three quarters" in reply.text


def test_a_coding_situation_that_mentions_an_age_is_still_coded(chat):
    chat.handle("a4", text="what ages does HYCA support?")
    reply = chat.handle("a4", text="Reception boy, he's 4, mornings only agreed with mum, pm code?")[0]
    assert reply.codes and "age range" not in reply.text


def test_a_malformed_age_range_is_reported(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "version: 1\ntopic: t\nentries:\n  - id: t-one\n    title: T\n    answer: A\n"
        "    ages: {service: S, youngest: 18, oldest: 8, says: 8 to 18, outside: Ask.}\n"
        "    sources: [{doc: 000_c17e12f361180603.txt, where: x}]\n    reviewed: \"2026-11-23\"\n")
    problems = load_knowledge(tmp_path).problems
    assert any("not a range of years" in p.message for p in problems)
