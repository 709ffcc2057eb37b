"""``kuaichu-seat`` / ``python -m seat_app``: the operator's desktop client.

Options: ``--server URL`` (overrides the saved server for this run), ``--user NAME`` (pre-filled at login),
``--lang zh_CN|en``.
"""
from __future__ import annotations

import sys


def main() -> int:
    from seat_app.app import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
