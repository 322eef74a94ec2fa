"""`fanzha users …`: exit codes and messages, passwords only from standard input, every change audited."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fanzha.access import audit
from fanzha.access.grants import Grant
from fanzha.access.users import UserStore
from fanzha.core.paths import DataHome
from tests.fixtures.cli import fanzha_env

PASSWORD = "correct-horse-1"


def users(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fanzha.cli", "users", *args], input=stdin, env=fanzha_env(home),
                          capture_output=True, text=True, timeout=120)


def test_add_list_disable_and_set_password(tmp_path: Path) -> None:
    added = users(tmp_path, "add", "jiasong", "--role", "unit", "--unit", "贾宋镇", "--password-stdin",
                  stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "account jiasong added: role unit, units 贾宋镇"
    store = UserStore.for_home(DataHome(tmp_path))
    assert store.authenticate("jiasong", PASSWORD).grant == Grant("jiasong", "unit", ("130506101",))

    assert users(tmp_path, "add", "office", "--role", "committee", "--password-stdin",
                 stdin="office-pass-123\n").returncode == 0
    listed = users(tmp_path, "list").stdout.splitlines()
    assert listed[0].split() == ["name", "role", "units", "status", "sign-in", "last", "sign-in"]
    assert listed[1].split()[:5] == ["jiasong", "unit", "乡镇/成员单位", "贾宋镇", "active"]
    assert listed[2].split()[:5] == ["office", "committee", "政法委", "全区", "active"]

    assert users(tmp_path, "disable", "jiasong").returncode == 0
    assert store.authenticate("jiasong", PASSWORD).outcome == "disabled"
    assert users(tmp_path, "list").stdout.splitlines()[1].split()[4] == "disabled"
    assert users(tmp_path, "enable", "jiasong").returncode == 0

    assert users(tmp_path, "set-password", "jiasong", "--password-stdin", stdin="new-horse-22\n").returncode == 0
    assert store.authenticate("jiasong", "new-horse-22").outcome == "ok"
    actions = [(r.action, r.detail.get("account")) for r in audit.records(DataHome(tmp_path))]
    assert actions[:5] == [("user_add", "jiasong"), ("user_add", "office"), ("user_disable", "jiasong"),
                           ("user_enable", "jiasong"), ("user_password", "jiasong")]
    assert PASSWORD not in audit.audit_path(DataHome(tmp_path)).read_text(errors="replace")


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["add", "x1", "--role", "boss", "--password-stdin"], PASSWORD,
     "fanzha users: error: unknown role 'boss'; allowed roles: committee (政法委), analyst (分析员), "
     "unit (乡镇/成员单位), station (派出所)"),
    (["add", "x1", "--role", "unit", "--unit", "火星镇", "--password-stdin"], PASSWORD,
     "fanzha users: error: unknown township or member unit '火星镇' for role unit; allowed: 130506100 和阳镇, "
     "130506101 贾宋镇,"),
    (["add", "x1", "--role", "station", "--unit", "PS99", "--password-stdin"], PASSWORD,
     "unknown police station 'PS99' for role station; allowed: PS01 和阳派出所, PS02 贾宋派出所,"),
    (["add", "x1", "--role", "unit", "--unit", "贾宋镇", "--password-stdin"], "short-pw",
     "the password is too short (8 characters): use at least 10"),
    (["add", "x1", "--role", "unit", "--unit", "贾宋镇", "--password-stdin"], "",
     "the password is empty"),
    (["add", "x1", "--role", "committee"], "", "give the password on standard input with --password-stdin"),
    (["disable", "nobody"], "", "no account named 'nobody'"),
    (["set-password", "nobody", "--password-stdin"], PASSWORD, "no account named 'nobody'"),
    ([], "", "give an action: add, list, disable, enable, set-password, link"),
])
def test_usage_errors_exit_2_with_one_clear_line(tmp_path: Path, args: list[str], stdin: str, message: str) -> None:
    result = users(tmp_path, *args, stdin=stdin + "\n" if stdin else "")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_argparse_mistake_is_exit_2_too(tmp_path: Path) -> None:
    result = users(tmp_path, "add", "x1", "--password-stdin")
    assert result.returncode == 2
    assert "the following arguments are required: --role" in result.stderr


def test_link_an_oidc_subject(tmp_path: Path) -> None:
    assert users(tmp_path, "add", "sso-only", "--role", "analyst", "--oidc-subject", "u-77").returncode == 0
    assert users(tmp_path, "add", "office", "--role", "committee", "--password-stdin", stdin=PASSWORD).returncode == 0
    assert users(tmp_path, "link", "office", "--oidc-subject", "u-78").returncode == 0
    store = UserStore.for_home(DataHome(tmp_path))
    assert store.grant_for_subject("u-77") == Grant("sso-only", "analyst", ())
    assert store.grant_for_subject("u-78") == Grant("office", "committee", ())
    taken = users(tmp_path, "link", "office", "--oidc-subject", "u-77")
    assert taken.returncode == 2 and "already linked to account 'sso-only'" in taken.stderr
    rows = users(tmp_path, "list").stdout.splitlines()
    assert rows[1].split()[4:6] == ["active", "password+oidc"]
    assert rows[2].split()[4:6] == ["active", "oidc"]
