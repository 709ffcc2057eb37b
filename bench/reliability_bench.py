"""Regenerates docs/reliability.md: the load bench, the upload and TURN benches where present, and every fault test.

    .venv/bin/python bench/reliability_bench.py                  # writes docs/reliability.md (≈ 10 min)
    .venv/bin/python bench/reliability_bench.py --quick          # 50 phones, 5 seats: a check, not the figures
    .venv/bin/python bench/reliability_bench.py --out /tmp/r.md --skip-faults
    .venv/bin/python bench/reliability_bench.py --before-ref 4b95721   # and the load on an older server
    .venv/bin/python bench/reliability_bench.py --faults-only    # only the fault tests, in the file's own section

Each bench runs as a subprocess that prints its own markdown section (``--markdown``):
bench/load/run.py (one process on SQLite and on PostgreSQL, two behind nginx), then
bench/upload_bench.py and bench/turn_bench.py if those files exist. The fault tests are the ones
marked ``fault`` (pyproject.toml); pytest runs them with a JUnit XML report, and each appears with
its outcome and the first line of its docstring.
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BENCH_TIMEOUT_S = 1800
FAULT_TIMEOUT_S = 1800


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.1f} GB memory"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores, {model}{mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def run_bench(args: list[str], title: str) -> str:
    """A bench's own markdown section, or a plain note that it failed (with the tail of its error)."""
    try:
        done = subprocess.run([PY, *args, "--markdown"], cwd=ROOT, capture_output=True, text=True,
                              timeout=BENCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return f"### {title}\n\nDid not finish within {BENCH_TIMEOUT_S} s.\n"
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        return f"### {title}\n\nFailed (exit {done.returncode}):\n\n```\n{tail}\n```\n"
    return done.stdout.strip() + "\n"


def docstring_line(file: Path, name: str) -> str:
    """The first docstring line of test ``name`` (its class-less function) in ``file``."""
    base = name.split("[", 1)[0]
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == base:
            doc = ast.get_docstring(node) or ""
            return doc.strip().splitlines()[0] if doc.strip() else ""
    return ""


def module_line(file: Path) -> str:
    try:
        doc = ast.get_docstring(ast.parse(file.read_text(encoding="utf-8"))) or ""
    except (OSError, SyntaxError):
        return ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def fault_outcomes() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "faults.xml"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
        try:
            done = subprocess.run([PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "fault",
                                   f"--junitxml={xml}", "tests"], cwd=ROOT, capture_output=True, text=True,
                                  timeout=FAULT_TIMEOUT_S, env=env)
        except subprocess.TimeoutExpired:
            return f"The fault tests did not finish within {FAULT_TIMEOUT_S} s.\n"
        if not xml.exists():
            return f"pytest wrote no report (exit {done.returncode}):\n\n```\n{done.stdout[-2000:]}\n```\n"
        return fault_table(ET.parse(xml).getroot())


def fault_table(root: ET.Element) -> str:
    rows = ["| test | outcome | time | what it shows |", "|---|---|---|---|"]
    counts: dict[str, int] = {}
    last_module = None
    for case in root.iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "**failed**" if child.tag == "failure" else "**error**"
            elif child.tag == "skipped":
                outcome = f"skipped ({(child.get('message') or '')[:80]})"
        counts[outcome.split(" ")[0].strip("*")] = counts.get(outcome.split(" ")[0].strip("*"), 0) + 1
        module = case.get("classname", "")
        file = ROOT / (module.replace(".", "/") + ".py")
        name = case.get("name", "")
        if module != last_module:
            rows.append(f"| **{module.rsplit('.', 1)[-1]}** | | | {module_line(file)} |")
            last_module = module
        # a test without a docstring is described by its name, which in this project is a sentence
        what = (docstring_line(file, name) or name.split("[", 1)[0].removeprefix("test_").replace("_", " "))
        what = what.replace("|", "\\|")
        rows.append(f"| `{name}` | {outcome} | {float(case.get('time', 0)):.1f} s | {what} |")
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return f"{summary}.\n\n" + "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    parser.add_argument("--quick", action="store_true", help="a small load (50 phones, 5 seats)")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--before-ref", metavar="COMMIT",
                        help="also run the load bench (one process, SQLite) on this commit's server")
    parser.add_argument("--faults-only", action="store_true",
                        help="run only the fault tests and replace their section of --out, keeping its bench figures")
    args = parser.parse_args()
    if args.faults_only:
        return replace_faults(args.out)
    load = ["bench/load/run.py"] + (["--phones", "50", "--seats", "5"] if args.quick else [])
    sections = []
    if args.before_ref:  # the same load on an older commit's server, for comparison
        sections.append(run_bench(load + ["--config", "sqlite", "--code-ref", args.before_ref],
                                  f"Load at {args.before_ref}"))
    sections.append(run_bench(load, "Load"))
    for script, title in (("bench/upload_bench.py", "Evidence uploads under load"), ("bench/turn_bench.py", "TURN")):
        if (ROOT / script).exists():
            sections.append(run_bench([script], title))
    faults = "Not run (--skip-faults).\n" if args.skip_faults else fault_outcomes()
    stamp, commit = now_and_commit()
    text = "\n".join([
        "# Reliability: load, uploads and faults, measured",
        "",
        "<!-- Generated by bench/reliability_bench.py; do not edit by hand. -->",
        f"Generated by `.venv/bin/python bench/reliability_bench.py` on {stamp} (commit {commit}"
        f"{', quick run' if args.quick else ''}). Run it again to regenerate this file.",
        "",
        f"Machine: {machine()}. Everything on loopback: clients, servers, PostgreSQL, Redis and nginx share it.",
        "",
        "## Benches", "", *sections, "",
        FAULTS_HEADING, "",
        "The tests marked `fault` (`pytest -m fault`), each bounded in time, with their outcome on this run.", "",
        faults,
    ])
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


FAULTS_HEADING = "## Faults"


def replace_faults(out: Path) -> int:
    """The fault tests take minutes and the benches most of an hour: after a new fault test, rerun only them."""
    head, found, _ = out.read_text(encoding="utf-8").partition(f"\n{FAULTS_HEADING}\n")
    if not found:
        print(f"{out} has no '{FAULTS_HEADING}' section to replace: run without --faults-only", file=sys.stderr)
        return 2
    faults = fault_outcomes()
    stamp, commit = now_and_commit()
    out.write_text("\n".join([
        head, FAULTS_HEADING, "",
        f"The tests marked `fault` (`pytest -m fault`), each bounded in time, with their outcome on a run of "
        f"{stamp} (commit {commit}, `--faults-only`: the benches above are from the run the header names).", "",
        faults,
    ]), encoding="utf-8")
    print(f"replaced the fault section of {out}")
    return 0


def now_and_commit() -> tuple[str, str]:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return stamp, commit


if __name__ == "__main__":
    sys.exit(main())
