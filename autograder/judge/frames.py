"""Signed frames on the judge's own line to the kernel: the cheapest framing that still authenticates.

The judge's requests during a test cell go on a socket of their own (see `link.KernelLink` and
`server.JudgeServer.serve`). Jupyter's message format (header, parent header, dates parsed on
arrival, adapters) costs about 0.3 ms a message on each side, more than the work of a small call, so
the line uses the same HMAC-SHA256 key as the kernel's session over a smaller message::

    [signature, body, buffer, buffer, ...]

``body`` is compact JSON ``{"n": sequence number, "c": content}``; ``signature`` is the hex HMAC of
``body`` under the connection key (the buffers are not signed, as in Jupyter's own messages). A frame
list whose signature does not match, or whose body is not such JSON, raises `wire.WireError`.

The signature proves a frame came from a holder of the connection key (the judge or the kernel), not
that what it says is true: the kernel's answers stay data that the judge checks.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from .wire import WireError


def pack(key: bytes, number: int, content: dict, buffers=()) -> list:
    """The frames of one message (see the module docstring).

    Parameters
    ----------
    key : bytes
        The connection's HMAC key (may be empty: then the signature is still computed, over an empty key).
    number : int
        The sequence number (a reply carries its request's).
    content : dict
        JSON-serialisable content.
    buffers : sequence of bytes-like

    Returns
    -------
    list
        ``[signature, body, *buffers]``, for ``socket.send_multipart``.
    """
    body = json.dumps({"n": number, "c": content}, separators=(",", ":"), allow_nan=False).encode()
    return [hmac.new(key, body, hashlib.sha256).hexdigest().encode(), body, *buffers]


def unpack(key: bytes, frames: list) -> tuple[int, dict, list]:
    """``(number, content, buffers)`` of a frame list made by `pack`.

    Parameters
    ----------
    key : bytes
    frames : list of bytes-like or zmq.Frame

    Raises
    ------
    WireError
        Too few frames, a wrong signature, or a body that is not a signed message's JSON.
    """
    if len(frames) < 2:
        raise WireError("a message on the judge's line has too few frames")
    signature, body = (bytes(getattr(f, "buffer", f)) for f in frames[:2])
    if not hmac.compare_digest(signature, hmac.new(key, body, hashlib.sha256).hexdigest().encode()):
        raise WireError("a message on the judge's line has a wrong signature")
    try:
        message = json.loads(body)
    except ValueError:
        raise WireError("a message on the judge's line is not JSON") from None
    if type(message) is not dict or type(message.get("n")) is not int or type(message.get("c")) is not dict:
        raise WireError("a message on the judge's line is not in the format")
    return message["n"], message["c"], [getattr(f, "buffer", f) for f in frames[2:]]
