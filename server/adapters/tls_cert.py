"""A self-signed TLS certificate for a local network, so a real phone can join a demo.

Phones only allow the camera on HTTPS (or localhost), so a demo on a laptop needs
a certificate that names the laptop's LAN addresses. The phone still warns once
(the certificate is self-signed); after the driver accepts, the page is a secure
context. Production uses a certificate from the city's CA instead.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: Apple refuses TLS server certificates valid for longer than 825 days.
VALID_DAYS = 825


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path
    names: list[str]
    addresses: list[str]


def lan_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (best effort, no packet is sent)."""
    found: set[str] = set()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # picks the outbound interface; UDP connect sends nothing
            found.add(s.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback)


def make_self_signed(directory: Path, extra_names: list[str] | None = None,
                     addresses: list[str] | None = None) -> CertFiles:
    names = _unique(["localhost", socket.gethostname(), *(extra_names or [])])
    ips = _unique(["127.0.0.1", *(lan_addresses() if addresses is None else addresses)])
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kuaichu local demo"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kuaichu")])
    san = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "kuaichu-cert.pem", directory / "kuaichu-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the key is never world-readable
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return CertFiles(cert_path.resolve(), key_path.resolve(), names, ips)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
