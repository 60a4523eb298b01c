"""Read knowledge/*.yaml with a safe loader into models, remembering the file and line of every object."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import yaml

from .models import (AgeRange, CodeInfo, Document, Entry, FactValue, Knowledge, NextStep, Node, Option, Problem,
                     QuizQuestion, RegisterRules, Source, Tree)

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ID_LENGTH = 40
STATISTICS = (
    "present",
    "approved educational activity",
    "authorised absence",
    "unauthorised absence",
    "not a possible session",
    "not collected",
)
SECTIONS = ("entries", "codes", "scenarios", "glossary", "trees", "quiz", "synonyms", "facts", "documents",
            "register", "concepts")
NEXT_STEP_WHEN = ("concern", "no-concern", "overdue-n", "always")
_REGISTER_NUMBERS = ("sessions_per_day", "school_days_per_week", "persistent_absence_percent",
                     "severe_absence_percent", "register_open_minutes")
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{8,}\.txt$")  # a seed document's file name, e.g. 000_c17e12f361180603.txt
DOCUMENT_DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$")
MAX_NESTING = 64  # no knowledge item needs more than a handful of levels; deeper YAML is reported, not loaded

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineDict(dict):
    """A mapping that remembers the line it started on and any keys given twice."""

    line = 0
    duplicate_keys: tuple = ()


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader whose mappings carry their line numbers."""


def _construct_mapping(loader, node):
    data = _LineDict()
    data.line = node.start_mark.line + 1
    yield data
    keys = [loader.construct_object(k) for k, _ in node.value]
    data.duplicate_keys = tuple({k for k in keys if isinstance(k, str) and keys.count(k) > 1})
    data.update(loader.construct_mapping(node, deep=True))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def code_entry_id(code: str) -> str:
    """Return the stable entry id of an attendance code ("/" -> code-am-present, "#" -> code-hash)."""
    special = {"/": "code-am-present", "\\": "code-pm-present", "#": "code-hash"}
    return special.get(code, f"code-{code.lower()}")


def glossary_entry_id(term: str) -> str:
    """Return the stable entry id of a glossary term (PP+ -> term-pp-plus)."""
    slug = term.lower().replace("+", "-plus").replace("&", "and")
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    return f"term-{slug}"


