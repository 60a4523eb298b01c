"""Walk every path of every decision tree and check each outcome against codes written from the sources.

The expected codes below were written from the rules, not copied from the trees:
  dfe-attendance-facts.md §1 (the 34 codes and their meanings), §2.1 to §2.4 (registers, approved educational
  activity, specific absence codes, part-time timetables), §4.2 to §4.3 (alternative provision and how to code it),
  and the seeds: 000 (coding quiz: U after the register closes, N then O, B for supervised school-arranged
  provision, K for LA home tuition, C2 for an agreed reduced timetable; AP "Registered, unregistered and rules").
Keys are the option labels chosen from the start. A row the current tree gets wrong is marked xfail(strict=True)
with the source line; fix the tree (not this table) and remove the mark.
"""
from __future__ import annotations

import pytest

from guidance import trees as walker
from guidance.loader import SEED_FILE, load_knowledge
from guidance.validate import NATIONAL_CODES
from tests.conftest import ROOT

KNOWLEDGE = load_knowledge(ROOT / "knowledge")


def all_paths(tree) -> dict[tuple[str, ...], object]:
    """Every path from the start, as the option labels chosen, mapped to the outcome node it ends at."""
    out: dict[tuple[str, ...], object] = {}

    def go(step, labels):
        node = step.node
        if node.is_outcome:
            assert labels not in out, f"{tree.id}: two paths with the same labels {labels}"
            out[labels] = node
            return
        assert node.options, f"{tree.id}/{node.id}: a question with no options"
        assert len(step.path) <= len(tree.nodes), f"{tree.id}: the walk loops at {step.path}"
        for index, option in enumerate(node.options):
            go(walker.choose(step, index), labels + (option.label,))

    go(walker.start(tree), ())
    return out


def walk(tree, labels: tuple[str, ...]):
    """Follow a path of option labels with start/choose and return the node it ends at."""
    step = walker.start(tree)
    for label in labels:
        options = [o.label for o in step.node.options]
        assert label in options, f"{tree.id}: '{label}' is not an option at {step.node.id} ({options})"
        step = walker.choose(step, options.index(label))
    return step.node


# -- tree-code --------------------------------------------------------------------------------------------------

AWAY = "At education away from school"
EXCLUDED_AP = ("Absent: another authorised reason", "Suspended or excluded, AP arranged")

# Who arranged education away from school, and what it is (§2.2, §4.3; seed 000 coding quiz).
OFF_SITE = {
    ("The local authority",): ["K"],                         # §1 K: LA-arranged (s19); seed 000: LA home tuition
    ("Dual registered there",): ["D"],                       # §1 D; §4.3 dual registered at another school
    ("The school", "Yes", "A school trip with school staff"): ["V"],  # §1 V: trip supervised by a member of school staff
    ("The school", "Yes", "A visit supervised by others"): ["B"],  # §2.2: B when supervised by someone authorised
    ("The school", "Yes", "A sporting activity"): ["P"],     # §1 P; §2.2 "B or P, not K"
    ("The school", "Yes", "Work experience"): ["W"],         # §1 W
    ("The school", "Yes", "At another school they are registered at"): ["D"],  # §1 D
    ("The school", "Yes", "Other approved education"): ["B"],  # §2.2 B; seed 000 (outdoor academy)
}
# Not supervised, or work at home: absence, coded for the reason (§2.2 "Remote education = absence"; §4.3).
HOME = {
    "Illness": ["I"],                                        # §1 I
    "An agreed part-time timetable": ["C2"],                 # §2.4; §4.3 "C2 if it is an agreed part-time timetable"
    "No reason the school has agreed": ["O"],                # §1 O: no other row applies (unauthorised)
}
for reason, codes in HOME.items():
    OFF_SITE[("Work at home, unsupervised", reason)] = codes
# School-arranged work at home: still absence (§2.2), coded for the reason; §4.3 names only C2 (and I is illness),
# so "another reason" gets no single code and no unauthorised code under an arrangement the school made.
OFF_SITE.update({
    ("The school", "No, or it is work at home", "Illness"): ["I"],
    ("The school", "No, or it is work at home", "An agreed part-time timetable"): ["C2"],
    ("The school", "No, or it is work at home", "Another reason"): [],
})

LEAVE_ASKED = ("Absent: reason unknown or not accepted", "Leave asked for, not yet decided")

