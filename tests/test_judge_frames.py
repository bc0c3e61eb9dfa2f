"""The judge's line: signed compact frames (autograder/judge/frames.py)."""

import numpy as np
import pytest

from autograder.judge import frames
from autograder.judge.wire import WireError

KEY = b"connection-key"


def test_a_message_and_its_buffers_come_back_as_sent():
    data = np.arange(6.0)
    number, content, buffers = frames.unpack(KEY, frames.pack(KEY, 7, {"op": "call", "x": [1, "a"]}, [data.data]))
    assert number == 7 and content == {"op": "call", "x": [1, "a"]}
    assert np.array_equal(np.frombuffer(buffers[0], dtype=np.float64), data)


@pytest.mark.parametrize("tamper", ["body", "signature", "key"])
def test_a_changed_or_forged_message_is_refused(tamper):
    sig, body = frames.pack(KEY, 1, {"status": "ok"})
    if tamper == "body":
        body = body.replace(b"ok", b"no")
    elif tamper == "signature":
        sig = sig[:-1] + (b"0" if sig[-1:] != b"0" else b"1")
    key = b"another key" if tamper == "key" else KEY
    with pytest.raises(WireError, match="signature"):
        frames.unpack(key, [sig, body])


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"n": "1", "c": {}}', b'{"n": 1, "c": []}', b'{"c": {}}'])
def test_a_signed_body_that_is_not_in_the_format_is_refused(body):
    import hashlib
    import hmac

    sig = hmac.new(KEY, body, hashlib.sha256).hexdigest().encode()
    with pytest.raises(WireError):
        frames.unpack(KEY, [sig, body])


def test_too_few_frames_are_refused():
    with pytest.raises(WireError, match="too few"):
        frames.unpack(KEY, [b"only one"])


def test_values_json_cannot_carry_are_not_sent():
    with pytest.raises(ValueError):
        frames.pack(KEY, 1, {"x": float("nan")})
