"""The dominant work of `nvflare provision` for 1 server + N clients + 1 admin, in Python with the same
library NVFlare uses (cryptography, OpenSSL underneath): an RSA-2048 key and a certificate signed by the
root per participant, and an RSA-PSS signature by the root key over every file of each kit's startup/ and
local/ (17 files on average). NVFlare itself cannot be installed here (no PyPI), so this stands in for it,
side by side on the same machine; it leaves out NVFlare's HE context (TenSEAL), its templates and its
Python start-up, so the real `nvflare provision` is slower than this.

Usage: python3 bench/nvflare-like.py N   -> prints seconds as one JSON line.
"""
import datetime
import json
import os
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


def cert(subject, issuer, pub, key, now):
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(pub)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=360))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
        .sign(key, hashes.SHA256())
    )


def main(n):
    start = time.perf_counter()
    now = datetime.datetime.now(datetime.timezone.utc)
    root_key = rsa.generate_private_key(65537, 2048)
    cert("project", "project", root_key.public_key(), root_key, now)
    names = ["server"] + [f"site-{i}" for i in range(1, n + 1)] + ["admin@example.com"]
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH)
    files = [os.urandom(2000) for _ in range(17)]
    for name in names:
        key = rsa.generate_private_key(65537, 2048)
        c = cert(name, "project", key.public_key(), root_key, now)
        c.public_bytes(serialization.Encoding.PEM)
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
        for data in files:
            root_key.sign(data, pss, hashes.SHA256())
    print(json.dumps({"clients": n, "wall": time.perf_counter() - start}))


main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
