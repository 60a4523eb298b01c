"""Personal data is declared once in the store: the real schema has no undeclared user column, forget-me leaves no
row naming the user (except the invite grant, which it says it keeps) and the retention sweep covers the rest."""
import json
import re
from datetime import datetime, timedelta, timezone

from guidance.config import Settings
from guidance.session import ACCESS_KEPT
from guidance.store import NOT_PERSONAL, PERSONAL_DATA, Store
from tests.telegram_fake import callback_update, text_update
from tests.test_telegram import Harness

# Column names that look like they hold a person (user ids, members, facilitators, owners, names, chats ...).
USER_LIKE = re.compile(r"user|member|facilitator|owner|name|chat|person|author|admin|who|email|phone", re.IGNORECASE)

UID = 4242424                  # a Telegram id that appears nowhere else, so any row holding it names this user
USER = f"tg:{UID}"
NAME = "Zebedee"               # the display name this user opts in to leaderboards with
OTHER, OTHER_UID = "tg:777", 777


def _tables(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.db.execute(f"PRAGMA table_info([{table}])")]


def _declared(table: str) -> set[str]:
    return {c for item in PERSONAL_DATA if item.table == table for c in (item.column, *item.also)}


def test_every_user_column_in_the_real_schema_is_declared(tmp_path):
    store = Store(str(tmp_path / "schema.db"))     # a file database after every migration, as in production
    tables = _tables(store)
    undeclared_tables = [t for t in tables if t not in {i.table for i in PERSONAL_DATA} and t not in NOT_PERSONAL]
    assert undeclared_tables == [], "declare these tables in PERSONAL_DATA, or in NOT_PERSONAL with a reason"
    undeclared = [f"{t}.{c}" for t in tables if t not in NOT_PERSONAL for c in _columns(store, t)
                  if USER_LIKE.search(c) and c not in _declared(t)]
    assert undeclared == [], "columns that look like they name a user but are not in PERSONAL_DATA"
    for item in PERSONAL_DATA:                     # and nothing declared is stale
        assert item.table in tables, item
        assert {item.column, *item.also, *([item.aged_by] if item.aged_by else [])} <= set(_columns(store, item.table))
        assert item.forget in ("delete", "clear", "keep") and item.holds
    assert ("group_rounds", "facilitator") in {(i.table, i.column) for i in PERSONAL_DATA}


def _names_user(value, user: str = USER, uid: int = UID) -> bool:
    return value == user or value == uid or value == str(uid)


def test_channel_records_naming_a_user_are_declared(mini):
    """Every channel_state record with a value naming the user (e.g. a private quiz poll) is matched by a declared
    JSON key, so forget-me and retention find it."""
    h = Harness(mini)
    h.assistant.practice.rng.seed(1)
    h.run(lambda b: text_update(b, "/quiz", uid=UID), lambda b: callback_update(b, "quiz:5", uid=UID),
          lambda b: text_update(b, "/quiz", uid=OTHER_UID, chat_id=-5, chat_type="group"),
          lambda b: callback_update(b, "open:" + "x" * 80, uid=UID))
    keys = [i.json_key for i in PERSONAL_DATA if i.table == "channel_state" and i.json_key]
    naming = 0
    for row in h.assistant.store.db["channel_state"].rows:
        value = json.loads(row["value"])
        if any(_names_user(v) for v in value.values()):
            naming += 1
            assert any(value.get(k) == USER for k in keys), f"undeclared user in channel record {row}"
    assert naming >= 1


def _rows_naming(store: Store, *needles: str) -> dict[str, list[dict]]:
    """Every row of every table with a value that contains one of the needles."""
    found: dict[str, list[dict]] = {}
    for table in _tables(store):
        for row in store.db[table].rows:
            if any(n in str(v) for v in row.values() for n in needles):
                found.setdefault(table, []).append(row)
    return found


def _answer(bot, user, right=True):
    state = bot.store.state(user)["quiz"]
    qid = state["ids"][state["i"]]
    q = bot.k.quiz[qid]
    return bot.handle(user, action=f"qa:{qid}:{q.answer if right else (q.answer + 1) % len(q.options)}")


