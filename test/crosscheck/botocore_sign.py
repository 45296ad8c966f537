"""Reference signer for the cross-check: Debian python3-botocore's CloudFrontSigner (spec section 14).

Reads {"cases": [...]} as JSON on stdin, writes {"results": [...]} as JSON on stdout, one result per
case, in order. Keys are read from the PEM paths given in each case; key material is never written.
Run with /usr/bin/python3 (Debian's python, where apt installed python3-botocore and python3-cryptography).
"""
import base64
import datetime
import json
import sys

import botocore
from botocore.signers import CloudFrontSigner
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

HASHES = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256}
_keys = {}


def load_private(path):
    if path not in _keys:
        with open(path, "rb") as f:
            _keys[path] = serialization.load_pem_private_key(f.read(), password=None)
    return _keys[path]


def load_public(path):
    with open(path, "rb") as f:
        return serialization.load_pem_public_key(f.read())


def make_signer(key, hash_name):
    h = HASHES[hash_name]()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return lambda message: key.sign(message, ec.ECDSA(h))  # DER, as CloudFront wants
    return lambda message: key.sign(message, padding.PKCS1v15(), h)


def when(epoch):
    # naive UTC datetime; botocore's datetime2timestamp treats naive datetimes as UTC and truncates
    return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=epoch)


def cf_b64decode(text):
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def run(case):
    op = case["op"]
    if op == "version":
        return {"botocore": botocore.__version__}
    if op == "verify":
        key = load_public(case["publicKey"])
        sig = cf_b64decode(case["signature"])
        data = case["policy"].encode("utf8")
        h = HASHES[case["hash"]]()
        try:
            if isinstance(key, ec.EllipticCurvePublicKey):
                key.verify(sig, data, ec.ECDSA(h))
            else:
                key.verify(sig, data, padding.PKCS1v15(), h)
            return {"ok": True}
        except InvalidSignature:
            return {"ok": False}
    hash_name = case.get("hash", "SHA1")
    signer = CloudFrontSigner(case["keyPairId"], make_signer(load_private(case["key"]), hash_name))
    marker = "&Hash-Algorithm=SHA256" if hash_name == "SHA256" else ""  # this botocore has no option for it
    if op == "canned":
        url = signer.generate_presigned_url(case["url"], date_less_than=when(case["expires"]))
        return {"url": url + marker}
    if op == "custom":
        start = case.get("start")
        policy = signer.build_policy(
            case["resource"],
            when(case["expires"]),
            date_greater_than=when(start) if start is not None else None,
            ip_address=case.get("ip"),
        )
        url = signer.generate_presigned_url(case["url"], policy=policy)
        return {"policy": policy, "url": url + marker}
    raise ValueError("unknown op %r" % op)


def main():
    cases = json.load(sys.stdin)["cases"]
    results = []
    for case in cases:
        try:
            results.append(run(case))
        except Exception as exc:  # reported per case; never includes key material
            results.append({"error": "%s: %s" % (type(exc).__name__, exc)})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
