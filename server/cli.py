"""`kuaichu-server`: serve, migrate, create-user, seed-demo, verify-audit (and make-cert)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from server.settings import Settings

COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def command(name: str):
    def register(fn: Callable[[argparse.Namespace, Settings], int]):
        COMMANDS[name] = fn
        return fn

    return register


@command("migrate")
def cmd_migrate(_: argparse.Namespace, settings: Settings) -> int:
    from server.adapters.schema import upgrade

    upgrade(settings.resolved_database_url)
    print(f"schema is current: {_safe_url(settings.resolved_database_url)}")
    return 0


@command("serve")
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from server.adapters import log_redaction
    from server.adapters.schema import upgrade
    from server.app import create_app

    log_redaction.install()  # before anything logs: uvicorn's request lines carry party tokens
    upgrade(settings.resolved_database_url)
    if settings.demo:
        _seed(settings)
    tls = {}
    if settings.tls_cert_file and settings.tls_key_file:
        tls = {"ssl_certfile": str(settings.tls_cert_file), "ssl_keyfile": str(settings.tls_key_file)}
    scheme = "https" if tls else "http"
    print(f"Kuaichu server on {scheme}://{settings.host}:{settings.port}  (database: "
          f"{_safe_url(settings.resolved_database_url)})", flush=True)
    from server.api.ws import transport_max_size

    # proxy_headers=False: uvicorn would believe X-Forwarded-For from 127.0.0.1; the app trusts TRUSTED_PROXIES only.
    # ws_per_message_deflate=False: the frames are small JSON (a queue change, a place, a signal), and deflating
    # each one for each of 50 seat sockets was 8 % of the event loop under load (bench/load).
    uvicorn.run(create_app(settings), proxy_headers=False, host=settings.host, port=settings.port,
                ws_per_message_deflate=False,
                log_level=settings.log_level, log_config=log_redaction.uvicorn_log_config(settings.log_level),
                ws_max_size=transport_max_size(settings.ws_max_message_bytes), **tls)
    return 0


@command("create-user")
def cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    from server.adapters.db import make_engine, make_session_factory, unit_of_work
    from server.services.auth import UserExists, create_user

    password = os.environ.get("KUAICHU_NEW_PASSWORD") or getpass.getpass(f"password for {args.username}: ")
    if len(password) < 8:
        print("error: the password must have at least 8 characters", file=sys.stderr)
        return 2
    factory = make_session_factory(make_engine(settings.resolved_database_url))
    try:
        with unit_of_work(factory) as s:
            user = create_user(s, args.username, password, args.role, args.display_name or args.username)
            user.badge_number = args.badge
    except UserExists:
        print(f"error: user '{args.username}' already exists", file=sys.stderr)
        return 1
    print(f"created {args.role} '{args.username}'")
    return 0


@command("seed-demo")
def cmd_seed_demo(_: argparse.Namespace, settings: Settings) -> int:
    from server.adapters.schema import upgrade

    upgrade(settings.resolved_database_url)
    for line in _seed(settings):
        print(line)
    return 0


def _seed(settings: Settings) -> list[str]:
    from server.services.demo_seed import seed_demo

    return seed_demo(settings)


@command("verify-audit")
def cmd_verify_audit(_: argparse.Namespace, settings: Settings) -> int:
    from server.adapters.db import make_engine, make_session_factory
    from server.services.audit import verify_chain

    factory = make_session_factory(make_engine(settings.resolved_database_url))
    with factory() as s:
        report = verify_chain(s)
    if report.ok:
        print(f"audit chain OK: {report.checked} events verified")
        return 0
    print(f"audit chain BROKEN at event {report.first_broken_id}: {report.problem} "
          f"({report.checked} events before it verified)")
    return 1


@command("make-cert")
def cmd_make_cert(args: argparse.Namespace, settings: Settings) -> int:
    from server.adapters.tls_cert import make_self_signed

    directory = settings.data_dir / "tls"
    if (directory / "kuaichu-cert.pem").exists() and not args.force:
        print(f"error: {directory / 'kuaichu-cert.pem'} exists; add --force to replace it", file=sys.stderr)
        return 1
    files = make_self_signed(directory, extra_names=args.name)
    print(f"wrote {files.cert} and {files.key}")
    print(f"valid for: {', '.join(files.names + files.addresses)}")
    print("set these two settings (environment or the TOML file), then run `kuaichu-server serve`:")
    print(f"  KUAICHU_TLS_CERT_FILE={files.cert}")
    print(f"  KUAICHU_TLS_KEY_FILE={files.key}")
    for address in files.addresses:
        print(f"phones on this network open https://{address}:{settings.port}/ (accept the one-time warning: "
              "the certificate is self-signed)")
    return 0


def _badge(value: str) -> str:
    value = value.strip()
    if len(value) > 16 or not all(ch.isalnum() for ch in value):
        raise argparse.ArgumentTypeError("a badge number is up to 16 letters and digits")
    return value


def _safe_url(url: str) -> str:
    """Hides a password in a database URL before printing it."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kuaichu-server", description="Kuaichu 视频快处 server")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP/WebSocket server (migrates first)")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    user = sub.add_parser("create-user", help="add a seat user (password from KUAICHU_NEW_PASSWORD or a prompt)")
    user.add_argument("--username", required=True)
    user.add_argument("--role", required=True, choices=["operator", "officer", "supervisor", "admin"])
    user.add_argument("--display-name", default="")
    user.add_argument("--badge", default="", type=_badge,
                      help="an officer's badge number (警号), printed on the liability documents they issue")
    sub.add_parser("seed-demo", help="add demo users and registry data (never in production)")
    sub.add_parser("verify-audit", help="check the audit hash chain; exit 1 naming the first broken event")
    cert = sub.add_parser("make-cert", help="write a self-signed HTTPS certificate for this machine's LAN addresses")
    cert.add_argument("--name", action="append", default=[], help="an extra DNS name to include (repeatable)")
    cert.add_argument("--force", action="store_true", help="replace an existing certificate")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except Exception as e:  # a bad setting must read as a message, not a traceback
        print(f"error: invalid settings: {e}", file=sys.stderr)
        return 2
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
