"""The pseudonymisation key and the keyed hash (HMAC-SHA256) used at the door.

The key comes from FANZHA_PII_KEY, else from `$FANZHA_HOME/secrets/pii.key`, created on first use with 32 random
bytes (hex) and mode 0600. Keys shorter than 32 bytes are refused.

DuckDB 1.4 has sha256 but no HMAC, so HMAC is written out in SQL from its definition (RFC 2104):
    HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m))
with K' the key padded to the 64-byte block (hashed first when longer). The padded keys are baked into a TEMP
macro of the connection, which is never stored in the landing database. tests/test_ingest_pii.py checks the
macro against Python's hmac module.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path

import duckdb

from fanzha.core.errors import UserError
from fanzha.core.paths import DataHome

MIN_KEY_BYTES = 32
BLOCK = 64
ENV_KEY = "FANZHA_PII_KEY"


def key_file(home: DataHome) -> Path:
    return home.secrets / "pii.key"


def load_key(home: DataHome) -> bytes:
    """The pseudonymisation key (bytes). Creates the key file on first use when no FANZHA_PII_KEY is set."""
    env = os.environ.get(ENV_KEY)
    if env is not None:
        key = env.encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise UserError(
                f"{ENV_KEY} is {len(key)} bytes long; the pseudonymisation key must be at least {MIN_KEY_BYTES} bytes",
                2,
            )
        return key
    path = key_file(home)
    if not path.exists():
        home.secrets.mkdir(parents=True, exist_ok=True)
        os.chmod(home.secrets, 0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # created concurrently: read it below
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise UserError(f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}", 2)
    key = path.read_text(encoding="utf-8").strip().encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise UserError(f"{path} holds a key of {len(key)} bytes; at least {MIN_KEY_BYTES} bytes are required", 2)
    return key


def _padded(key: bytes) -> bytes:
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    return key.ljust(BLOCK, b"\0")


def install_hmac_macro(conn: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """TEMP MACRO fz_hmac(text) -> lower-case hex HMAC-SHA256 of the text's UTF-8 bytes; NULL stays NULL."""
    padded = _padded(key)
    ipad = bytes(b ^ 0x36 for b in padded).hex()
    opad = bytes(b ^ 0x5C for b in padded).hex()
    conn.execute(
        "CREATE OR REPLACE TEMP MACRO fz_hmac(s) AS CASE WHEN s IS NULL THEN NULL ELSE "
        f"sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode(s)))) END"
    )
