"""``kuaichu-seat`` / ``python -m seat_app``: the operator's desktop client.

Options: ``--server URL`` (overrides the saved server for this run), ``--user NAME`` (pre-filled at login),
``--lang zh_CN|en``. ``--self-test [--json] [--server URL]`` checks the seat instead (seat_app/selftest/cli.py).
"""
from __future__ import annotations

import sys


def main() -> int:
    if "--self-test" in sys.argv[1:]:
        from seat_app.selftest.cli import main as self_test

        return self_test(sys.argv[1:])
    from seat_app.app import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
