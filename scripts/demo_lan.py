"""Demo helper: a real phone on the same network joins over HTTPS.

Phones give a web page the camera only over HTTPS, so the demo puts a TLS front on
the local server: this forwards ``https://<LAN address>:HTTPS_PORT`` byte for byte
(WebSockets included) to the plain ``http://127.0.0.1:PORT`` that the seat and the
simulated phone use, with the self-signed certificate from ``kuaichu-server make-cert``.

    .venv/bin/python scripts/demo_lan.py address                       # the LAN address, or nothing
    .venv/bin/python scripts/demo_lan.py qr https://192.168.1.20:8443/  # a QR code in the terminal
    .venv/bin/python scripts/demo_lan.py proxy --listen 8443 --to 8000 --cert C --key K
"""
from __future__ import annotations

import argparse
import asyncio
import ssl
import sys

from server.adapters.tls_cert import lan_addresses


def print_qr(url: str) -> None:
    import qrcode

    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(url)
    code.make(fit=True)
    code.print_ascii(tty=False, invert=True)  # dark modules as spaces: right for the usual light-on-dark terminal


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def proxy(listen: int, to_port: int, cert: str, key: str) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", to_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))

    server = await asyncio.start_server(handle, "0.0.0.0", listen, ssl=context)
    print(f"HTTPS on 0.0.0.0:{listen} -> http://127.0.0.1:{to_port}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("address", help="print this machine's first LAN IPv4 address (nothing when offline)")
    qr = sub.add_parser("qr", help="print URL as a QR code in the terminal")
    qr.add_argument("url")
    front = sub.add_parser("proxy", help="serve HTTPS in front of the local server")
    front.add_argument("--listen", type=int, required=True)
    front.add_argument("--to", type=int, required=True)
    front.add_argument("--cert", required=True)
    front.add_argument("--key", required=True)
    args = parser.parse_args()
    if args.command == "address":
        found = lan_addresses()
        if found:
            print(found[0])
        return 0
    if args.command == "qr":
        print_qr(args.url)
        return 0
    try:
        asyncio.run(proxy(args.listen, args.to, args.cert, args.key))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
