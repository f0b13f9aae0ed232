#!/usr/bin/env python3
"""Record what keepalived 2.2.7 `-t` says about every reference config (root only).

Regenerates tests/fixtures/keepalived-t/: index.tsv (config, rc, interfaces) and one
`<config path with / replaced by __>.stderr` per config holding keepalived's stderr
byte for byte. See tests/fixtures/keepalived-t/README.md for the method.

For each config, a fresh network namespace is created and `keepalived -t -f CONF` is run
in it (in a private UTS namespace with hostname `kartest`, cwd `/`, a fixed minimal
environment). Every interface keepalived reports missing is created as a dummy-like
link (dummy, or ifb when the kernel has no dummy driver; up, multicast on) and the test is
re-run until no new name is reported. The final answer is then recorded from a fresh
namespace holding exactly those interfaces, twice, to check it is reproducible.

Usage: record_config_test.py [-j N] [--multicast on|off] [--out DIR] [--shared DIR]
                             [--keepalived PATH] [--dry-run] [FILTER...]
This module also provides the helpers test_config_test.py uses (config list, fixture
names, index reading, the exact command line).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True   # keep compat-tests/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIXTURES = REPO / "tests" / "fixtures" / "keepalived-t"
SHARED = Path(os.environ.get("KA_SHARED", str(REPO.parent / "shared")))
REFERENCE_KEEPALIVED = "/usr/sbin/keepalived"
HOSTNAME = lab.DEFAULT_HOSTNAME
#: Fixed environment for both binaries: PATH matters (script paths are resolved via PATH).
ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
CWD = "/"
TIMEOUT = 60
MAX_ROUNDS = 20

#: keepalived messages that name an interface it could not find (2.2.7 source:
#: vrrp_parser.c, vrrp_ipaddress.c, vrrp_iproute.c, vrrp_iprule.c, vrrp_track.c).
MISSING_IF_PATTERNS = [re.compile(p) for p in (
    rb"WARNING - interface (.+?) for vrrp_instance .+ doesn't exist",
    rb"WARNING - VRF interface (.+?) doesn't exist",
    rb"WARNING - interface (.+?) specified for garp_group doesn't exist",
    rb"WARNING - interface (.+?) for ip address .+ doesn't exist",
    rb"WARNING - interface (.+?) for VROUTE nexthop doesn't exist",
    rb"WARNING - interface (.+?) for rule doesn't exist",
    rb"tracked interface (.+?) doesn't exist",
    rb"unknown interface (.+?) specified for linkbeat interface",
    rb"unknown interface (.+?) specified for up/down delay",
)]
DEFAULT_IF_MSG = re.compile(rb"requires either an interface or default interface must exist")
DEFAULT_IF_KW = re.compile(rb"^\s*default_interface\s+(\S+)", re.M)


def config_list(shared: Path = SHARED) -> list[str]:
    """Reference configs, as paths relative to the shared directory, in a stable order."""
    s = shared / "samples"
    groups = [
        sorted((shared / "compat/corpus").glob("*.conf")),
        sorted(s.glob("keepalived.conf*")),
        [s / n for n in ("debian-etc-keepalived.conf.sample", "docker-keepalived.conf",
                         "etc-keepalived.conf.default", "test-mk_lots-generated.conf",
                         "json_tracking-template_vrrp_instance")],
        sorted((s / "devel-tools-parser").glob("*.conf")),
        sorted((shared / "seed").glob("*.conf")),
        sorted((shared / "compat/captures").glob("*.conf")),
        sorted((shared / "compat/evidence").glob("conf-*.conf")),
    ]
    return [str(p.relative_to(shared)) for g in groups for p in g if p.is_file()]


def fixture_name(rel: str) -> str:
    """Name of the stderr fixture of a config (relative path, '/' -> '__')."""
    return rel.replace("/", "__") + ".stderr"


def argv_t(binary: str, conf: str) -> list[str]:
    """The exact command line used for a config test."""
    return [binary, "-t", "-f", conf]


def read_index(fixtures: Path = FIXTURES) -> list[dict]:
    """Rows of index.tsv as dicts: config, rc (int), interfaces (list)."""
    rows = []
    lines = (fixtures / "index.tsv").read_text().splitlines()
    for line in lines[1:]:
        if not line:
            continue
        conf, rc, ifs = line.split("\t")
        rows.append({"config": conf, "rc": int(rc), "interfaces": [i for i in ifs.split(",") if i]})
    return rows


def run_t(ns: lab.Netns, binary: str, conf: Path) -> lab.Result:
    """Run `binary -t -f conf` in ns with the fixed hostname, cwd and environment."""
    return ns.run(argv_t(binary, str(conf)), timeout=TIMEOUT, hostname=HOSTNAME, cwd=CWD, env=ENV)


def make_ns(interfaces: list[str], multicast: bool = True) -> lab.Netns:
    """A fresh namespace holding the given dummy-like interfaces (deleted on failure)."""
    ns = lab.Netns(hostname=HOSTNAME)
    try:
        for name in interfaces:
            ns.add_dummy(name, multicast=multicast)
    except BaseException:
        ns.delete()
        raise
    return ns


def missing_interfaces(stderr: bytes, conf_text: bytes) -> list[str]:
    """Interface names keepalived reported missing, in order of first mention."""
    found: list[str] = []
    for line in stderr.splitlines():
        for pat in MISSING_IF_PATTERNS:
            m = pat.search(line)
            if m:
                found.append(m.group(1).decode("utf-8", "surrogateescape"))
        if DEFAULT_IF_MSG.search(line):
            m = DEFAULT_IF_KW.search(conf_text)
            found.append(m.group(1).decode("utf-8", "surrogateescape") if m else "eth0")
    return list(dict.fromkeys(found))


def record_one(rel: str, binary: str, multicast: bool, shared: Path) -> dict:
    """Discover the interfaces a config needs, then record rc and stderr."""
    conf = shared / rel
    text = conf.read_bytes()
    interfaces: list[str] = []
    skipped: list[str] = []
    with lab.Netns(hostname=HOSTNAME) as ns:
        for _ in range(MAX_ROUNDS):
            res = run_t(ns, binary, conf)
            new = [n for n in missing_interfaces(res.stderr, text)
                   if n not in interfaces and n not in skipped]
            if not new:
                break
            for name in new:
                if lab.valid_ifname(name):
                    ns.add_dummy(name, multicast=multicast)
                    interfaces.append(name)
                else:
                    skipped.append(name)
        else:
            raise RuntimeError(f"{rel}: interface discovery did not converge")
    results = []
    for _ in range(2):
        ns = make_ns(interfaces, multicast)
        try:
            results.append(run_t(ns, binary, conf))
        finally:
            ns.delete()
    a, b = results
    return {"config": rel, "rc": a.rc, "stderr": a.stderr, "interfaces": interfaces,
            "skipped": skipped, "stable": (a.rc, a.stderr) == (b.rc, b.stderr),
            "timed_out": a.timed_out}


def write_fixtures(out: Path, rows: list[dict]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.stderr"):
        old.unlink()
    lines = ["config\trc\tinterfaces"]
    for r in rows:
        lines.append(f"{r['config']}\t{r['rc']}\t{','.join(r['interfaces'])}")
        (out / fixture_name(r["config"])).write_bytes(r["stderr"])
    (out / "index.tsv").write_text("\n".join(lines) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-j", type=int, default=2, help="parallel configs (default 2)")
    ap.add_argument("--multicast", choices=("on", "off"), default="on")
    ap.add_argument("--out", type=Path, default=FIXTURES)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--keepalived", default=REFERENCE_KEEPALIVED)
    ap.add_argument("--dry-run", action="store_true", help="print results, write nothing")
    ap.add_argument("filter", nargs="*", help="only configs whose path contains one of these")
    args = ap.parse_args(argv)
    if not lab.require_root():
        print("record_config_test.py must be run as root (network namespaces)", file=sys.stderr)
        return 2
    lab.install_handlers()
    confs = [c for c in config_list(args.shared)
             if not args.filter or any(f in c for f in args.filter)]
    mc = args.multicast == "on"
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        rows = list(pool.map(lambda c: record_one(c, args.keepalived, mc, args.shared), confs))
    counts: dict = {}
    for r in rows:
        counts[r["rc"]] = counts.get(r["rc"], 0) + 1
        notes = []
        if r["skipped"]:
            notes.append(f"skipped invalid names {r['skipped']}")
        if not r["stable"]:
            notes.append("NOT REPRODUCIBLE")
        if r["timed_out"]:
            notes.append("TIMED OUT")
        print(f"{r['rc']}\t{r['config']}\t{','.join(r['interfaces'])}\t{'; '.join(notes)}")
    print("rc counts:", dict(sorted(counts.items(), key=lambda kv: str(kv[0]))))
    if not args.dry_run:
        if args.filter:
            print("filter given: not writing fixtures (would be partial)", file=sys.stderr)
        else:
            write_fixtures(args.out, rows)
            print(f"wrote {len(rows)} configs to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
