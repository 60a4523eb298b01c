"""Decision trees: every outcome of the code tree reached through the assistant, a transcript per tree, resume."""
import json

import pytest

from guidance import trees as walker
from guidance.assistant import Assistant
from guidance.store import Store
from tests.conftest import run_cli


def _paths(tree):
    """Every path of option indexes from the start to each outcome node."""
    out, stack = {}, [(tree.start, [])]
    while stack:
        nid, path = stack.pop()
        node = tree.nodes[nid]
        if node.is_outcome:
            out.setdefault(nid, path)
            continue
        for i, opt in enumerate(node.options):
            stack.append((opt.next, path + [i]))
    return out


def test_every_code_tree_outcome_is_reached_through_the_assistant(knowledge):
    tree = knowledge.trees["tree-code"]
    bot = Assistant(knowledge, store=Store())
    reached_codes = set()
    paths = _paths(tree)
    assert set(paths) == {n for n, node in tree.nodes.items() if node.is_outcome}
    for outcome, path in paths.items():
        reply = bot.handle("walker", action="tree:tree-code")[0]
        for index in path:
            reply = bot.handle("walker", action=reply.buttons[index].action)[0]
        assert reply.kind == "tree" and "Sources:" in reply.text, outcome
        # every outcome names its code, except where the sources set none and the outcome says so
        assert reply.codes or "No single code" in reply.text, outcome
        reached_codes.update(reply.codes)
    assert reached_codes == set(knowledge.codes)  # all 34 codes reachable


@pytest.mark.parametrize("tree_id", ["tree-code", "tree-ap", "tree-yjs", "tree-young-carer", "tree-ptt",
                                     "tree-sw-request"])
def test_each_tree_walks_by_typed_answers_through_converse(knowledge, tree_id, tmp_path):
    tree = knowledge.trees[tree_id]
    path = next(iter(_paths(tree).values()))
    lines = [{"user": "u", "text": tree.questions[0]}]
    lines += [{"user": "u", "text": str(i + 1)} for i in path]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    result = run_cli("converse", stdin=stdin, env={"GUIDANCE_DB": str(tmp_path / "t.db")})
    replies = [json.loads(x)["replies"][0] for x in result.stdout.splitlines()]
    assert replies[0]["kind"] == "tree" and replies[0]["id"] == tree_id
    assert replies[-1]["kind"] == "tree" and "Sources:" in replies[-1]["text"]


def test_back_and_start_again_and_stale_buttons(knowledge):
    bot = Assistant(knowledge, store=Store())
    first = bot.handle("u", text="which code should I use")[0]
    second = bot.handle("u", action=first.buttons[1].action)[0]            # "Arrived late"
    assert "register closed" in second.text
    assert "Where was the pupil" in bot.handle("u", text="back")[0].text
    bot.handle("u", action=first.buttons[1].action)
    assert "Where was the pupil" in bot.handle("u", text="start again")[0].text
    stale = bot.handle("u", action="opt:tree-code:late:0")
    assert stale[0].kind == "error" and "earlier step" in stale[0].text


def test_walker_is_pure(knowledge):
    tree = knowledge.trees["tree-ptt"]
    step = walker.start(tree)
    assert walker.match_option(step, "yes") == 0 and walker.match_option(step, "banana") is None
    nxt = walker.choose(step, 0)
    assert walker.back(nxt).path == step.path
    with pytest.raises(walker.WalkError):
        walker.choose(step, 9)
    assert walker.resume(tree, ["no-such-node"]).path == (tree.start,)
