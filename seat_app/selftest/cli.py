"""``kuaichu-seat --self-test [--json] [--server URL] [--user NAME] [--only a,b] [--output FILE]``.

Runs headless (QT_QPA_PLATFORM=offscreen is enough, no display), from source and from the bundle. One
line per check; the exit status is 1 when any check fails, else 0 (warnings do not fail). The password for
the role check comes from $KUAICHU_SEAT_PASSWORD, never from the command line. The settings are the
seat's own: the IT-wide seat.json, then the user's (seat_app/settings.py).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys

EXIT_FAILED = 1


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("kuaichu")
    except PackageNotFoundError:
        return "unknown"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kuaichu-seat --self-test", description="快处坐席自检 / seat self-test")
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--server", help="check this server (else the configured one, if any)")
    parser.add_argument("--user", help="log in as this user to check the role ($KUAICHU_SEAT_PASSWORD)")
    parser.add_argument("--only", help="comma-separated check names: settings,ocr,devices,loopback,recording,"
                                       "server,ice,role")
    parser.add_argument("--output", help="also write the report to this file (a Windows seat has no console)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_API", "pyside6")
    logging.basicConfig(level=os.environ.get("KUAICHU_SEAT_LOG", "ERROR"), format="%(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    from seat_app import paths
    from seat_app import settings as settings_store
    from seat_app.selftest import checks

    settings, problems = settings_store.load_checked()
    files = [str(p) for p in (paths.it_defaults_file(), paths.user_settings_file()) if p.is_file()]
    config = checks.config_from_settings(settings, server_url=args.server, username=args.user,
                                         problems=problems, files=files)
    only = [name.strip() for name in (args.only or "").split(",") if name.strip()]
    chosen, left_out = checks.plan(config, checks.all_checks(), only)
    results = []
    progress = not args.json and sys.stderr is not None and sys.stderr.isatty()
    for check in chosen:
        if progress:
            print(f"...   {check.name:<9} {check.title}", end="\r", file=sys.stderr, flush=True)
        results.append(checks.run_check(check, config))
        if progress:
            print(" " * 60, end="\r", file=sys.stderr, flush=True)
    if args.json:
        text = json.dumps(checks.report_json(results, left_out, version()), ensure_ascii=False, indent=2)
    else:
        text = checks.report_text(results, left_out, version())
    _print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    return EXIT_FAILED if checks.summary(results)[2] else 0


def _print(text: str) -> None:
    if sys.stdout is None:  # a windowed Windows build started without redirection: --output has it
        return
    try:
        print(text, flush=True)
    except UnicodeEncodeError:  # a legacy console code page
        sys.stdout.buffer.write((text + "\n").encode("utf-8"))
        sys.stdout.flush()