class _FileReader:
    """Turn one parsed knowledge file into models, collecting problems with file and line."""

    def __init__(self, path: Path, display: str, knowledge: Knowledge, documents: dict | None = None):
        self.path = path
        self.file = display
        self.k = knowledge
        self.documents: dict[str, Document] = {} if documents is None else documents

    def problem(self, line: int, ident: str, message: str, fix: str = "", severity: str = "error") -> None:
        """Record a problem in this file."""
        self.k.problems.append(Problem(self.file, line, ident, message, fix, severity))

    # -- field helpers -------------------------------------------------------------------------
    def text(self, item: dict, key: str, ident: str, required: bool = True) -> str:
        """Return a non-empty string field, or record why it is missing or wrong."""
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problem(item.line, ident, f"missing '{key}'", f"add a non-empty '{key}' string")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(item.line, ident, f"'{key}' must be text, got {type(value).__name__}",
                         "quote the value, e.g. \"Yes\"")
            return ""
        return str(value).strip()

    def text_list(self, item: dict, key: str, ident: str) -> tuple[str, ...]:
        """Return a list of strings, or record that it is not one."""
        value = item.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(item.line, ident, f"'{key}' must be a list of non-empty strings",
                         "quote each item and remove empty ones")
            return tuple(str(v).strip() for v in value if isinstance(v, (str, int, float)) and str(v).strip()) \
                if isinstance(value, list) else ()
        return tuple(v.strip() for v in value)

    def sources(self, item: dict, ident: str, required: bool = True) -> tuple[Source, ...]:
        """Return the sources of an item, recording a problem when there are none or they are malformed."""
        value = item.get("sources")
        if not value:
            if required:
                self.problem(item.line, ident, "no sources",
                             "add sources: [{doc: <seed file or national guidance title>, where: <section>}]")
            return ()
        if not isinstance(value, list):
            self.problem(item.line, ident, "'sources' must be a list", "write sources as a list of {doc, where}")
            return ()
        out = []
        for s in value:
            if isinstance(s, dict) and isinstance(s.get("doc"), str) and s["doc"].strip():
                out.append(Source(s["doc"].strip(), str(s.get("where") or "").strip()))
            else:
                self.problem(getattr(s, "line", item.line), ident, "a source has no 'doc'",
                             "give each source a doc (seed file name or guidance title)")
        return tuple(out)

    def reviewed(self, item: dict, ident: str) -> str:
        """Return the reviewed date, recording a problem when it is missing or not YYYY-MM-DD."""
        value = item.get("reviewed")
        if not isinstance(value, str) or not DATE_PATTERN.match(value):
            self.problem(item.line, ident, f"reviewed date {value!r} is not a quoted YYYY-MM-DD string",
                         'write reviewed: "2026-11-22" (quoted)')
            return ""
        return value

    def ident(self, item: dict, key: str = "id") -> str:
        """Return a valid id, recording a problem when it is missing, too long or not kebab-case."""
        value = item.get(key)
        if not isinstance(value, str) or not value:
            self.problem(item.line, "", f"an item has no '{key}'", f"add a unique kebab-case '{key}'")
            return ""
        if not ID_PATTERN.match(value) or len(value) > MAX_ID_LENGTH:
            self.problem(item.line, value, f"id is not short kebab-case (max {MAX_ID_LENGTH} characters)",
                         "use lower-case letters, digits and single hyphens")
        return value

    def check_keys(self, item: dict, allowed: set[str], ident: str) -> None:
        """Record unknown keys (usually typos) and keys given twice."""
        for key in item:
            if key not in allowed:
                self.problem(item.line, ident, f"unknown key '{key}'", f"use only: {', '.join(sorted(allowed))}")
        for key in getattr(item, "duplicate_keys", ()):
            self.problem(item.line, ident, f"key '{key}' is given twice", "keep one of them")

    def items(self, data: dict, section: str) -> list[dict]:
        """Return the mappings of a section, recording any item that is not a mapping."""
        value = data.get(section)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(data.line, "", f"'{section}' must be a list", f"write {section}: as a list of items")
            return []
        good = []
        for item in value:
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problem(data.line, "", f"an item in '{section}' is not a mapping",
                             "each item must be a mapping with an id")
        return good

    def add_entry(self, entry: Entry) -> None:
        """Add an entry, recording a duplicate id instead of overwriting."""
        if not entry.id:
            return
        if entry.id in self.k.entries:
            other = self.k.entries[entry.id]
            self.problem(entry.line, entry.id, f"duplicate id (also at {other.file}:{other.line})",
                         "give one of them a new id")
            return
        self.k.entries[entry.id] = entry

    # -- sections ------------------------------------------------------------------------------
    def _too_deep(self, text: str) -> None:
        """Report runaway nesting at the line it starts, with how to fix it."""
        line, depth = _too_deep(text)
        self.problem(line, "", f"YAML is nested too deeply to read ({depth} or more levels of brackets or "
                     "indentation)", "knowledge needs only a few levels (section, item, field, list): remove "
                     "the runaway [ or { brackets or indentation near this line")

    def read(self) -> None:
        """Parse the file and read every section it holds."""
        try:
            text = self.path.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=_LineLoader)
        except RecursionError:
            self._too_deep(text)
            return
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            if "nesting depth" in reason:
                # (newer PyYAML stops runaway nesting itself, before Python's recursion limit does)
                self._too_deep(text)
                return
            self.problem(line, "", f"YAML syntax error: {reason}",
                         "check indentation and quote values containing ': ' or starting with # or *")
            return
        except UnicodeDecodeError:
            self.problem(0, "", "file is not UTF-8 text", "save the file as UTF-8")
            return
        if not isinstance(data, dict):
            self.problem(1, "", "file is not a mapping", "start the file with version: 1 and topic: <name>")
            return
        self.check_keys(data, {"version", "topic", *SECTIONS}, "")
        if data.get("version") != 1:
            self.problem(data.line, "", f"version is {data.get('version')!r}, expected 1", "add version: 1")
        topic = data.get("topic")
        if not isinstance(topic, str) or not ID_PATTERN.match(topic):
            self.problem(data.line, "", "missing or malformed 'topic'", "add topic: <kebab-case name>")
            topic = ""
        if not any(s in data for s in SECTIONS):
            self.problem(data.line, "", "file has no content section", f"add one of: {', '.join(SECTIONS)}")
        for item in self.items(data, "entries"):
            self.read_entry(item, topic)
        for item in self.items(data, "codes"):
            self.read_code(item, topic)
        for item in self.items(data, "scenarios"):
            self.read_scenario(item, topic)
        for item in self.items(data, "glossary"):
            self.read_glossary(item, topic)
        for item in self.items(data, "trees"):
            self.read_tree(item)
        for item in self.items(data, "quiz"):
            self.read_quiz(item)
        if "synonyms" in data:
            self.read_synonyms(data)
        for item in self.items(data, "concepts"):
            self.read_concept(item)
        for item in self.items(data, "facts"):
            self.read_fact(item)
        for item in self.items(data, "documents"):
            self.read_document(item)
        if "register" in data:
            self.read_register(data["register"], data.line)

    def number(self, item: dict, key: str, ident: str, low: int, high: int) -> int:
        """Return a whole number within [low, high], recording a problem when it is missing or out of range."""
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(item.line, ident, f"'{key}' is {value!r}, expected a whole number from {low} to {high}",
                         f"write {key}: <number>")
            return low
        return value

    def next_steps(self, item: dict, ident: str) -> tuple[NextStep, ...]:
        """Read the register reading's next steps: when each applies, its words and its links."""
        steps = []
        for step in item.get("next_steps") or []:
            if not isinstance(step, dict):
                self.problem(item.line, ident, "each next step needs when, text and links",
                             "write - {when: concern, text: ..., links: [...]}")
                continue
            self.check_keys(step, {"when", "text", "links"}, ident)
            when = self.text(step, "when", ident)
            if when not in NEXT_STEP_WHEN:
                self.problem(step.line, ident, f"next step 'when' is {when!r}", f"use one of {', '.join(NEXT_STEP_WHEN)}")
                continue
            steps.append(NextStep(when, self.text(step, "text", ident), self.text_list(step, "links", ident)))
        return tuple(steps)

    def read_register(self, item, line: int) -> None:
        """Read the register-reading figures: thresholds, penalty-notice window, N-code deadline, next steps."""
        ident = "register"
        if not isinstance(item, dict):
            self.problem(line, ident, "'register' must be a mapping", "see knowledge/register-rules.yaml")
            return
        if self.k.register is not None:
            self.problem(item.line, ident, f"register figures given twice (also at {self.k.register.file}:"
                         f"{self.k.register.line})", "keep one register section")
            return
        self.check_keys(item, {*_REGISTER_NUMBERS, "closure_codes", "local_wording", "penalty_notice", "n_code", "next_steps",
                               "sources", "reviewed"}, ident)
        numbers = {key: self.number(item, key, ident, 1, 100) for key in _REGISTER_NUMBERS}
        penalty = item.get("penalty_notice") if isinstance(item.get("penalty_notice"), dict) else None
        n_code = item.get("n_code") if isinstance(item.get("n_code"), dict) else None
        if penalty is None or n_code is None:
            self.problem(item.line, ident, "'penalty_notice' and 'n_code' must both be mappings",
                         "see knowledge/register-rules.yaml")
            return
        self.check_keys(penalty, {"sessions", "school_weeks", "codes", "in_force_from", "wording"}, ident)
        self.check_keys(n_code, {"code", "school_days", "replace_with"}, ident)
        self.reviewed(item, ident)
        self.k.register = RegisterRules(
            **numbers, local_wording=self.text(item, "local_wording", ident),
            closure_codes=self.text_list(item, "closure_codes", ident),
            penalty_sessions=self.number(penalty, "sessions", ident, 1, 1000),
            penalty_school_weeks=self.number(penalty, "school_weeks", ident, 1, 100),
            penalty_codes=self.text_list(penalty, "codes", ident),
            penalty_from=self.text(penalty, "in_force_from", ident),
            penalty_wording=self.text(penalty, "wording", ident),
            n_code=self.text(n_code, "code", ident), n_code_school_days=self.number(n_code, "school_days", ident,
                                                                                   1, 100),
            n_code_replace_with=self.text(n_code, "replace_with", ident),
            next_steps=self.next_steps(item, ident), sources=self.sources(item, ident),
            file=self.file, line=item.line)

    def read_document(self, item: dict) -> None:
        """Read a source document's readable title and date, keyed by the file name knowledge cites."""
        name = self.text(item, "file", "")
        self.check_keys(item, {"file", "title", "short", "date"}, name)
        if not name:
            return
        title = self.text(item, "title", name)
        short = self.text(item, "short", name, required=False)
        when = item.get("date")
        if not isinstance(when, str) or not _document_date(when.strip()):
            shown = str(when)[:40] if when is not None else "missing"
            self.problem(item.line, name, f"date {shown!r} is not a quoted real YYYY, YYYY-MM or YYYY-MM-DD date "
                         "(or \"undated\")", 'write the date the document gives, e.g. date: "2022-12-07" (quoted)')
            when = ""
        if name in self.documents:
            other = self.documents[name]
            self.problem(item.line, name, f"document {name} is described twice (also at {other.source_file}:"
                         f"{other.line})", "keep one entry for each file")
            return
        if title:
            self.documents[name] = Document(file=name, title=title, date=when.strip(), short=short,
                                            source_file=self.file, line=item.line)

    def read_entry(self, item: dict, topic: str) -> None:
        """Read an ordinary guidance entry."""
        ident = self.ident(item)
        self.check_keys(item, {"id", "title", "questions", "keywords", "answer", "see", "sources", "reviewed",
                               "codes", "ages"}, ident)
        self.add_entry(Entry(
            id=ident, title=self.text(item, "title", ident), answer=self.text(item, "answer", ident),
            kind="answer", topic=topic, questions=self.text_list(item, "questions", ident),
            keywords=self.text_list(item, "keywords", ident), see=self.text_list(item, "see", ident),
            codes=self.text_list(item, "codes", ident), sources=self.sources(item, ident),
            reviewed=self.reviewed(item, ident), file=self.file, line=item.line, ages=self.ages(item, ident)))

    def ages(self, item: dict, ident: str) -> AgeRange | None:
        """Read the ages a service works with, when given: its name, youngest and oldest in years, the source's
        words, advice for a child outside them."""
        value = item.get("ages")
        if value is None:
            return None
        fix = ("write ages: {service: <name>, youngest: 10, oldest: 17.75, says: \"10 to 17 and three quarters\", "
               "outside: <advice>}")
        if not isinstance(value, dict):
            self.problem(item.line, ident, "'ages' must be a mapping", fix)
            return None
        self.check_keys(value, {"service", "youngest", "oldest", "says", "outside"}, ident)
        service = self.text(value, "service", ident)
        youngest, oldest = value.get("youngest"), value.get("oldest")
        says, outside = self.text(value, "says", ident), self.text(value, "outside", ident)
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (youngest, oldest)) \
                or not 0 <= youngest < oldest <= 25:
            self.problem(item.line, ident, f"ages {youngest!r} to {oldest!r} is not a range of years", fix)
            return None
        return AgeRange(service, float(youngest), float(oldest), says, outside) if service and says and outside \
            else None

    def read_code(self, item: dict, topic: str) -> None:
        """Read a national attendance code and make its entry."""
        code = self.text(item, "code", "")
        ident = code_entry_id(code) if code else ""
        self.check_keys(item, {"code", "meaning", "category", "statistics", "rule", "confused_with", "questions",
                               "keywords", "see", "sources", "reviewed"}, ident)
        if not code:
            return
        if code in self.k.codes:
            self.problem(item.line, ident, f"code {code} is defined twice", "keep one definition")
            return
        meaning = self.text(item, "meaning", ident)
        statistics = self.text(item, "statistics", ident)
        if statistics and statistics not in STATISTICS:
            self.problem(item.line, ident, f"statistics {statistics!r} is not a known treatment",
                         f"use one of: {', '.join(STATISTICS)}")
        confused = []
        for c in item.get("confused_with") or []:
            if isinstance(c, dict) and isinstance(c.get("code"), str) and isinstance(c.get("why"), str):
                confused.append((c["code"].strip(), c["why"].strip()))
            else:
                self.problem(item.line, ident, "a confused_with item needs 'code' and 'why' text",
                             "write confused_with: [{code: X, why: ...}]")
        info = CodeInfo(code=code, meaning=meaning, category=self.text(item, "category", ident),
                        statistics=statistics, rule=self.text(item, "rule", ident),
                        confused_with=tuple(confused), entry_id=ident)
        self.k.codes[code] = info
        self.add_entry(Entry(
            id=ident, title=f"Code {code}: {meaning}", answer=code_answer(info), kind="code", topic=topic,
            questions=self.text_list(item, "questions", ident), keywords=self.text_list(item, "keywords", ident),
            see=self.text_list(item, "see", ident), codes=(code,), sources=self.sources(item, ident),
            reviewed=self.reviewed(item, ident), file=self.file, line=item.line))

    def read_scenario(self, item: dict, topic: str) -> None:
        """Read an everyday coding situation; its answer is completed from the code once all files are read."""
        ident = self.ident(item)
        self.check_keys(item, {"id", "code", "title", "questions", "keywords", "why", "see", "sources",
                               "reviewed"}, ident)
        code = self.text(item, "code", ident)
        self.add_entry(Entry(
            id=ident, title=self.text(item, "title", ident), answer=self.text(item, "why", ident),
            kind="scenario", topic=topic, questions=self.text_list(item, "questions", ident),
            keywords=self.text_list(item, "keywords", ident), see=self.text_list(item, "see", ident),
            codes=(code,) if code else (), sources=self.sources(item, ident), reviewed=self.reviewed(item, ident),
            file=self.file, line=item.line))

    def read_glossary(self, item: dict, topic: str) -> None:
        """Read an acronym with its expansion and make its entry."""
        term = self.text(item, "term", "")
        ident = glossary_entry_id(term) if term else ""
        self.check_keys(item, {"term", "expansion", "note", "also", "see", "sources", "reviewed"}, ident)
        if not term:
            return
        expansion = self.text(item, "expansion", ident)
        note = self.text(item, "note", ident, required=False)
        also = self.text_list(item, "also", ident)
        answer = f"{term} stands for {expansion}." + (f"\n{note}" if note else "")
        if also:
            answer += f"\nAlso written: {', '.join(also)}."
        for variant in (term, *also):
            self.k.glossary_terms.setdefault(variant.lower(), ident)
        self.add_entry(Entry(
            id=ident, title=f"{term}: {expansion}", answer=answer, kind="glossary", topic=topic,
            questions=(term, expansion, *also), see=self.text_list(item, "see", ident),
            sources=self.sources(item, ident), reviewed=self.reviewed(item, ident), file=self.file, line=item.line))

    def read_tree(self, item: dict) -> None:
        """Read a decision tree and its nodes."""
        ident = self.ident(item)
        self.check_keys(item, {"id", "title", "questions", "start", "nodes"}, ident)
        nodes: dict[str, Node] = {}
        for n in item.get("nodes") or []:
            if not isinstance(n, dict) or not isinstance(n.get("id"), str):
                self.problem(item.line, ident, "a node has no id", "give every node an id")
                continue
            nid = n["id"]
            self.check_keys(n, {"id", "ask", "fact", "options", "outcome", "codes", "see", "sources"},
                            f"{ident}/{nid}")
            if nid in nodes:
                self.problem(n.line, f"{ident}/{nid}", "duplicate node id", "rename one of the nodes")
                continue
            options = []
            for o in n.get("options") or []:
                if isinstance(o, dict) and isinstance(o.get("label"), str) and isinstance(o.get("next"), str):
                    self.check_keys(o, {"label", "next", "values", "when", "default"}, f"{ident}/{nid}")
                    options.append(Option(o["label"].strip(), o["next"].strip(), o.line,
                                          values=self.text_list(o, "values", f"{ident}/{nid}"),
                                          when=self.conditions(o, f"{ident}/{nid}"),
                                          default=o.get("default") is True))
                else:
                    self.problem(getattr(o, "line", n.line), f"{ident}/{nid}",
                                 "an option needs a quoted 'label' and a 'next' node id",
                                 'write - label: "Yes"\n  next: <node id>')
            outcome = self.text(n, "outcome", f"{ident}/{nid}", required=False)
            ask = self.text(n, "ask", f"{ident}/{nid}", required=False)
            if bool(outcome) == bool(ask):
                self.problem(n.line, f"{ident}/{nid}", "a node needs either 'ask' with options or 'outcome'",
                             "give the node one of them")
            nodes[nid] = Node(
                id=nid, ask=ask, fact=self.text(n, "fact", f"{ident}/{nid}", required=False),
                options=tuple(options), outcome=outcome,
                codes=self.text_list(n, "codes", f"{ident}/{nid}"), see=self.text_list(n, "see", f"{ident}/{nid}"),
                sources=self.sources(n, f"{ident}/{nid}", required=bool(outcome)), line=n.line)
        if not ident:
            return
        if ident in self.k.trees:
            self.problem(item.line, ident, "duplicate tree id", "give one tree a new id")
            return
        self.k.trees[ident] = Tree(id=ident, title=self.text(item, "title", ident),
                                   start=self.text(item, "start", ident), nodes=nodes,
                                   questions=self.text_list(item, "questions", ident), file=self.file,
                                   line=item.line)

    def conditions(self, option: dict, ident: str) -> tuple:
        """Read an option's 'when': a list of conditions, each mapping facts to the values that satisfy them."""
        raw = option.get("when")
        if raw is None:
            return ()
        conditions = []
        for cond in raw if isinstance(raw, list) else [raw]:
            if not isinstance(cond, dict) or not all(
                    isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
                    for k, v in cond.items()):
                self.problem(getattr(option, "line", 0), ident, "'when' must be a list of {fact: [values]} conditions",
                             "write when: [{reason: [holiday], leave: [granted]}]")
                continue
            conditions.append(tuple((k, tuple(v)) for k, v in cond.items()))
        return tuple(conditions)

    def read_fact(self, item: dict) -> None:
        """Read one scenario fact and the patterns that state each of its values, in order of precedence."""
        name = self.text(item, "fact", "")
        self.check_keys(item, {"fact", "values"}, name)
        values = []
        for v in item.get("values") or []:
            if not isinstance(v, dict) or not isinstance(v.get("value"), str):
                self.problem(item.line, name, "a fact value needs 'value' and 'patterns'",
                             "write - value: illness\n  patterns: ['ill', 'sick']")
                continue
            self.check_keys(v, {"value", "patterns", "never"}, f"{name}/{v['value']}")
            patterns = self.text_list(v, "patterns", f"{name}/{v['value']}")
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.problem(v.line, f"{name}/{v['value']}", f"pattern {pattern!r} is not a valid regular "
                                 f"expression ({exc})", "fix the pattern or quote it in single quotes")
            values.append(FactValue(name, v["value"].strip(), patterns, v.line,
                                    never=self.text_list(v, "never", f"{name}/{v['value']}")))
        if name in self.k.facts:
            self.problem(item.line, name, f"fact '{name}' is defined twice", "keep one definition")
        elif name:
            self.k.facts[name] = tuple(values)

    def read_quiz(self, item: dict) -> None:
        """Read a practice question."""
        ident = self.ident(item)
        self.check_keys(item, {"id", "topic", "question", "options", "answer", "explanation", "entry", "sources",
                               "reviewed"}, ident)
        answer = item.get("answer")
        if not isinstance(answer, int) or isinstance(answer, bool):
            self.problem(item.line, ident, "'answer' must be the 0-based index of the correct option",
                         "write answer: 0 for the first option")
            answer = -1
        if not ident:
            return
        if ident in self.k.quiz:
            self.problem(item.line, ident, "duplicate quiz id", "give one question a new id")
            return
        self.reviewed(item, ident)
        self.k.quiz[ident] = QuizQuestion(
            id=ident, topic=self.text(item, "topic", ident), question=self.text(item, "question", ident),
            options=self.text_list(item, "options", ident), answer=answer,
            explanation=self.text(item, "explanation", ident), entry=self.text(item, "entry", ident,
                                                                               required=False),
            sources=self.sources(item, ident), file=self.file, line=item.line)

    def read_synonyms(self, data: dict) -> None:
        """Read the vocabulary map of canonical words to the variants practitioners type."""
        value = data.get("synonyms")
        if not isinstance(value, dict):
            self.problem(data.line, "", "'synonyms' must map a word to a list of variants",
                         "write synonyms: {ill: [sick, poorly]}")
            return
        for word in getattr(value, "duplicate_keys", ()):
            # (YAML keeps only the last of the two, so the first one's variants would be lost without a word)
            self.problem(value.line, word, f"word '{word}' is given twice in the synonyms",
                         "merge its variants into one list")
        for canonical, variants in value.items():
            if not isinstance(canonical, str) or not isinstance(variants, list):
                self.problem(value.line, str(canonical), "a synonym needs a word and a list of variants",
                             "write word: [variant, variant]")
                continue
            for v in variants:
                key = str(v).lower().strip()
                if key in self.k.synonyms and self.k.synonyms[key] != canonical.lower():
                    self.problem(value.line, str(canonical),
                                 f"variant '{key}' already maps to '{self.k.synonyms[key]}'",
                                 "map each variant to one word only")
                    continue
                self.k.synonyms[key] = canonical.lower()


    def read_concept(self, item: dict) -> None:
        """Read a concept: the topic words a situation described in everyday words implies, and its patterns."""
        words = self.text(item, "words", "concept")
        self.check_keys(item, {"words", "patterns"}, words)
        patterns = self.text_list(item, "patterns", words)
        if not words or not patterns:
            self.problem(item.line, words, "a concept needs words and patterns", "see knowledge/vocabulary.yaml")
            return
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.problem(item.line, words, f"pattern {pattern!r} is not a valid regular expression: {exc}",
                             "fix the pattern")
                return
        self.k.concepts.append((words.lower(), patterns))


