"""`fanzha dashboard [--port N] [--address A]`: serve the committee dashboard with `streamlit run`.

It listens on 127.0.0.1 only unless told otherwise: put it behind the district's HTTPS reverse proxy (README)
rather than opening the port. Streamlit's XSRF and CORS protection are switched on explicitly, so a stray
config.toml cannot turn them off. An OpenID Connect provider, when the deployment has one, is configured in
Streamlit's `[auth]` secrets: `.streamlit/secrets.toml` of the checkout or `$FANZHA_HOME/secrets/streamlit.toml`
(read in that order; the second wins).

`serve(home, port, host)` is also what `fanzha demo` calls at its end. Streamlit runs as a subprocess
(its own server and signal handling); this process prints the URL once the server answers and waits.
Nothing heavy is imported at module level (`fanzha --help` stays fast).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from fanzha.core.errors import UserError
from fanzha.core.paths import REPO_ROOT, DataHome, data_home

APP = REPO_ROOT / "dashboards" / "app.py"
DEFAULT_PORT = 8501
DEFAULT_HOST = "127.0.0.1"
STARTUP_SECONDS = 90.0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    parser.add_argument("--address", "--host", dest="host", default=DEFAULT_HOST, metavar="ADDRESS",
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; serve others "
                             "through an HTTPS reverse proxy, see README)")


def run(args: argparse.Namespace) -> int:
    return serve(data_home(), args.port, args.host)


def secrets_files(root: Path) -> list[Path]:
    """Where Streamlit looks for secrets (the `[auth]` section of single sign-on), later files winning."""
    return [REPO_ROOT / ".streamlit" / "secrets.toml", root / "secrets" / "streamlit.toml"]


def url_for(host: str, port: int) -> str:
    shown = "localhost" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}/"


def streamlit_command(port: int, host: str, root: Path | None = None) -> list[str]:
    secrets = [arg for path in secrets_files(root or Path(".")) for arg in ("--secrets.files", str(path))]
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--server.enableXsrfProtection", "true", "--server.enableCORS", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "viewer", "--theme.base", "light", *(secrets if root is not None else []),
    ]


def _check_port(port: int, host: str) -> None:
    if not 1 <= port <= 65535:
        raise UserError(f"--port must be between 1 and 65535, got {port}", 2)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1" if host in ("localhost", "") else host, port))
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port", 1) from exc


def start(home: DataHome | Path, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST,
          *, quiet: bool = False) -> subprocess.Popen[bytes]:
    """Start the dashboard server for `home` in the background and return the process (not yet ready)."""
    root = home.root if isinstance(home, DataHome) else Path(home)
    _check_port(port, host)
    env = {**os.environ, "FANZHA_HOME": str(root), "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(streamlit_command(port, host, root), env=env, cwd=str(REPO_ROOT), stdout=out, stderr=out)


def wait_ready(proc: subprocess.Popen[bytes], host: str, port: int, timeout: float = STARTUP_SECONDS) -> None:
    """Block until the server answers its health check; UserError if it exits or never answers."""
    health = f"http://{'127.0.0.1' if host in ('localhost', '0.0.0.0', '') else host}:{port}/_stcore/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise UserError(f"the dashboard server exited with code {proc.returncode} before it was ready", 1)
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    stop(proc)
    raise UserError(f"the dashboard server did not answer on {host}:{port} within {timeout:.0f} s", 1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(home: DataHome | Path, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> int:
    """Serve the dashboard for `home` until interrupted (Ctrl-C); prints the URL when it is ready."""
    root = home.root if isinstance(home, DataHome) else Path(home)
    proc = start(root, port, host)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)  # stop the server too when we are terminated
    try:
        wait_ready(proc, host, port)
        if not (root / "warehouse.duckdb").is_file():
            print(f"note: no published warehouse in {root} yet; the dashboard explains how to run the pipeline")
        print(f"dashboard: {url_for(host, port)}  (data home {root}; Ctrl-C to stop)", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(proc)
