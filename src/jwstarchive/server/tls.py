"""A self-signed TLS certificate for 127.0.0.1 and localhost, made once per archive.

The ESA TAP+ clients log in over HTTPS only, so ``jwstarchive serve --tls-port N`` needs a
certificate. The first start writes ``ARCHIVE/tls/cert.pem`` and ``ARCHIVE/tls/key.pem``
(key readable by the owner only); later starts reuse them. Clients trust the local server by
pointing ``SSL_CERT_FILE`` (or their own verify option) at ``cert.pem``.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import ssl
from pathlib import Path

from jwstarchive.errors import ConfigError

__all__ = ["CERT_FILE", "KEY_FILE", "TLS_DIR", "ensure_certificate", "server_context"]

log = logging.getLogger(__name__)

TLS_DIR = "tls"
CERT_FILE = "cert.pem"
KEY_FILE = "key.pem"
VALID_DAYS = 3650


def _write_certificate(cert_path: Path, key_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jwstarchive local server")])
    now = datetime.datetime.now(datetime.UTC)
    san = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp_key = key_path.with_name(key_path.name + ".part")
    fd = os.open(tmp_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key_bytes)
    tmp_cert = cert_path.with_name(cert_path.name + ".part")
    tmp_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp_key, key_path)
    os.replace(tmp_cert, cert_path)


def ensure_certificate(archive: Path) -> tuple[Path, Path]:
    """The (certificate, key) paths of ``archive``, generated on first use.

    Raises
    ------
    ConfigError
        When the ``tls`` directory cannot be written.
    """
    directory = Path(archive) / TLS_DIR
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    if cert_path.is_file() and key_path.is_file():
        return cert_path, key_path
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write_certificate(cert_path, key_path)
    except OSError as exc:
        raise ConfigError(f"cannot write the TLS certificate into {directory}: {exc.strerror or exc}") from exc
    log.info("wrote a self-signed certificate for 127.0.0.1/localhost to %s", cert_path)
    return cert_path, key_path


def server_context(cert_path: Path, key_path: Path) -> ssl.SSLContext:
    """A server-side TLS context for the certificate and key.

    Raises
    ------
    ConfigError
        When they cannot be loaded.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(str(cert_path), str(key_path))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the TLS certificate {cert_path}: {exc}") from exc
    return context