CODE_TREE: dict[tuple[str, ...], object] = {
    ("In school at registration", "Morning"): ["/"],         # §1 /, reg 10(2) Table 1
    ("In school at registration", "Afternoon"): ["\\"],      # §1 \
    ("Arrived late", "Yes, before it closed"): ["L"],        # §1 L; §2.1
    ("Arrived late", "No, after it closed"): ["U"],          # §1 U; seed 000 quiz (John at 9.05: U)
    ("Absent: leave agreed in advance", "Licensed performance or work abroad"): ["C1"],  # §1 C1; §2.3
    ("Absent: leave agreed in advance", "Medical or dental appointment"): ["M"],         # §1 M
    ("Absent: leave agreed in advance", "Job or college interview"): ["J1"],             # §1 J1
    ("Absent: leave agreed in advance", "Study leave for public exams"): ["S"],          # §1 S; §2.3
    ("Absent: leave agreed in advance", "Below compulsory school age"): ["X"],           # §1 X; §2.3
    # a part-time timetable is C2 only at compulsory school age; below it the same hours are X (§1 X and C2)
    ("Absent: leave agreed in advance", "Agreed part-time timetable", "Yes, compulsory school age"): ["C2"],  # §2.4
    ("Absent: leave agreed in advance", "Agreed part-time timetable", "No, below compulsory school age"): ["X"],  # §1 X
    ("Absent: leave agreed in advance", "Other exceptional circumstances"): ["C"],       # §1 C
    ("Absent: leave agreed in advance", "Flexi-schooling (home-educated sessions)"): ["C"],  # §2.3 flexi-schooling
    ("Absent: another authorised reason", "Travelling with a parent for work"): ["T"],   # §1 T
    ("Absent: another authorised reason", "Day of religious observance"): ["R"],         # §1 R; §2.3
    ("Absent: another authorised reason", "Illness"): ["I"],                             # §1 I
    ("Absent: another authorised reason", "Suspended or excluded, no AP yet"): ["E"],    # §1 E; §2.3
    ("Could not get in: unavoidable", "LA has not arranged transport/access"): ["Q"],    # §1 Q; §2.3 Q vs Y1
    ("Could not get in: unavoidable", "Usual transport did not come"): ["Y1"],           # §1 Y1
    ("Could not get in: unavoidable", "Widespread travel disruption"): ["Y2"],           # §1 Y2
    ("Could not get in: unavoidable", "Part of the school closed"): ["Y3"],              # §1 Y3
    ("Could not get in: unavoidable", "In criminal justice detention"): ["Y5"],          # §1 Y5
    ("Could not get in: unavoidable", "Public health guidance or law"): ["Y6"],          # §1 Y6
    ("Could not get in: unavoidable", "Another emergency"): ["Y7"],                      # §1 Y7; §2.3
    ("Could not get in: unavoidable", "The school staggered its start"): ["Y7"],         # §1 Y7 (staggered start); §2.3
    ("Absent: reason unknown or not accepted", "Holiday the school did not grant"): ["G"],     # §1 G
    ("Absent: reason unknown or not accepted", "Reason not known yet"): ["N"],           # §1 N; seed 000 quiz
    ("Absent: reason unknown or not accepted", "Still no reason after 5 school days"): ["O"],  # §2.1 N -> O
    ("Absent: reason unknown or not accepted", "Other reason not authorised"): ["O"],    # §1 O
    # leave asked for and not yet decided: the head teacher's decision decides, then the reason as for agreed leave
    (*LEAVE_ASKED, "Yes, agreed in advance", "Licensed performance or work abroad"): ["C1"],  # §1 C1
    (*LEAVE_ASKED, "Yes, agreed in advance", "Medical or dental appointment"): ["M"],  # §1 M
    (*LEAVE_ASKED, "Yes, agreed in advance", "Job or college interview"): ["J1"],  # §1 J1
    (*LEAVE_ASKED, "Yes, agreed in advance", "Study leave for public exams"): ["S"],  # §1 S
    (*LEAVE_ASKED, "Yes, agreed in advance", "Below compulsory school age"): ["X"],  # §1 X
    (*LEAVE_ASKED, "Yes, agreed in advance", "Agreed part-time timetable", "Yes, compulsory school age"): ["C2"],
    (*LEAVE_ASKED, "Yes, agreed in advance", "Agreed part-time timetable", "No, below compulsory school age"): ["X"],
    (*LEAVE_ASKED, "Yes, agreed in advance", "Other exceptional circumstances"): ["C"],  # §1 C
    (*LEAVE_ASKED, "Yes, agreed in advance", "Flexi-schooling (home-educated sessions)"): ["C"],  # §2.3
    (*LEAVE_ASKED, "No, it was refused"): ["O"],                    # §1 O
    (*LEAVE_ASKED, "It was not asked for in advance"): ["O"],       # §1 O
    ("Not on roll, or school closed", "Not yet on the admission register"): ["Z"],       # §1 Z
    ("Not on roll, or school closed", "Planned whole-school closure"): ["#"],            # §1 #
    ("Not on roll, or school closed", "Whole school closed unexpectedly"): ["Y4"],       # §1 Y4
}
for suffix, codes in OFF_SITE.items():
    CODE_TREE[(AWAY,) + suffix] = codes
# §2.3 E: once AP is arranged (from the sixth day) "use the appropriate code" for that provision; unsupervised
# work at home is no alternative provision (§2.2), so it stays E (§1 E "no alternative provision made").
CODE_TREE.update({
    EXCLUDED_AP + ("The local authority",): ["K"],               # §1 K; §4.3
    EXCLUDED_AP + ("Dual registered there",): ["D"],             # §1 D; §4.3 dual registered at a PRU
    EXCLUDED_AP + ("The school", "Yes"): ["B"],                  # §2.2 B
    EXCLUDED_AP + ("The school", "No, or it is work at home"): ["E"],   # §1 E; §2.2 remote education is absence
})

