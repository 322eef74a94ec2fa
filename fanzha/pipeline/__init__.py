"""The monthly run: ingest -> build -> check (GX) -> publish atomically -> issue notices.

Commands: `fanzha run` (run.py) and `fanzha check` (check.py). Helpers: lock, run log, fingerprints, publish.
"""
