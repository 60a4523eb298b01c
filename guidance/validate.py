"""Cross-reference checks a schema cannot see: links, duplicate phrasings, codes, tree shape, quiz questions."""
from __future__ import annotations

import re
from datetime import date

from rapidfuzz import process

from .loader import SEED_FILE
from .models import Knowledge, Problem, Source, Tree
from .replies import MAX_BUTTON_LABEL   # readable on a phone; well inside Telegram's limits

NATIONAL_CODES = ("/", "\\", "L", "K", "V", "P", "W", "B", "D", "C1", "M", "J1", "S", "X", "C2", "C", "T", "R",
                  "I", "E", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "G", "N", "O", "U", "Z", "#")
MAX_ANSWER = 3500          # leaves room for a title and buttons inside Telegram's 4096-character message
MAX_OPTIONS = 8
MAX_NODE_ID = 24           # node ids travel in button actions
QUIZ_OPTIONS = (2, 6)
# What each channel can carry (message length, callback data, quiz polls) is checked against its Limits record by
# `python -m bot check` (bot/limits.py), not here: the knowledge's own rules only.
CODE_SEPARATOR = re.compile(r"\s*(?:,|\+|&|\band\b|\bthen\b)\s*", re.IGNORECASE)


def code_problem(code: str, k: Knowledge) -> tuple[str, str] | None:
    """Return (message, fix) when a code named in knowledge is not a national attendance code, else None."""
    if code in NATIONAL_CODES:
        if k.codes and code not in k.codes:
            return f"code '{code}' is not a defined attendance code", "add it to codes.yaml"
        return None
    same = [c for c in NATIONAL_CODES if c.lower() == code.strip().lower()]
    fix = f"did you mean '{same[0]}'? Codes are case-sensitive" if same else \
        f"use one of the 34 national codes, quoted: {' '.join(NATIONAL_CODES)}"
    return f"code '{code}' is not a national attendance code", fix


def option_codes(option: str) -> list[str]:
    """Split a quiz option such as "/ and C2" into the codes it names."""
    return [part for part in CODE_SEPARATOR.split(option.strip()) if part]


def _unlabelled_seed(sources: tuple[Source, ...]) -> list[str]:
    """The seed file names among sources that have no readable title from documents.yaml."""
    return [s.doc for s in sources if not s.title and SEED_FILE.match(s.doc)]


SEED_FIX = ("add it to knowledge/documents.yaml: - file: <file name>, title: <the document's own title>, "
            "date: \"YYYY-MM-DD\" (see the seeds README)")


