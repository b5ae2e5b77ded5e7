"""After init and unseal over HTTP, no root token or unseal key, in any
encoding, appears in any byte of any file of the LMDB data directory."""
import base64
import binascii
import os

from conftest import client_for


def test_no_token_or_key_share_in_the_data_dir(server):
    client = client_for(server)
    init = client.sys.initialize(secret_shares=5, secret_threshold=3)
    client.sys.submit_unseal_keys(init["keys"][:3])
    server.stop()

    needles = [init["root_token"].encode(), init["root_token"][4:].encode()]
    for hex_key, b64_key in zip(init["keys"], init["keys_base64"]):
        needles += [hex_key.encode(), b64_key.encode(), binascii.unhexlify(hex_key),
                    base64.b64decode(b64_key)[:32]]
    files = 0
    for root, _, names in os.walk(server.data_dir):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            files += 1
            for needle in needles:
                assert needle not in data, f"secret material found in {name}"
    assert files > 0