# -- tree-ap ----------------------------------------------------------------------------------------------------

AP_CODING = {  # §4.3 Coding AP
    "Dual registered there": ["D"],
    "School arranged, not on its roll": ["B"],
    "Local authority arranged it": ["K"],
}
AP_TREE: dict[tuple[str, ...], object] = {
    ("Not sure",): [],                                       # no placement yet: nothing to code
    ("No, unregistered", "18 hours or more"): [],            # seed 000: unregistered use "18 hours max"
    ("No, unregistered", "Less than 18 hours", "No, the AP provides it all"): [],  # seed 000: "Not the sole provider"
}
for start in (("Yes, registered",), ("No, unregistered", "Less than 18 hours", "Yes")):
    unregistered = start[0] == "No, unregistered"
    AP_TREE[start + ("Not yet",)] = []                                       # checks not done
    for ehcp in (("Yes", "Yes"), ("No",)):
        ready = start + ("Yes, all done",) + ehcp
        AP_TREE[ready + ("Not yet",)] = []                                   # no written agreement or plan yet
        for label, codes in AP_CODING.items():
            # a pupil cannot be dual registered at an unregistered provider: only a school has an admission
            # register (§4.3 'dual-registered at a registered AP school or PRU -> D'; seed 000 'Registered when
            # there is a DfE number'), so the unregistered path offers no such option
            if not (unregistered and label == "Dual registered there"):
                AP_TREE[ready + ("Yes", label)] = codes
    AP_TREE[start + ("Yes, all done", "Yes", "Not yet")] = []                # EHC plan authority not told yet

# -- tree-ptt ---------------------------------------------------------------------------------------------------

PTT_TREE: dict[tuple[str, ...], object] = {
    ("It is to manage behaviour",): [],                      # §2.4 "should not be used to manage behaviour"
    ("Yes", "No"): [],                                       # §2.4 needs school and parent agreement
    ("Yes", "Yes", "No"): [],                                # §2.4 time limit, review dates, end date
    ("Yes", "Yes", "Yes", "No"): ["C2"],                     # §2.4 C2; seed 000 quiz (Greig: C2 and C2)
    ("Yes", "Yes", "Yes", "Yes"): ["C2"],                    # §2.4 C2 (involve the social worker / EHCP)
}

EXPECTED = {"tree-code": CODE_TREE, "tree-ap": AP_TREE, "tree-ptt": PTT_TREE}


def _rows():
    for tree_id, table in EXPECTED.items():
        for labels, expected in table.items():
            ident = f"{tree_id}:{' > '.join(labels)}"
            if isinstance(expected, list):
                yield pytest.param(tree_id, labels, expected, id=ident)
            else:
                yield pytest.param(tree_id, labels, *expected.values, marks=expected.marks, id=ident)


@pytest.mark.parametrize("tree_id,labels,expected", list(_rows()))
def test_path_gives_the_codes_the_sources_give(tree_id, labels, expected):
    node = walk(KNOWLEDGE.trees[tree_id], labels)
    assert node.is_outcome, f"{tree_id}: the path stops at question {node.id}"
    assert list(node.codes) == expected, f"{tree_id}/{node.id}"


@pytest.mark.parametrize("tree_id", sorted(EXPECTED))
def test_every_path_of_a_coding_tree_is_in_the_table(tree_id):
    paths = set(all_paths(KNOWLEDGE.trees[tree_id]))
    table = set(EXPECTED[tree_id])
    assert not paths - table, f"paths with no expected codes: {sorted(paths - table)}"
    assert not table - paths, f"table rows that are no longer paths: {sorted(table - paths)}"


@pytest.mark.parametrize("tree_id", sorted(KNOWLEDGE.trees))
def test_every_path_ends_in_a_sourced_outcome_with_text(tree_id):
    tree = KNOWLEDGE.trees[tree_id]
    paths = all_paths(tree)
    assert paths
    outcomes = {n.id for n in tree.nodes.values() if n.is_outcome}
    assert {node.id for node in paths.values()} == outcomes, "some outcomes cannot be reached"
    for labels, node in paths.items():
        where = f"{tree_id}: {' > '.join(labels)} -> {node.id}"
        assert node.outcome.strip(), where
        assert node.sources, where
        for source in node.sources:
            assert source.doc.strip(), where
            assert not SEED_FILE.match(source.doc) or source.title, f"{where}: {source.doc} has no title"
            assert ".txt" not in source.label(), where
        assert all(code in NATIONAL_CODES for code in node.codes), where
        if tree_id not in EXPECTED:  # referral trees give no codes; a code here needs a row in EXPECTED
            assert not node.codes, f"{where}: add this tree to EXPECTED"


def test_the_code_tree_reaches_every_national_code():
    reached = {code for node in all_paths(KNOWLEDGE.trees["tree-code"]).values() for code in node.codes}
    assert reached == set(NATIONAL_CODES)
