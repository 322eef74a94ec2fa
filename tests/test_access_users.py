"""The local accounts store: argon2 hashes, the lockout (5 failures → 15 minutes, on an injected clock), disable,
OIDC subjects, the idle limit of a session, and the unit names a grant may use."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fanzha.access import sessions, units
from fanzha.access.grants import Grant
from fanzha.access.users import LOCK_DURATION, MAX_FAILURES, UserStore
from fanzha.core.errors import UserError

PASSWORD = "correct-horse-1"
T0 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> UserStore:
    s = UserStore(tmp_path / "access" / "users.sqlite", clock=clock)
    s.add("jiasong", "unit", ("130506101",), password=PASSWORD)
    return s


def test_the_password_is_stored_as_an_argon2id_hash_in_a_private_file(store: UserStore) -> None:
    raw = store.path.read_bytes()
    assert PASSWORD.encode() not in raw
    assert b"$argon2id$" in raw
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_the_right_password_gives_the_grant_and_a_wrong_one_nothing(store: UserStore) -> None:
    ok = store.authenticate("jiasong", PASSWORD)
    assert ok.outcome == "ok"
    assert ok.grant == Grant("jiasong", "unit", ("130506101",))
    for name, password in (("jiasong", "correct-horse-2"), ("nobody", PASSWORD), ("jiasong", "")):
        bad = store.authenticate(name, password)
        assert (bad.outcome, bad.grant) == ("bad", None)


def test_five_failures_in_a_row_lock_the_name_for_15_minutes(store: UserStore, clock: Clock) -> None:
    outcomes = [store.authenticate("jiasong", "wrong-password").outcome for _ in range(MAX_FAILURES)]
    assert outcomes == ["bad", "bad", "bad", "bad", "locked_now"]
    locked = store.authenticate("jiasong", PASSWORD)  # even the right password is refused while locked
    assert locked.outcome == "locked"
    assert locked.locked_until == T0 + timedelta(minutes=15)
    assert timedelta(minutes=15) == LOCK_DURATION
    clock.advance(minutes=14, seconds=59)
    assert store.authenticate("jiasong", PASSWORD).outcome == "locked"
    clock.advance(seconds=2)
    assert store.authenticate("jiasong", PASSWORD).outcome == "ok"


def test_the_lockout_holds_across_store_instances(store: UserStore, clock: Clock) -> None:
    for _ in range(MAX_FAILURES):
        store.authenticate("jiasong", "wrong-password")
    again = UserStore(store.path, clock=clock)  # a restarted server reads the same file
    assert again.authenticate("jiasong", PASSWORD).outcome == "locked"
    assert again.accounts()[0].locked_until == T0 + timedelta(minutes=15)


def test_a_success_resets_the_count(store: UserStore) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert store.authenticate("jiasong", "wrong-password").outcome == "bad"
    assert store.authenticate("jiasong", PASSWORD).outcome == "ok"
    failures = [store.authenticate("jiasong", "wrong-password") for _ in range(MAX_FAILURES - 1)]
    assert [f.failures for f in failures] == [1, 2, 3, 4]
    assert failures[-1].outcome == "bad"


def test_names_that_are_no_account_lock_the_same_way(store: UserStore) -> None:
    outcomes = [store.authenticate("nobody", "whatever-pw").outcome for _ in range(MAX_FAILURES)]
    assert outcomes[-1] == "locked_now"
    assert store.authenticate("nobody", "whatever-pw").outcome == "locked"
    assert not store.authenticate("nobody", "whatever-pw").known
    assert b"nobody" not in store.path.read_bytes()  # failure counts are keyed by a hash of the name


def test_a_new_password_lifts_the_lockout(store: UserStore) -> None:
    for _ in range(MAX_FAILURES):
        store.authenticate("jiasong", "wrong-password")
    store.set_password("jiasong", "another-horse-2")
    assert store.authenticate("jiasong", "another-horse-2").outcome == "ok"
    assert store.authenticate("jiasong", PASSWORD).outcome == "bad"


def test_a_disabled_account_cannot_sign_in(store: UserStore) -> None:
    store.disable("jiasong")
    assert store.authenticate("jiasong", PASSWORD).outcome == "disabled"
    assert store.authenticate("jiasong", "wrong-password").outcome == "bad"  # says nothing more to a guesser
    assert store.grant_for("jiasong") is None
    store.enable("jiasong")
    assert store.grant_for("jiasong") == Grant("jiasong", "unit", ("130506101",))


@pytest.mark.parametrize(("password", "message"), [("", "empty"), ("123456789", r"too short \(9 characters\)")])
def test_empty_and_short_passwords_are_refused(store: UserStore, password: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as info:
        store.add("heyang", "unit", ("130506100",), password=password)
    assert info.value.exit_code == 2
    with pytest.raises(UserError, match=message):
        store.set_password("jiasong", password)


def test_oidc_subjects_map_to_grants(store: UserStore) -> None:
    store.add("station2", "station", ("PS02",), oidc_subject="u-1002")
    store.link("jiasong", "u-1001")
    assert store.grant_for_subject("u-1002") == Grant("station2", "station", ("PS02",))
    assert store.grant_for_subject("u-1001") == Grant("jiasong", "unit", ("130506101",))
    assert store.grant_for_subject("u-9999") is None
    assert store.authenticate("station2", "any-password-1").outcome == "bad"  # no password: OIDC only
    with pytest.raises(UserError, match="already linked to account 'station2'"):
        store.link("jiasong", "u-1002")
    store.disable("station2")
    assert store.grant_for_subject("u-1002") is None


def test_duplicate_and_malformed_names_are_refused(store: UserStore) -> None:
    with pytest.raises(UserError, match="already exists"):
        store.add("jiasong", "committee", (), password=PASSWORD)
    with pytest.raises(UserError, match="not allowed"):
        store.add("a b", "committee", (), password=PASSWORD)


def test_a_session_expires_after_8_hours_idle() -> None:
    assert timedelta(hours=8) == sessions.IDLE_LIMIT
    assert not sessions.expired(T0, T0 + timedelta(hours=8))
    assert sessions.expired(T0, T0 + timedelta(hours=8, seconds=1))
    assert not sessions.expired(None, T0)


def test_units_resolve_by_code_or_name_against_the_seeds() -> None:
    assert units.resolve("unit", ["贾宋镇", "130506100", "区教育局", "130506m03"]) == (
        "130506101", "130506100", "130506M02", "130506M03")
    assert units.resolve("station", ["PS02", "和阳派出所"]) == ("PS02", "PS01")
    assert units.resolve("committee", []) == ()
    assert units.names(("130506101", "PS01")) == ["贾宋镇", "和阳派出所"]


@pytest.mark.parametrize(("role", "given", "message"), [
    ("boss", [], "unknown role 'boss'; allowed roles: committee (政法委), analyst (分析员), unit (乡镇/成员单位), "
                 "station (派出所)"),
    ("unit", ["火星镇"], "unknown township or member unit '火星镇' for role unit; allowed: 130506100 和阳镇"),
    ("unit", ["PS01"], "allowed: 130506100 和阳镇"),  # a station is no township
    ("station", ["贾宋镇"], "unknown police station '贾宋镇' for role station; allowed: PS01 和阳派出所"),
    ("unit", [], "role unit needs --unit"),
    ("analyst", ["贾宋镇"], "covers the whole district"),
])
def test_bad_roles_and_units_are_usage_errors_naming_the_allowed_values(role: str, given: list[str],
                                                                         message: str) -> None:
    with pytest.raises(UserError) as info:
        units.resolve(role, given)
    assert info.value.exit_code == 2
    assert message in info.value.message
