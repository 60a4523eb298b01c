"""The command line (chat, ask, converse, register, check, gaps, export, trees); the only place errors become exits."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from guidance.assistant import Assistant, KnowledgeError
from guidance.config import ConfigError, load_settings
from guidance.diagram import mermaid
from guidance.gaps import group_gaps, report as gaps_report
from guidance.loader import load_knowledge
from guidance.store import Store
from guidance.validate import validate

from .errors import ChannelSetupError
from .files import upload_refusal
from .jsonlines import ask_lines, converse_lines, export_lines
from .limits import knowledge_problems
from .render import as_text
from .settings import CHANNEL_SETTINGS, TeamsSettings, TelegramSettings
from .terminal import CHARTS, TERMINAL_USER, TerminalChat, TerminalOutput


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Hampshire school attendance guidance assistant.")
    p.add_argument("--config", help="path to config.yaml (default: ./config.yaml or GUIDANCE_CONFIG)")
    sub = p.add_subparsers(dest="command")
    chat = sub.add_parser("chat", help="chat in the terminal (the default when no Telegram token is set)")
    chat.add_argument("--charts", default=str(CHARTS), help="folder pictures are saved in (default: ./charts)")
    sub.add_parser("telegram", help="run the Telegram bot (token from the environment)")
    sub.add_parser("teams", help="serve the Microsoft Teams bot and outgoing webhook")
    ask = sub.add_parser("ask", help="answer one question, or one per line from stdin with '-'")
    ask.add_argument("question", nargs="+", help="the question, or - to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="write JSON lines instead of readable text")
    sub.add_parser("converse", help="run the JSON-lines conversation protocol on stdin/stdout")
    register = sub.add_parser("register", help="read a register export (.csv or .txt, up to 1 MB) and print what "
                                               "the assistant makes of it")
    register.add_argument("file", help="the exported register file")
    register.add_argument("--charts", default=str(CHARTS), help="folder pictures are saved in (default: ./charts)")
    check = sub.add_parser("check", help="validate the knowledge files")
    check.add_argument("--strict", action="store_true", help="treat warnings (such as overdue reviews) as errors")
    export = sub.add_parser("export", help="write every knowledge entry as JSON lines")
    export.add_argument("--json", action="store_true", required=True, help="JSON lines (the only format)")
    gaps = sub.add_parser("gaps", help="list unanswered and ambiguous questions (redacted), grouped, with feedback")
    gaps.add_argument("--json", action="store_true", help="write the groups as JSON lines")
    tr = sub.add_parser("trees", help="list decision trees, or draw one")
    group = tr.add_mutually_exclusive_group(required=True)
    group.add_argument("--json", action="store_true", help="list trees as JSON lines")
    group.add_argument("--mermaid", metavar="ID", help="print a Mermaid flowchart of one tree")
    return p


def _assistant(settings, with_store: bool) -> Assistant:
    store = Store(settings.database_path()) if with_store else None
    return Assistant.from_settings(settings, store)


def main(argv: list[str] | None = None) -> int:
    """Run a command and return its exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config, CHANNEL_SETTINGS)
        telegram_token = settings.channel(TelegramSettings).telegram_token_env
        command = args.command or ("telegram" if os.environ.get(telegram_token) else "chat")
        if command == "check":
            return _check(settings, args.strict)
        if command == "export":
            knowledge = load_knowledge(settings.knowledge_path())
            export_lines(knowledge, sys.stdout)
            return 0
        if command == "gaps":
            store = Store(settings.database_path())
            groups = group_gaps(store.logged_questions())
            if args.json:
                for g in groups:
                    print(json.dumps({"example": g.example, "count": g.count, "kinds": dict(g.kinds),
                                      "variants": g.variants, "near": dict(g.near)}))
            else:
                print(gaps_report(groups, store.feedback_counts()))
            return 0
        if command == "trees":
            knowledge = load_knowledge(settings.knowledge_path())
            if args.mermaid:
                tree = knowledge.trees.get(args.mermaid)
                if tree is None:
                    print(f"No tree '{args.mermaid}'. Trees: {', '.join(sorted(knowledge.trees))}", file=sys.stderr)
                    return 1
                print(mermaid(tree))
                return 0
            for tree in knowledge.trees.values():
                outcomes = sum(1 for n in tree.nodes.values() if n.is_outcome)
                print(json.dumps({"id": tree.id, "title": tree.title, "nodes": len(tree.nodes),
                                  "outcomes": outcomes}))
            return 0
        if command == "ask":
            assistant = _assistant(settings, with_store=False)
            if args.question == ["-"]:
                if args.json:
                    ask_lines(assistant, sys.stdin, sys.stdout)
                else:
                    for raw in sys.stdin.buffer:   # bytes: invalid UTF-8 is replaced, never fatal
                        print(as_text(assistant.answer(raw.decode("utf-8", errors="replace"))) + "\n", flush=True)
                return 0
            reply = assistant.answer(" ".join(args.question))
            print(json.dumps(reply.to_dict(query=" ".join(args.question)), ensure_ascii=False) if args.json
                  else as_text(reply))
            return 0
        if command == "converse":
            converse_lines(_assistant(settings, with_store=True), sys.stdin, sys.stdout)
            return 0
        if command == "register":
            return _register(settings, Path(args.file), Path(args.charts))
        if command == "teams":
            from .teams import run as run_teams

            run_teams(_assistant(settings, with_store=True), settings.channel(TeamsSettings))
            return 0
        if command == "telegram":
            from .telegram import run as run_telegram

            run_telegram(_assistant(settings, with_store=True), settings.channel(TelegramSettings))
            return 0
        TerminalChat(_assistant(settings, with_store=True), charts=Path(getattr(args, "charts", CHARTS))).run()
        return 0
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        for problem in exc.problems[:20]:
            print(problem, file=sys.stderr)
        print(f"The assistant did not start: {exc}", file=sys.stderr)
        return 1
    except ChannelSetupError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _register(settings, path: Path, charts: Path) -> int:
    """Print the assistant's reading of one register export; 1 when the file cannot be read or is refused."""
    try:
        if path.is_dir():
            print(f"{path} is a folder: give the register export file itself.", file=sys.stderr)
            return 1
        refusal = upload_refusal(path.name, path.stat().st_size)
        if refusal is not None:
            print(refusal.text, file=sys.stderr)
            return 1
        data = path.read_bytes()
    except FileNotFoundError:
        print(f"No such file: {path}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    replies = _assistant(settings, with_store=False).handle_file(TERMINAL_USER, path.name, data)
    TerminalOutput(sys.stdout, charts).show(replies)
    return 1 if not replies or replies[0].role == "error" else 0


def _check(settings, strict: bool) -> int:
    knowledge = load_knowledge(settings.knowledge_path())
    problems = validate(knowledge, today=date.today(), review_days=settings.review_days)
    if not any(p.severity == "error" for p in problems):  # the channels are checked once the knowledge is sound
        problems += knowledge_problems(knowledge, settings)
    errors = [p for p in problems if p.severity == "error" or strict]
    for p in problems:
        print(p)
    counts = (f"{len(knowledge.entries)} entries, {len(knowledge.codes)} codes, {len(knowledge.trees)} trees, "
              f"{len(knowledge.quiz)} quiz questions")
    warnings = len(problems) - len([p for p in problems if p.severity == "error"])
    print(f"check: {counts}; {len([p for p in problems if p.severity == 'error'])} errors, {warnings} warnings"
          + (" (strict: warnings count as errors)" if strict and warnings else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
