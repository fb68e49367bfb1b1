"""What `nvflare provision` does for 1 server + N clients + 1 admin, replayed in Python with the library
NVFlare uses (cryptography, OpenSSL underneath), so that fedforge can be timed side by side with it.
NVFlare itself cannot be installed here (no PyPI).

Replayed, per kit, as NVFlare 2.7's builders do it (file names and sizes from the reference kits):
- WorkspaceBuilder: the kit folder with startup/, local/ and transfer/;
- StaticFileBuilder: fed_*.json, start.sh, sub_start.sh, stop_fl.sh, readme.txt, the local/ defaults;
- CertBuilder: an RSA-2048 key and a certificate signed by the root key, rootCA.pem;
- HEBuilder: the context file is written (client 164 KB, server 668 KB) but not computed;
- SignatureBuilder: every file of startup/ and local/ read back, signed with RSA-PSS (SHA-256, maximum
  salt) by the root key, and signature.json written.
Left out, so the real `nvflare provision` is slower than this: making the TenSEAL context, reading and
checking project.yml, rendering templates, and importing nvflare.

Usage: python3 bench/nvflare-like.py N [DIR]  -> prints one JSON line; the whole process is what to time.
"""
import base64
import datetime
import json
import os
import shutil
import sys
import tempfile
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

# (file, size in bytes, executable) as in the reference kits; the certificate, key and root are real.
SERVER_STARTUP = [("fed_server.json", 433, False), ("start.sh", 556, True), ("sub_start.sh", 4883, True),
                  ("stop_fl.sh", 1192, True), ("server_context.tenseal", 667768, False)]
CLIENT_STARTUP = [("fed_client.json", 404, False), ("start.sh", 574, True), ("sub_start.sh", 4893, True),
                  ("stop_fl.sh", 1192, True), ("client_context.tenseal", 164052, False)]
ADMIN_STARTUP = [("fed_admin.json", 470, False), ("fl_admin.sh", 192, True), ("readme.txt", 866, False),
                 ("system_info.ipynb", 3332, False)]
SITE_LOCAL = [("authorization.json.default", 718), ("log_config.json.default", 2585),
              ("privacy.json.sample", 1151), ("resources.json.default", 7037)]
ADMIN_LOCAL = [("resources.json.default", 179)]
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH)


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


def write(path, data, executable=False):
    with open(path, "wb") as f:
        f.write(data)
    if executable:
        os.chmod(path, 0o755)


def sign_folder(folder, root_key):
    signatures = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            signatures[name] = base64.b64encode(root_key.sign(f.read(), PSS, hashes.SHA256())).decode()
    write(os.path.join(folder, "signature.json"), json.dumps(signatures).encode())


def kit(prod, name, kind, root_key, root_pem, now):
    startup, local = os.path.join(prod, name, "startup"), os.path.join(prod, name, "local")
    for d in (startup, local, os.path.join(prod, name, "transfer")):
        os.makedirs(d)
    files, local_files = {"server": (SERVER_STARTUP, SITE_LOCAL), "client": (CLIENT_STARTUP, SITE_LOCAL),
                          "admin": (ADMIN_STARTUP, ADMIN_LOCAL)}[kind]
    for file, size, executable in files:
        write(os.path.join(startup, file), os.urandom(size) if file.endswith(".tenseal") else b"x" * size,
              executable)
    for file, size in local_files:
        write(os.path.join(local, file), b"x" * size)
    write(os.path.join(prod, name, "readme.txt"), b"x" * 700)
    key = rsa.generate_private_key(65537, 2048)
    prefix = "server" if kind == "server" else "client"
    write(os.path.join(startup, prefix + ".crt"),
          cert(name, "project", key.public_key(), root_key, now).public_bytes(serialization.Encoding.PEM))
    write(os.path.join(startup, prefix + ".key"),
          key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()))
    write(os.path.join(startup, "rootCA.pem"), root_pem)
    sign_folder(startup, root_key)
    sign_folder(local, root_key)


def main(n, base):
    start = time.perf_counter()
    prod = os.path.join(base, "project", "prod_00")
    now = datetime.datetime.now(datetime.timezone.utc)
    root_key = rsa.generate_private_key(65537, 2048)
    root_pem = cert("project", "project", root_key.public_key(), root_key, now).public_bytes(
        serialization.Encoding.PEM)
    kits = [("server", "server")] + [(f"site-{i}", "client") for i in range(1, n + 1)]
    for name, kind in kits + [("admin@example.com", "admin")]:
        kit(prod, name, kind, root_key, root_pem, now)
    print(json.dumps({"clients": n, "wall": time.perf_counter() - start}))


if __name__ == "__main__":
    target = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="nvflare-like-")
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, target)
    finally:
        if len(sys.argv) <= 2:
            shutil.rmtree(target, ignore_errors=True)
