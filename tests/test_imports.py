"""The engine must never import a channel or a channel library."""
import subprocess
import sys

from tests.conftest import ROOT


def test_guidance_imports_no_channel_code():
    code = ("import sys, guidance.assistant, guidance.store, guidance.trees, guidance.diagram; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('bot', 'telegram', 'aiohttp', 'microsoft_agents')]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
