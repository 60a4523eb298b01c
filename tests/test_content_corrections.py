"""Content corrections checked at the data level: each test names the fact it protects and where it comes from.

Sources: ../shared/reference/dfe-attendance-facts.md (DfE codes and rules) and ../shared/seeds/ (000 hub slides,
003 HSCP briefing).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.loader import load_knowledge

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def k():
    return load_knowledge(ROOT / "knowledge")


def scenarios_for(k, code):
    return [e for e in k.entries.values() if e.kind == "scenario" and e.codes[:1] == (code,)]


def all_phrasings(entry):
    return [p.lower() for p in (*entry.questions, *entry.keywords)]


# 1. Remote learning is absence recorded with the code for the reason (dfe facts §2.2, §2.4, §4.3); O only when
#    no other code applies (§1 O).

def test_remote_learning_does_not_lead_with_o_or_b(k):
    entry = k.entries["scen-remote-learning"]
    assert entry.codes[:1] != ("O",)
    assert "B" not in entry.codes
    assert entry.kind != "scenario" or entry.codes[0] != "O"
    text = entry.answer
    assert "never B" in text
    assert "C2" in text and "I " in text
    assert "O is only for absence where no other code applies" in text


def test_remote_learning_specific_cases(k):
    assert k.entries["scen-remote-part-time"].codes == ("C2",)
    assert k.entries["scen-remote-ill"].codes == ("I",)
    assert k.entries["scen-remote-no-reason"].codes == ("O",)


# 2. Y1 only when transport normally provided is not available (dfe facts §1 Y1, §2.3).

def test_y1_does_not_claim_generic_non_arrival(k):
    y1_entries = scenarios_for(k, "Y1") + [k.entries["code-y1"]]
    for entry in y1_entries:
        for phrase in all_phrasings(entry):
            assert phrase not in ("did not turn up", "never arrived", "broke down"), (entry.id, phrase)
            assert "car" not in phrase.split(), (entry.id, phrase)
        assert not any(p.startswith(("transport did not turn up", "did not turn up")) for p in all_phrasings(entry))


def test_family_car_breakdown_is_not_y1(k):
    entry = k.entries["coding-family-car-broke-down"]
    assert "Y1" not in entry.codes
    assert entry.answer.startswith("This is not Y1")
    assert "Y1" in k.codes and "not for a family's own car" in k.codes["Y1"].rule


# 3a. Provision the school arranges is B; K is for LA-arranged provision (dfe facts §1 K, §2.2).

def test_school_arranged_home_tuition_is_b(k):
    entry = k.entries["scen-school-home-tuition"]
    assert entry.codes == ("B",)
    assert any("school" in q and ("tutor" in q or "tuition" in q) for q in entry.questions)
    assert k.entries["scen-la-home-tuition"].codes == ("K",)


# 3b. A pupil who leaves after registration still counts as attending (dfe facts §1 /).

def test_left_after_registration_is_present_not_m(k):
    entry = k.entries["scen-left-after-registration"]
    assert entry.codes == ("/",)
    assert "still counts as attending" in entry.answer
    assert "still marked present" in k.codes["M"].rule


# 3c. E only while no provision has been made; then K (LA), B (school) or D (dual registered) (dfe facts §2.3, §4.3).

def test_suspended_pupil_attending_provision_is_not_e(k):
    assert k.entries["scen-suspended-at-centre"].codes == ("D",)
    assert k.entries["scen-suspended-school-ap"].codes == ("B",)
    assert k.entries["scen-excluded-la-provision"].codes == ("K",)
    for entry in scenarios_for(k, "E"):
        assert not any("attending" in q.lower() for q in entry.questions), entry.id


# 3d. Y5 is criminal justice detention only (dfe facts §1 Y5).

def test_secure_unit_does_not_map_to_custody(k):
    assert k.synonyms.get("secure unit") != "custody"
    assert k.synonyms.get("detention centre") != "custody"
    assert k.synonyms.get("remanded") == "custody"  # remand is criminal justice detention
    entry = k.entries["coding-secure-home-or-hospital"]
    assert entry.codes[:1] != ("Y5",)
    assert "not Y5" in entry.answer
    assert "welfare" in k.codes["Y5"].rule


# 3e. G is holiday not granted only (dfe facts §1 G); other refused leave is unauthorised, O (§1 O).

def test_refused_leave_for_a_wedding_is_not_g(k):
    for entry in scenarios_for(k, "G"):
        assert "refused" not in [kw.lower() for kw in entry.keywords], entry.id
        assert "without permission" not in [kw.lower() for kw in entry.keywords], entry.id
    entry = k.entries["scen-leave-refused"]
    assert entry.codes == ("O",)
    assert "wedding" in entry.answer


# 4. AP tree: dual registration is D (dfe facts §4.3); EHC plan path keeps the written agreement and reintegration
#    plan (000 seed, alternative provision); young carer definition from the 003 seed (Think young carer).

def _walk(tree, labels):
    node = tree.nodes[tree.start]
    for label in labels:
        option = next(o for o in node.options if o.label == label)
        node = tree.nodes[option.next]
    return node


def test_ap_tree_registered_dual_registration_is_d(k):
    tree = k.trees["tree-ap"]
    end = _walk(tree, ["Yes, registered", "Yes, all done", "No", "Yes", "Dual registered there"])
    assert end.is_outcome and end.codes == ("D",)
    assert "(K if the local authority arranged it)" not in tree.nodes["out-go"].outcome


def test_ap_tree_ehcp_path_checks_agreement_and_reintegration(k):
    tree = k.trees["tree-ap"]
    after_ehcp = _walk(tree, ["Yes, registered", "Yes, all done", "Yes", "Yes"])
    assert after_ehcp.id == "plan"
    outcome = tree.nodes["out-ehcp"].outcome
    assert "written agreement" in outcome and "reintegration plan" in outcome
    assert "SEN team" in outcome


def test_young_carer_definition_is_not_household_only(k):
    tree = k.trees["tree-young-carer"]
    assert "household" not in tree.nodes["cares"].ask
    outcome = tree.nodes["out-not-carer"].outcome
    assert "provides or intends to provide care for another person" in outcome
    assert any(s.doc.startswith("003_") for s in tree.nodes["out-not-carer"].sources)


# 5. Quiz wording and citations.

def test_reduced_timetable_quiz_says_compulsory_school_age(k):
    q = k.quiz["quiz-reduced-timetable"]
    assert "compulsory school age" in q.question
    assert q.options[q.answer] == "C2"


def test_rhp_answers_cite_the_dfe_reason(k):
    for ident in ("quiz-hub-rhp-1", "quiz-hub-rhp-2"):
        assert any("dfe-attendance-facts.md" in s.where and "§2.4" in s.where for s in k.quiz[ident].sources), ident
    assert any("dfe-attendance-facts.md" in s.where for s in k.entries["scen-reduced-timetable"].sources)


def test_no_quiz_cites_a_location_missing_from_its_document(k):
    assert "quiz-sg-999" not in k.quiz
    for q in k.quiz.values():
        for s in q.sources:
            assert "Keeping children safe in education: DSL" not in s.where, q.id
    assert any(s.doc.startswith("003_") for s in k.quiz["quiz-sg-iarf"].sources)


# 6. The LA must be told about pupils expected to miss 15 days through illness (dfe facts §2.5).

def test_i_code_says_must(k):
    rule = k.codes["I"].rule
    assert "must be told" in rule and "should be told" not in rule


# 7. Codes whose wording the reference marks UNVERIFIED carry the same caveat as W, Y5, Y6 and Z.

@pytest.mark.parametrize("code", ["P", "M", "S", "D", "Y2", "O", "U", "#", "Q", "Y1", "Y3", "Y4", "Y7",
                                  "W", "Y5", "Y6", "Z"])
def test_unverified_codes_carry_the_caveat(k, code):
    assert "current DfE guidance" in k.codes[code].rule


# A few answers end to end: the corrected cases are never answered with the old wrong code first.

@pytest.mark.parametrize("question,wrong", [
    ("my neighbour's car broke down so the boy stayed home", "Y1"),
    ("pupil placed in a secure children's home on a welfare order", "Y5"),
    ("the headteacher refused leave for a cousin's wedding in Italy", "G"),
    ("she is doing her lessons online from home this week", "O"),
    ("suspended, and now going to the alternative provision we arranged", "E"),
])
def test_corrected_cases_do_not_get_the_old_code(k, question, wrong):
    reply = Assistant(k, Settings()).answer(question)
    assert list(reply.codes[:1]) != [wrong], (reply.kind, reply.id, reply.codes)
