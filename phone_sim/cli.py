"""``kuaichu-phone-sim``: a phone in a terminal, for demos, tests and load tests.

    kuaichu-phone-sim --invite https://host/p/<token>            # the SMS link a party got
    kuaichu-phone-sim --report --server https://host --phone 13800000000 [--code 123456]

It joins the case's queue, takes the call when a seat answers, streams the
simulated accident (or ``--video FILE``) and obeys the seat's commands.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from websockets.exceptions import WebSocketException

from kuaichu_protocol.messages import SAFETY_TICKS

from .demo_data import load_scenario, scenario_names
from .transport import HttpPhotoUploader, parse_invite, report_accident, request_code, websocket_connector

log = logging.getLogger("kuaichu.phone_sim")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kuaichu-phone-sim", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--invite", metavar="URL", help="party link, e.g. https://host/p/<token>")
    mode.add_argument("--report", action="store_true", help="file a public video report (needs --server, --phone)")
    parser.add_argument("--server", metavar="URL", help="server base URL for --report")
    parser.add_argument("--phone", help="mobile number for --report")
    parser.add_argument("--code", help="SMS code for --report (asked for on the terminal if missing)")
    parser.add_argument("--scenario", default="standard", help=f"demo registry scenario: {', '.join(scenario_names())}")
    parser.add_argument("--video", metavar="FILE", help="stream this file (looped) as the back camera")
    parser.add_argument("--once", action="store_true", help="exit when the call ends")
    parser.add_argument("--reconnect-after", type=float, metavar="SECONDS",
                        help="drop the connection this long after connecting, then rejoin the same case")
    parser.add_argument("--size", default="1280x720", help="back camera frame size, WxH")
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--insecure", action="store_true", help="accept a self-signed server certificate")
    parser.add_argument("--location", default="30.6574,104.0658,15", metavar="LAT,LON[,ACCURACY_M]",
                        help="GPS fix to report (default: 天府广场, Chengdu); 'none' to deny location")
    parser.add_argument("--no-safety", action="store_true", help="do not tick the safety steps while waiting")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def parse_location(text: str) -> tuple[float, float, float] | None:
    if text.strip().lower() == "none":
        return None
    values = [float(v) for v in text.split(",")]
    if len(values) not in (2, 3) or not (-90 <= values[0] <= 90 and -180 <= values[1] <= 180):
        raise ValueError(f"--location: expected LAT,LON[,ACCURACY_M], got {text!r}")
    return values[0], values[1], values[2] if len(values) == 3 else 20.0


def resolve_party(args: argparse.Namespace) -> tuple[str, str]:
    """(server base URL, party token) from --invite, or by filing a public report."""
    if args.invite:
        return parse_invite(args.invite)
    if not args.server or not args.phone:
        raise SystemExit("--report needs --server and --phone")
    verify = not args.insecure
    code = args.code
    if not code:
        request_code(args.server, args.phone, verify)
        code = input("SMS code: ").strip()
    return args.server, report_accident(args.server, args.phone, code, verify)


def make_phone(args: argparse.Namespace, server: str, token: str):
    from . import scene
    from .client import PhoneSim

    parties = load_scenario(args.scenario)
    return PhoneSim(
        websocket_connector(server, token, verify_tls=not args.insecure),
        parties=parties,
        back=scene.back_camera(parties, frame_size=parse_size(args.size)),
        video_file=args.video,
        photo_uploader=HttpPhotoUploader(server, token, verify_tls=not args.insecure),
        fps=args.fps,
        once=args.once,
        reconnect_after=args.reconnect_after,
        location=parse_location(args.location),
        safety=None if args.no_safety else {tick: True for tick in SAFETY_TICKS},
    )


async def run(args: argparse.Namespace) -> int:
    server, token = await asyncio.to_thread(resolve_party, args)
    phone = make_phone(args, server, token)
    try:
        outcome = await phone.run()
    finally:
        await phone.close()
    log.info("finished: %s after %d connection(s), %d photo(s)", outcome, phone.calls, len(phone.photos))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("aioice").setLevel(logging.WARNING)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 130
    except (OSError, ValueError, KeyError, WebSocketException) as exc:
        print(f"kuaichu-phone-sim: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
