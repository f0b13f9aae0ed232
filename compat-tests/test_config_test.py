"""Live `-t` comparison: keepalived 2.2.7 versus our binary on every recorded config.

For each row of tests/fixtures/keepalived-t/index.tsv, a fresh network namespace holding
the recorded interfaces is created, then `keepalived -t -f CONF` (the reference,
/usr/sbin/keepalived) and `$KEEPALIVED_RS -t -f CONF` are run in it with the same
hostname, cwd and environment. A case passes iff both exit codes agree.

KEEPALIVED_RS defaults to target/release/keepalived; a relative value is taken relative
to the repository root. Cases are exposed through `cases()` (used by compat-tests/run).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import record_config_test as rec

REFERENCE = os.environ.get("KEEPALIVED_REF", rec.REFERENCE_KEEPALIVED)
STDERR_SHOWN = 1500   # bytes of each stderr shown on failure


def our_binary() -> str:
    """Path of the binary under test (env KEEPALIVED_RS, relative to the repo root)."""
    path = Path(os.environ.get("KEEPALIVED_RS", "target/release/keepalived"))
    return str(path if path.is_absolute() else rec.REPO / path)


def _show(label: str, data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    if len(text) > STDERR_SHOWN:
        text = text[:STDERR_SHOWN] + f"\n... ({len(data)} bytes in all)"
    body = "\n".join("    | " + line for line in text.splitlines()) or "    | (empty)"
    return f"  {label} stderr:\n{body}"


def check_config(row: dict) -> None:
    """Raise AssertionError unless the reference and our binary give the same `-t` code."""
    conf = rec.SHARED / row["config"]
    ours = our_binary()
    if not os.access(ours, os.X_OK):
        raise AssertionError(f"binary under test not found or not executable: {ours}")
    if not shutil.which(REFERENCE):
        raise AssertionError(f"reference keepalived not found: {REFERENCE}")
    ns = rec.make_ns(row["interfaces"])
    try:
        ref = rec.run_t(ns, REFERENCE, conf)
        got = rec.run_t(ns, ours, conf)
    finally:
        ns.delete()
    if ref.rc == got.rc and not ref.timed_out:
        return
    lines = [f"  config: {row['config']}  (interfaces: {','.join(row['interfaces']) or '-'})",
             f"  keepalived rc={ref.rc}{' (timeout)' if ref.timed_out else ''}"
             f"  ours rc={got.rc}{' (timeout)' if got.timed_out else ''}"]
    if ref.rc != row["rc"]:
        lines.append(f"  note: reference rc {ref.rc} differs from the recorded {row['rc']}"
                     " (environment changed? re-record)")
    lines += [_show("keepalived", ref.stderr), _show("ours", got.stderr)]
    raise AssertionError("\n".join(lines))


def cases():
    """Yield (name, callable) pairs, one per recorded config."""
    for row in rec.read_index():
        yield f"config-test:{row['config']}", (lambda r=row: check_config(r))
