import base64
import json

import pytest

from criteo_catalog_sdk.simulator.operation_token import MalformedToken, OperationClaims, decode, encode

# The tokens of seed 001's examples.
DOCUMENTED_202 = (
    "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEyMywib3BlcmF0aW9uSWQiOiIxNzE2YzExNC1mZThjLTRiZmYtOGFiNC0zYzM5YTQwY2M1ZGMi"
    "LCJleHAiOjE2MTYxNDIwMDJ9."
)
DOCUMENTED_404 = (
    "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEyLCJvcGVyYXRpb25JZCI6ImM2NjliZmM1LTYzMWEtNDE3Mi05ODhiLTM0OTdlZDg3OThmZiIs"
    "ImV4cCI6MTYxNjE0NTEzNX0."
)


UUID = "c669bfc5-631a-4172-988b-3497ed8798ff"


def b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_documented_tokens_decode() -> None:
    assert decode(DOCUMENTED_202) == OperationClaims(123, "1716c114-fe8c-4bff-8ab4-3c39a40cc5dc", 1616142002)
    assert decode(DOCUMENTED_404).operation_id == "c669bfc5-631a-4172-988b-3497ed8798ff"


def test_round_trip_and_shape() -> None:
    claims = OperationClaims(42, "4295231f-efa3-4433-9608-b4d7de2c98b7", 1616145135)
    token = encode(claims)
    assert token.startswith("eyJhbGciOiJub25lIn0.") and token.endswith(".")
    assert token.count(".") == 2
    assert decode(token) == claims


@pytest.mark.parametrize(
    "token",
    [
        "invalidToken",
        "",
        "a.b.c",
        "a.b",
        ".b.",
        "eyJhbGciOiJub25lIn0.!!!.",
        f"{b64({'alg': 'none'})}.{b64([1, 2])}.",
        f"{b64({'alg': 'none'})}.{b64({'partnerId': 1, 'exp': 1})}.",
        f"{b64({'alg': 'none'})}.{b64({'partnerId': 1, 'operationId': 'not-a-uuid', 'exp': 1})}.",
        f"{b64({'alg': 'none'})}.{b64({'partnerId': '1', 'operationId': str(UUID), 'exp': 1})}.",
        f"{b64({'alg': 'none'})}.{base64.urlsafe_b64encode(b'not json').decode()}.",
    ],
)
def test_malformed(token: str) -> None:
    with pytest.raises(MalformedToken):
        decode(token)