def test_forget_me_after_every_feature_leaves_only_the_kept_grant(mini, monkeypatch):
    monkeypatch.setenv("TEST_INVITE", "hub-2026")
    h = Harness(mini, Settings(invite_code_env="TEST_INVITE", allowed_users=(OTHER,)))
    bot, store = h.assistant, h.assistant.store
    bot.practice.rng.seed(2)
    assert bot.handle(USER, text="invite hub-2025")[0].kind == "error"            # a failed invite ...
    assert "accepted" in bot.handle(USER, text="invite hub-2026")[0].text          # ... then redemption
    bot.handle(USER, text="how long can the register stay open")                   # ask
    bot.handle(USER, action="fb:mini-register:1")                                  # feedback
    bot.handle(USER, text="canteen opening hours for my pupil")                    # logged fallback question
    bot.handle(USER, text="show me on leaderboards", name=NAME)                    # leaderboard opt-in
    bot.handle(USER, action="quiz:5")                                              # quiz answers
    _answer(bot, USER)
    bot.handle(USER, text="group quiz", group="tg:-1")                             # facilitator of a group round
    bot.handle(OTHER, text="group quiz", group="tg:-2")                            # member of another's round
    row = store.group_round("tg:-2")
    qid = row["questions"][0]
    bot.handle(USER, action=f"grp:{row['round']}:{qid}:0", group="tg:-2")
    bot.handle(OTHER, action=f"grp:{row['round']}:{qid}:1", group="tg:-2")
    h.run(lambda b: text_update(b, "/quiz", uid=UID), lambda b: callback_update(b, "quiz:5", uid=UID))  # poll
    bot.handle(USER, action="tree:mini-tree")                                      # walk-through in progress
    before = _rows_naming(store, str(UID), NAME)
    assert set(before) == {i.table for i in PERSONAL_DATA}, "the test should reach every declared table"

    confirm = bot.handle(USER, text="forget me")[0]
    assert "for this account in this channel" in confirm.text and ACCESS_KEPT in confirm.text
    assert all(i.holds in confirm.text for i in PERSONAL_DATA if i.forget != "keep")
    done = bot.handle(USER, action="forget:yes")[0]
    assert done.text.startswith("Done: deleted for this account in this channel:") and ACCESS_KEPT in done.text
    assert all(i.holds in done.text for i in PERSONAL_DATA if i.forget != "keep")

    after = _rows_naming(store, str(UID), NAME)
    assert list(after) == ["access_grants"] and len(after["access_grants"]) == 1, after
    assert bot.access.allowed(USER)                                                # access kept, as the reply says
    assert store.group_round("tg:-1")["facilitator"] is None                       # the round stays for others
    assert list(store.group_scores("tg:-2", row["round"])) == [OTHER]
    assert _rows_naming(store, str(OTHER_UID))                                     # others keep their data


def test_retention_covers_facilitators_poll_records_and_failed_invites():
    store = Store()
    store.start_group_round("g", USER, ["q1"])
    store.channel_put("telegram", "poll:1", {"chat": UID, "qid": "q1", "user": USER})
    store.channel_put("telegram", "poll:2", {"chat": -5, "qid": "q1", "group": "g", "round": "1"})
    store.record_invite_failure(USER)
    store.grant(USER)
    store.set_leaderboard(USER, NAME)
    assert store.enforce_retention(90) == 0
    later = datetime.now(timezone.utc) + timedelta(days=91)
    assert store.enforce_retention(90, now=later) == 3       # facilitator cleared, poll record and failure deleted
    assert store.group_round("g")["facilitator"] is None
    assert store.channel_get("telegram", "poll:1") is None and store.channel_get("telegram", "poll:2") is not None
    assert store.invite_failures(USER, 5) == []
    assert store.has_grant(USER) and store.display_names([USER]) == {USER: NAME}   # kept until forget-me / admin


def test_every_declared_item_with_a_timestamp_is_swept():
    """Retention is driven by the declaration: each aged item (except the kept grant) loses its old rows."""
    store = Store()
    old = "2000-01-01T00:00:00+00:00"
    for item in PERSONAL_DATA:
        if item.aged_by is None or item.forget == "keep":
            continue
        value = json.dumps({item.json_key: USER}) if item.json_key else USER
        columns = {c[1]: c[2] for c in store.db.execute(f"PRAGMA table_info([{item.table}])")}
        row = {c: (0 if t == "INTEGER" else "x") for c, t in columns.items() if c != "id"}
        row.update({item.column: value, item.aged_by: old})
        store.db[item.table].insert(row)
    store.enforce_retention(90)
    assert _rows_naming(store, USER) == {}


def test_readme_privacy_section_lists_the_declaration():
    from tests.conftest import ROOT
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Privacy, content gaps and administration"):readme.index("## Settings")]
    for item in PERSONAL_DATA:
        assert f"| `{item.table}` | `{item.column}`" in section, item.table
    assert ACCESS_KEPT in section and "this account in this channel" in section
    assert "`python -m bot converse` trusts its `user` field" in section
