"""Shared fixtures: the real knowledge, a tiny knowledge set, in-memory stores and a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.loader import load_knowledge
from guidance.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def knowledge():
    """The real knowledge base, loaded once."""
    return load_knowledge(ROOT / "knowledge")


@pytest.fixture(scope="session")
def assistant(knowledge):
    """A stateless assistant over the real knowledge (for single questions)."""
    return Assistant(knowledge, Settings())


@pytest.fixture
def chat(knowledge):
    """An assistant over the real knowledge with a fresh in-memory store (for conversations)."""
    return Assistant(knowledge, Settings(), Store(":memory:"))


@pytest.fixture(scope="session")
def mini():
    """The tiny fixture knowledge set."""
    return load_knowledge(FIXTURES / "mini")


def run_cli(*args: str, stdin: str = "", env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run `python -m bot ...` from the project root and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=timeout)
