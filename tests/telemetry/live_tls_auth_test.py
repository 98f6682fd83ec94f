#!/usr/bin/python3
"""TLS and authentication: `linetwin live` connects to a broker that requires TLS with client
certificates and a user name and password (from --password-file), and receives what mosquitto_pub
publishes there; a broker certificate from another CA, and a wrong password, are clear errors
with exit status 2.

The certificates are made here with openssl: a CA, a server certificate for 127.0.0.1, a client
certificate, and a second CA that signed none of them.

Usage: live_tls_auth_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import subprocess
import sys

from live_support import SCENE, Broker, Output, fail, require_programs, start, workdir

linetwin = sys.argv[1]
tools = require_programs("openssl", "mosquitto_pub", "mosquitto_passwd")


def openssl(*args, cwd):
    subprocess.run([tools["openssl"], *args], cwd=cwd, check=True, capture_output=True)


def make_ca(name, cwd):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=cwd)


def make_cert(name, ca, cwd, server=False):
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout",
            f"{name}.key", "-out", f"{name}.csr", cwd=cwd)
    with open(f"{cwd}/{name}.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n" if server else "extendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem",
            cwd=cwd)


with workdir() as tmp:
    make_ca("plant-ca", tmp)
    make_ca("other-ca", tmp)
    make_cert("broker", "plant-ca", tmp, server=True)
    make_cert("twin", "plant-ca", tmp)
    subprocess.run([tools["mosquitto_passwd"], "-c", "-b", f"{tmp}/passwords", "twin", "s3cret"],
                   check=True, capture_output=True)
    with open(f"{tmp}/password", "w") as f:
        f.write("s3cret\n")
    with open(f"{tmp}/wrong-password", "w") as f:
        f.write("guess\n")

    broker = Broker(tmp)
    broker.config.write_text(broker.config.read_text().replace("allow_anonymous true", f"""\
allow_anonymous false
password_file {tmp}/passwords
cafile {tmp}/plant-ca.pem
certfile {tmp}/broker.pem
keyfile {tmp}/broker.key
require_certificate true"""))
    with broker:
        tls = ["--tls-ca", f"{tmp}/plant-ca.pem", "--tls-cert", f"{tmp}/twin.pem", "--tls-key",
               f"{tmp}/twin.key", "--username", "twin"]
        report_path = f"{tmp}/live.json"
        live = start([linetwin, "live", str(SCENE), "--broker", broker.address, *tls,
                      "--password-file", f"{tmp}/password", "--until-idle", "1s", "--json",
                      report_path, "-q"], stderr=subprocess.PIPE, text=True)
        err = Output(live.stderr)
        broker.wait_for_subscription("linetwin/#")
        for seq, state in enumerate(["producing", "idle", "down"], start=1):
            subprocess.run([tools["mosquitto_pub"], "-h", "127.0.0.1", "-p", str(broker.port),
                            "--cafile", f"{tmp}/plant-ca.pem", "--cert", f"{tmp}/twin.pem",
                            "--key", f"{tmp}/twin.key", "-u", "twin", "-P", "s3cret", "-t",
                            "linetwin/OP30", "-m",
                            f'{{"ts":{1709532000000 + seq * 1000},"seq":{seq},"state":"{state}"}}'],
                           check=True, timeout=10, capture_output=True)
        if live.wait(timeout=30) != 0:
            fail(f"linetwin live over TLS exited with {live.returncode}:\n{err.text()}")
        with open(report_path) as f:
            report = json.load(f)
        op30 = next(s for s in report["stations"] if s["id"] == "OP30")
        if report["ingestion"]["applied"] != 3 or op30["state"] != "down":
            fail(f"expected OP30's three states over TLS, found {report['ingestion']}, {op30}")

        def expect_error(args, *needles):
            done = subprocess.run(args, capture_output=True, text=True, timeout=30)
            if done.returncode != 2 or not all(n in done.stderr for n in needles):
                fail(f"expected exit 2 naming {needles}, found {done.returncode}:\n{done.stderr}")

        expect_error([linetwin, "live", str(SCENE), "--broker", broker.address, *tls,
                      "--password-file", f"{tmp}/wrong-password"],
                     "refused the connection", "not authori")
        other = ["--tls-ca", f"{tmp}/other-ca.pem"] + tls[2:]
        expect_error([linetwin, "live", str(SCENE), "--broker", broker.address, *other,
                      "--password-file", f"{tmp}/password", "--connect-timeout", "1s"],
                     f"cannot connect to {broker.address}", "TLS")
print("TLS with client certificates and a password file: connected and fed the twins; a wrong "
      "password and an untrusted broker certificate exit 2")