def phrasing_key(text: str) -> str:
    """Normalise a phrasing so near-identical spellings count as the same."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s/\\#+]", " ", text.lower())).strip()


def validate(k: Knowledge, today: date | None = None, review_days: int = 365) -> list[Problem]:
    """Return every load and cross-reference problem in the knowledge, errors and warnings."""
    problems = list(k.problems)
    add = problems.append
    targets = set(k.entries) | set(k.trees)

    claimed: dict[str, str] = {}
    for e in k.entries.values():
        for link in e.see:
            if link not in targets:
                add(Problem(e.file, e.line, e.id, f"link '{link}' does not resolve", _suggest(link, targets - {e.id})))
        for code in e.codes:
            found = code_problem(code, k)
            if found:
                add(Problem(e.file, e.line, e.id, *found))
        for doc in _unlabelled_seed(e.sources):
            add(Problem(e.file, e.line, e.id, f"source '{doc}' looks like a seed file but has no title in "
                        "documents.yaml", SEED_FIX))
        if len(e.answer) > MAX_ANSWER:
            add(Problem(e.file, e.line, e.id, f"answer is {len(e.answer)} characters (max {MAX_ANSWER})",
                        "split it into linked entries"))
        if e.kind in ("answer", "scenario") and not e.questions:
            add(Problem(e.file, e.line, e.id, "no alternative phrasings", "add questions: [...] people would type",
                        "warning"))
        for q in e.questions:
            key = phrasing_key(q)
            owner = claimed.get(key)
            if owner and owner != e.id:
                add(Problem(e.file, e.line, e.id, f"phrasing '{q}' is also claimed by '{owner}'",
                            "keep the phrasing in the entry it fits best"))
            claimed.setdefault(key, e.id)
        if today and e.reviewed:
            try:
                age = (today - date.fromisoformat(e.reviewed)).days
            except ValueError:
                add(Problem(e.file, e.line, e.id, f"reviewed date {e.reviewed} is not a real date",
                            "use YYYY-MM-DD"))
                continue
            if age < 0:
                add(Problem(e.file, e.line, e.id, f"reviewed date {e.reviewed} is in the future",
                            "use the date the entry was checked"))
            elif age > review_days:
                add(Problem(e.file, e.line, e.id, f"last reviewed {e.reviewed}, over {review_days} days ago",
                            "check it against its sources and update reviewed", "warning"))

    if k.codes:
        for code in NATIONAL_CODES:
            if code not in k.codes:
                add(Problem("knowledge", 0, "", f"national code {code} is missing", "add it to codes.yaml"))
        for info in k.codes.values():
            entry = k.entries.get(info.entry_id)
            for other, _ in info.confused_with:
                if other not in k.codes:
                    add(Problem(entry.file if entry else "", entry.line if entry else 0, info.entry_id,
                                f"confused_with code '{other}' is not defined", "use a national code"))

    for tree in k.trees.values():
        problems.extend(validate_tree(tree, k, targets))
        for q in tree.questions:
            key = phrasing_key(q)
            owner = claimed.get(key)
            if owner and owner != tree.id:
                add(Problem(tree.file, tree.line, tree.id, f"phrasing '{q}' is also claimed by '{owner}'",
                            "keep the phrasing where it fits best"))
            claimed.setdefault(key, tree.id)
        if tree.id in k.entries:
            add(Problem(tree.file, tree.line, tree.id, "tree id is also an entry id", "rename the tree"))

    if k.register is not None:
        problems.extend(validate_register(k.register, k, targets))
    elif k.codes:
        add(Problem("knowledge", 0, "", "no register figures: reading a pupil's register needs them",
                    "add knowledge/register-rules.yaml with a register section"))

    for q in k.quiz.values():
        problems.extend(validate_quiz_question(q, targets))
        problems.extend(validate_quiz_codes(q, k))
        problems.extend(Problem(q.file, q.line, q.id, f"source '{doc}' looks like a seed file but has no title in "
                                "documents.yaml", SEED_FIX) for doc in _unlabelled_seed(q.sources))
    return problems


def names_codes(q) -> bool:
    """True when a quiz question clearly asks for attendance codes: the coding topic, or every option is codes."""
    if q.topic == "coding":
        return True
    shaped = re.compile(r"^(?:[A-Z][0-9]?|/|\\|#)$")
    return bool(q.options) and all(option_codes(o) and all(shaped.match(c) for c in option_codes(o))
                                   for o in q.options)


def validate_quiz_codes(q, k: Knowledge) -> list[Problem]:
    """Check a code question: every option and the answer name national codes, and the answer agrees with the
    code of the scenario or code entry it links to."""
    if not names_codes(q):
        return []
    out: list[Problem] = []
    for index, option in enumerate(q.options):
        role = "answer" if index == q.answer else "option"
        for code in option_codes(option) or [option]:
            found = code_problem(code, k)
            if found:
                out.append(Problem(q.file, q.line, q.id, f"{role} '{option}': {found[0]}", found[1]))
    entry = k.entries.get(q.entry)
    if entry and entry.kind in ("scenario", "code") and len(entry.codes) == 1 and 0 <= q.answer < len(q.options):
        answer = option_codes(q.options[q.answer])
        if len(answer) == 1 and answer[0] != entry.codes[0]:
            out.append(Problem(q.file, q.line, q.id, f"the answer '{answer[0]}' disagrees with entry "
                               f"'{entry.id}', which gives code '{entry.codes[0]}'",
                               "correct the answer index or link the entry that matches the question"))
    return out


# Values of the worked-out "situation" fact besides the reasons (guidance/facts.py situation()).
SITUATION_VALUES = {"present", "late"}
NOT_STATED = "none"


def fact_values(k: Knowledge) -> dict[str, set[str]]:
    """Every scenario fact and the values it can take, including the worked-out situation."""
    values = {name: {v.value for v in vals} for name, vals in k.facts.items()}
    values["situation"] = SITUATION_VALUES | values.get("reason", set())
    return values


def validate_facts(node, k: Knowledge) -> list[tuple[int, str, str]]:
    """Check that a question node's fact, its options' values and 'when' conditions name facts that exist."""
    if not node.fact and not any(o.values or o.when or o.default for o in node.options):
        return []
    known = fact_values(k)
    found: list[tuple[int, str, str]] = []
    if node.fact not in known:
        found.append((node.line, f"fact '{node.fact}' is not defined in any facts section",
                      f"use one of: {', '.join(sorted(known))}"))
        return found
    if sum(o.default for o in node.options) > 1:
        found.append((node.line, "more than one option is the default", "keep 'default: true' on one option"))
    for o in node.options:
        for value in o.values:
            if value not in known[node.fact]:
                found.append((o.line, f"option '{o.label}': '{value}' is not a value of fact '{node.fact}'",
                              _suggest(value, known[node.fact])))
        for condition in o.when:
            for fact, allowed in condition:
                if fact not in known:
                    found.append((o.line, f"option '{o.label}': unknown fact '{fact}' in 'when'",
                                  _suggest(fact, known)))
                    continue
                for value in allowed:
                    if value != NOT_STATED and value not in known[fact]:
                        found.append((o.line, f"option '{o.label}': '{value}' is not a value of fact '{fact}'",
                                      _suggest(value, known[fact])))
    return found


def validate_outcome_facts(tree: Tree, k: Knowledge) -> list[Problem]:
    """Check that no outcome gives a code a fact chosen on the way rules out (an outcome reached through "the
    school arranged it" cannot be O or G), using each fact value's 'never' list."""
    never: dict[tuple[str, str], set[str]] = {}
    for name, values in k.facts.items():
        for v in values:
            never.setdefault((name, v.value), set()).update(v.never)
    found: list[Problem] = []
    reported: set[tuple[str, str]] = set()

    def visit(nid: str, ruled_out: dict[str, str], seen: frozenset) -> None:
        node = tree.nodes.get(nid)
        if node is None or nid in seen:
            return
        if node.is_outcome:
            for code in node.codes:
                if code in ruled_out and (nid, code) not in reported:
                    reported.add((nid, code))
                    found.append(Problem(tree.file, node.line or tree.line, f"{tree.id}/{nid}",
                                         f"outcome gives {code}, which the path rules out ({ruled_out[code]})",
                                         "send that option to an outcome whose code fits the fact"))
            return
        for opt in node.options:
            here = dict(ruled_out)
            if node.fact and opt.values:
                common = set.intersection(*(never.get((node.fact, v), set()) for v in opt.values))
                for code in common:
                    here.setdefault(code, f"'{opt.label}' at {node.id}")
            visit(opt.next, here, seen | {nid})

    visit(tree.start, {}, frozenset())
    return found


def validate_tree(tree: Tree, k: Knowledge, targets: set[str]) -> list[Problem]:
    """Check one tree: start and links resolve, every node reachable, no cycles, every path ends in an outcome."""
    out: list[Problem] = []

    def add(line: int, node: str, message: str, fix: str) -> None:
        out.append(Problem(tree.file, line or tree.line, f"{tree.id}/{node}" if node else tree.id, message, fix))

    if tree.start not in tree.nodes:
        add(tree.line, "", f"start node '{tree.start}' does not exist", _suggest(tree.start, tree.nodes))
        return out
    for node in tree.nodes.values():
        if len(node.id) > MAX_NODE_ID:
            add(node.line, node.id, f"node id longer than {MAX_NODE_ID} characters", "shorten it")
        if node.is_outcome:
            if node.options:
                add(node.line, node.id, "an outcome node also has options", "remove the options or the outcome")
            for code in node.codes:
                found = code_problem(code, k)
                if found:
                    add(node.line, node.id, *found)
            for doc in _unlabelled_seed(node.sources):
                add(node.line, node.id, f"source '{doc}' looks like a seed file but has no title in documents.yaml",
                    SEED_FIX)
            for link in node.see:
                if link not in targets:
                    add(node.line, node.id, f"link '{link}' does not resolve", _suggest(link, targets))
            continue
        if not (2 <= len(node.options) <= MAX_OPTIONS):
            add(node.line, node.id, f"{len(node.options)} options (need 2 to {MAX_OPTIONS})",
                "add or merge options")
        out.extend(Problem(tree.file, line or tree.line, f"{tree.id}/{node.id}", message, fix)
                   for line, message, fix in validate_facts(node, k))
        for opt in node.options:
            if len(opt.label) > MAX_BUTTON_LABEL:
                add(opt.line, node.id, f"label '{opt.label}' is over {MAX_BUTTON_LABEL} characters",
                    "shorten the button label")
            if opt.next not in tree.nodes:
                add(opt.line, node.id, f"option '{opt.label}' leads to unknown node '{opt.next}'",
                    _suggest(opt.next, tree.nodes))

    seen: set[str] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(nid: str) -> None:
        seen.add(nid)
        state[nid] = 1
        for opt in tree.nodes[nid].options:
            if opt.next not in tree.nodes:
                continue
            if state.get(opt.next) == 1:
                add(opt.line, nid, f"option '{opt.label}' loops back to '{opt.next}'",
                    "trees must not cycle; use 'start again' instead")
            elif opt.next not in state:
                visit(opt.next)
        state[nid] = 2

    visit(tree.start)
    if k.facts and any(n.fact for n in tree.nodes.values()):
        out.extend(validate_outcome_facts(tree, k))
    for nid, node in tree.nodes.items():
        if nid not in seen:
            add(node.line, nid, "node is not reachable from the start", "link to it from an option or remove it")
        if not node.is_outcome and not node.options:
            add(node.line, nid, "path ends without an outcome", "give the node options or an outcome")
    return out


def validate_register(rules, k: Knowledge, targets: set[str]) -> list[Problem]:
    """Check the register figures name real codes of the right statistical class and real guidance."""
    found: list[Problem] = []

    def add(message: str, fix: str) -> None:
        found.append(Problem(rules.file, rules.line, "register", message, fix))

    if k.codes:
        for code in rules.penalty_codes:
            info = k.codes.get(code)
            if info is None or info.statistics != "unauthorised absence":
                add(f"penalty-notice code '{code}' is not an unauthorised-absence code",
                    "list only codes whose statistics are unauthorised absence")
        for code in rules.closure_codes:
            if k.codes.get(code) is None or k.codes[code].statistics != "not collected":
                add(f"closure code '{code}' is not a code that is not collected", "use # (planned closure)")
        for code in (rules.n_code, rules.n_code_replace_with):
            if code not in k.codes:
                add(f"N-code rule names '{code}', which is not a national code", "use a national code")
    if not rules.penalty_codes:
        add("no penalty-notice codes", "list the codes that count, e.g. codes: [G, N, O, U]")
    if rules.severe_absence_percent <= rules.persistent_absence_percent:
        add("severe absence threshold is not above persistent absence", "check the percentages")
    for link in (link for step in rules.next_steps for link in step.links):
        if link not in targets:
            add(f"next step link '{link}' does not resolve", _suggest(link, targets))
    if not rules.next_steps:
        add("no next steps", "add next_steps: what the guidance says to do after reading a register")
    found.extend(Problem(rules.file, rules.line, "register", f"source '{doc}' looks like a seed file but has no "
                         "title in documents.yaml", SEED_FIX) for doc in _unlabelled_seed(rules.sources))
    return found


def validate_quiz_question(q, targets: set[str]) -> list[Problem]:
    """Check one quiz question's options, answer and link to the full entry (channel limits: bot/limits.py)."""
    out: list[Problem] = []

    def add(message: str, fix: str) -> None:
        out.append(Problem(q.file, q.line, q.id, message, fix))

    lo, hi = QUIZ_OPTIONS
    if not (lo <= len(q.options) <= hi):
        add(f"{len(q.options)} options (need {lo} to {hi})", "add or remove options")
    if len(set(o.lower() for o in q.options)) != len(q.options):
        add("two options are the same", "make every option different")
    if not (0 <= q.answer < len(q.options)):
        add(f"answer {q.answer} is not among the options", f"use an index from 0 to {len(q.options) - 1}")
    if q.entry and q.entry not in targets:
        add(f"entry '{q.entry}' does not resolve", _suggest(q.entry, targets))
    if not q.entry:
        add("no link to the full entry", "add entry: <id>")
    return out


def _suggest(name: str, choices) -> str:
    """Suggest the nearest existing id for a broken reference."""
    match = process.extractOne(name, list(choices), score_cutoff=60) if choices else None
    return f"did you mean '{match[0]}'?" if match else "point it at an existing id"