def code_answer(info: CodeInfo) -> str:
    """Compose the full explanation of an attendance code from its parts."""
    lines = [f"Code {info.code}: {info.meaning}."]
    if info.category:
        lines.append(f"Category: {info.category}.")
    if info.statistics:
        lines.append(f"Counts as: {info.statistics}.")
    if info.rule:
        lines.append(f"Rule: {info.rule.strip()}")
    for other, why in info.confused_with:
        lines.append(f"Not to be confused with {other}: {why}")
    return "\n".join(lines)


def scenario_answer(entry: Entry, info: CodeInfo | None) -> str:
    """Compose a coding scenario's answer: the code, why, the deciding rule and the nearest confusion."""
    if info is None:
        return entry.answer
    lines = [f"Use code {info.code}: {info.meaning}.", f"Why: {entry.answer}"]
    if info.statistics:
        lines.append(f"Counts as: {info.statistics}.")
    if info.rule:
        lines.append(f"Rule: {info.rule.strip()}")
    for other, why in info.confused_with[:2]:
        lines.append(f"Not to be confused with {other}: {why}")
    return "\n".join(lines)


def _document_date(value: str) -> bool:
    """True for "undated" or a real YYYY, YYYY-MM or YYYY-MM-DD date."""
    if value == "undated":
        return True
    if not DOCUMENT_DATE.match(value):
        return False
    try:
        if len(value) == 7:
            date.fromisoformat(value + "-01")
        elif len(value) == 10:
            date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _too_deep(text: str) -> tuple[int, int]:
    """Return the line (1-based, 0 if unknown) where YAML nesting first passes MAX_NESTING, and the depth reached.

    Walks the parser's events, which needs no recursion, so it works on text that crashes the constructor.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark.line + 1, depth
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except (yaml.YAMLError, RecursionError):
        pass
    depth = best = line = 0
    for number, row in enumerate(text.splitlines(), 1):  # fall back to counting open brackets
        for ch in row:
            depth += (ch in "[{") - (ch in "]}")
            if depth > best:
                best, line = depth, number
            if best > MAX_NESTING:
                return line, best
    return line, best


def _titled(sources: tuple[Source, ...], documents: dict[str, Document]) -> tuple[Source, ...]:
    """Give each source the readable title of its document, where documents.yaml has one."""
    return tuple(replace(s, title=documents[s.doc].label) if s.doc in documents else s for s in sources)


def label_sources(knowledge: Knowledge, documents: dict[str, Document]) -> None:
    """Put document titles on every source of entries, tree outcomes, quiz questions and the register figures; warn of
    unused titles."""
    if not documents:
        return
    cited: set[str] = set()
    for ident, entry in list(knowledge.entries.items()):
        cited.update(s.doc for s in entry.sources)
        knowledge.entries[ident] = replace(entry, sources=_titled(entry.sources, documents))
    for ident, tree in list(knowledge.trees.items()):
        for node in tree.nodes.values():
            cited.update(s.doc for s in node.sources)
        nodes = {nid: replace(node, sources=_titled(node.sources, documents)) for nid, node in tree.nodes.items()}
        knowledge.trees[ident] = replace(tree, nodes=nodes)
    for ident, q in list(knowledge.quiz.items()):
        cited.update(s.doc for s in q.sources)
        knowledge.quiz[ident] = replace(q, sources=_titled(q.sources, documents))
    if knowledge.register is not None:
        cited.update(s.doc for s in knowledge.register.sources)
        knowledge.register = replace(knowledge.register, sources=_titled(knowledge.register.sources, documents))
    for name, doc in documents.items():
        if name not in cited:
            knowledge.problems.append(Problem(doc.source_file, doc.line, name, "no entry, tree or quiz question "
                                              "cites this document", "cite it in sources or remove its entry",
                                              "warning"))


def load_knowledge(directory: str | Path) -> Knowledge:
    """Load every knowledge YAML file under a directory; problems are collected, never raised."""
    root = Path(directory)
    knowledge = Knowledge()
    if not root.is_dir():
        knowledge.problems.append(Problem(str(root), 0, "", "knowledge directory not found",
                                          "run from the project root or set knowledge_dir in config.yaml"))
        return knowledge
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        knowledge.problems.append(Problem(str(root), 0, "", "no knowledge files found", "add knowledge/*.yaml"))
    documents: dict[str, Document] = {}
    for path in files:
        try:
            display = str(path.relative_to(root.parent))
        except ValueError:
            display = str(path)
        _FileReader(path, display, knowledge, documents).read()
    for ident, entry in list(knowledge.entries.items()):
        if entry.kind == "scenario":
            info = knowledge.codes.get(entry.codes[0]) if entry.codes else None
            knowledge.entries[ident] = replace(entry, answer=scenario_answer(entry, info),
                                                see=entry.see or ((info.entry_id,) if info else ()))
    label_sources(knowledge, documents)
    return knowledge

