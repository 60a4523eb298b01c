"""Fifty-plus users in several processes sharing one SQLite file: no lost replies, no lock errors."""
from tests.load import run_load


def test_many_users_several_processes_lose_nothing(tmp_path):
    result = run_load(users=52, processes=4, db=str(tmp_path / "load.db"))
    assert result["lost"] == 0, result["stderr"]
    assert result["locked_errors"] == 0
    assert result["messages"] == 52 * 12
    assert "Traceback" not in result["stderr"]
