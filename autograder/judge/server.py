"""The kernel side of the judge: answers the judge's requests with data, in the student's kernel.

`install` adds one shell message type, ``autograder_judge_request``, to the running ipykernel (the
kernel launcher does it before the guard takes its snapshot, so the guard also watches the handler).
Each request names one operation on the student's namespace or on an object the kernel handed out
earlier as a reference:

* ``lookup`` a global of the notebook, ``getattr`` / ``setattr`` of a referenced object;
* ``call`` a referenced callable with arguments (``call_method``: an attribute of a referenced object,
  looked up and called in one request) (under ``np.errstate`` / ``warnings`` settings the
  judge asks for, so ``check_no_warnings`` means in the judge what it means in one process);
* ``swap_global`` (bind a notebook global to a value, answering the old one; restoring is another
  swap) and ``construct`` (build a `autograder.checks.spy.Recorder`, the only library object the judge
  may ask for).

Two requests open the judge's own line: ``listen`` binds a ZeroMQ pair socket (once per kernel, at an
endpoint the judge names) and ``serve`` answers the same operations on it, in the kernel's main thread,
until the judge says ``end`` at the end of the test cell (`JudgeServer.serve`, frames of `frames`).

The reply goes back on the shell channel (or the line) to the judge's own socket: ``{"status": "ok", "value": node,
"copyback": [...]}`` or ``{"status": "error", "ename", "evalue", "traceback"}`` for an exception of
the student's code (its traceback cut to the student's own frames). Mutable arguments (arrays, lists,
dicts, and arrays inside tuples) that the call changed come back in ``copyback`` as patches: an array
the call wrote into, a container whose items were rebound, so the judge can apply them to its own
objects and a test sees what it would see in one process.

Nothing here decides anything: this code runs in the student's process and the student can change it.
Whatever it answers is data that the judge checks.
"""

from __future__ import annotations

import os
import sys
import traceback
import warnings

import numpy as np

from . import frames as frames_
from . import wire

MSG_TYPE = "autograder_judge_request"
REPLY_TYPE = "autograder_judge_reply"
#: On iopub after the output of a request answered on the judge's line (see `JudgeServer.serve`).
MARK_TYPE = "autograder_judge_mark"


def mark_id(number: int) -> str:
    """The parent ``msg_id`` of the iopub mark after the output of line request ``number``."""
    return f"autograder-line-{number}"


#: Characters of a student's exception message that are sent.
MAX_EVALUE = 4000


class _Table:
    """Objects handed out as references, by id (kept alive until the kernel ends)."""

    def __init__(self):
        self.objects: dict[int, object] = {}
        self.ids: dict[int, int] = {}

    def ref(self, obj) -> dict:
        key = self.ids.get(id(obj))
        if key is None or self.objects.get(key) is not obj:
            key = len(self.objects) + 1
            self.objects[key] = obj
            self.ids[id(obj)] = key
        return {"t": "r", "id": key, "type": type(obj).__name__}

    def get(self, node) -> object:
        try:
            return self.objects[node["id"]]
        except KeyError:
            raise wire.WireError(f"no object with reference {node.get('id')!r} in this kernel") from None


# ---------------------------------------------------------------------------------------- copy-back
def _shadow(value, sources):
    """What a mutable argument held before the call: ``(obj, snapshot)`` trees to diff with `_patch`.

    An array's snapshot is the message buffer it was built from (``sources``, no copy) when there is one.
    """
    kind = type(value)
    if wire.is_data_array(value):
        raw = sources.get(id(value))
        before = value.copy() if raw is None else (raw, value.shape, value.dtype)
        return (value, before)
    if kind is list:
        return (value, [(v, _shadow(v, sources)) for v in value])
    if kind is dict:
        return (value, [(k, v, _shadow(v, sources)) for k, v in value.items()])
    if kind is tuple:
        return (value, [_shadow(v, sources) for v in value])
    return (value, None)


def _same_bytes(a, b) -> bool:
    """Whether two 1-d ``uint8`` arrays hold the same bytes.

    Compared eight bytes at a time where the length allows: a byte-wise ``array_equal`` builds one bool
    per byte (a 345 MB training set: 1.1 s here, against 0.07 s as ``uint64``), and this runs after
    every call that was given an array.
    """
    if a.size != b.size:
        return False
    head = a.size - a.size % 8
    return np.array_equal(a[:head].view(np.uint64), b[:head].view(np.uint64)) and \
        np.array_equal(a[head:], b[head:])


def _same_array(a, before) -> bool:
    if type(before) is tuple:  # (bytes as uint8, shape, dtype) of the message buffer
        raw, shape, dtype = before
        return a.shape == shape and a.dtype == dtype and a.flags.c_contiguous and \
            _same_bytes(a.reshape(-1).view(np.uint8), raw)
    return a.shape == before.shape and a.dtype == before.dtype and \
        _same_bytes(_bytes_of(a), _bytes_of(before))


def _bytes_of(a) -> np.ndarray:
    """The bytes of ``a``'s values in C order, as a 1-d ``uint8`` array (a view when ``a`` is contiguous)."""
    return np.ascontiguousarray(a).reshape(-1).view(np.uint8)


def _patch(shadow, enc: wire.Encoder):
    """A patch node for an object that was an argument, or None when the call left it as it was."""
    obj, before = shadow
    if before is None:
        return None
    kind = type(obj)
    if kind is np.ndarray:
        return None if _same_array(obj, before) else {"set": enc.encode(obj)}
    if kind is tuple:
        parts = [_patch(s, enc) for s in before]
        return {"tuple": parts} if any(p is not None for p in parts) else None
    if kind is list:
        old = {id(o): (i, s) for i, (o, s) in enumerate(before)}
        items, changed = [], len(obj) != len(before)
        for i, v in enumerate(obj):
            seen = old.get(id(v))
            if seen is not None and (wire.is_data_array(v) or type(v) in (list, dict, tuple)):
                p = _patch(seen[1], enc)
                items.append({"keep": seen[0], "patch": p})
                changed |= p is not None or seen[0] != i
            elif i < len(before) and before[i][0] is v:
                items.append({"keep": i, "patch": None})
            else:
                items.append({"new": enc.encode(v)})
                changed = True
        return {"list": items} if changed else None
    if kind is dict:
        old = {k: (o, s) for k, o, s in before}
        items, changed = [], list(obj) != [k for k, _, _ in before]
        for k, v in obj.items():
            seen = old.get(k) if type(k) is str else None
            if seen is not None and seen[0] is v:
                p = _patch(seen[1], enc)
                items.append([k, {"keep": k, "patch": p}])
                changed |= p is not None
            else:
                items.append([k, {"new": enc.encode(v)}])
                changed = True
        if any(type(k) is not str for k in obj):
            return {"set": enc.encode(obj)}
        return {"dict": items} if changed else None
    return None


# ---------------------------------------------------------------------------------------- the server
class JudgeServer:
    """The request handler of one kernel (see the module docstring)."""

    def __init__(self, shell):
        self.shell = shell
        self.table = _Table()
        self.student_files: set[str] = set()
        self.line = None  # the judge's own socket (see `op_listen`, `serve`)
        self.last_number = 0  # of the last message on it

    # -------------------------------------------------------------- operations
    def op_lookup(self, req, args):
        ns = self.shell.user_ns
        name = req.get("name")
        if type(name) is not str or name not in ns or name in self.shell.user_ns_hidden:
            raise NameError(f"name {name!r} is not defined")
        return ns[name]

    def op_getattr(self, req, args):
        return getattr(args[0], req["name"])

    def op_setattr(self, req, args):
        setattr(args[0], req["name"], args[1])
        return None

    def op_call_method(self, req, args):
        obj, pos, kw = args
        return self.op_call(req, (getattr(obj, req["name"]), pos, kw))

    def op_call(self, req, args):
        fn, pos, kw = args
        if req.get("strict"):
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
                    return fn(*pos, **kw)
        return fn(*pos, **kw)

    def op_swap_global(self, req, args):
        name = req["name"]
        ns = self.shell.user_ns
        missing = object()
        old = ns.get(name, missing)
        if req.get("delete"):
            ns.pop(name, None)
        else:
            ns[name] = args[0]
        return None if old is missing else old

    def op_construct(self, req, args):
        from ..checks.spy import STAND_INS

        what = req.get("what")
        if type(what) is not str or what not in STAND_INS or type(args[0]) is not dict:
            raise ValueError(f"the judge may not construct {what!r}")
        return STAND_INS[what](**args[0])

    # -------------------------------------------------------------- the fast line
    def op_listen(self, req, args):
        """Bind the judge's own socket (once per kernel) at the endpoint the judge names; its address."""
        import zmq

        if self.line is None:
            endpoint = req.get("endpoint")
            if type(endpoint) is not str or not endpoint.startswith(("ipc://", "tcp://127.0.0.1:")):
                raise wire.WireError(f"the judge's line cannot listen at {endpoint!r}")
            sock = zmq.Context.instance().socket(zmq.PAIR)
            sock.setsockopt(zmq.LINGER, 0)
            sock.bind(endpoint)
            self.line = sock
        return self.line.getsockopt_string(zmq.LAST_ENDPOINT)

    def serve(self) -> None:
        """Answer requests on the judge's own socket until it says ``end`` (one test cell's requests).

        Runs inside the shell handler of a ``serve`` request, in the kernel's main thread, so a call runs
        where it would run in a cell; it only skips ipykernel's dispatch of every request (its thread
        hops and busy/idle messages). Output printed during a call is flushed before the answer is sent,
        and followed on iopub by a mark (``MARK_TYPE``), so the judge has all of it before it goes on, as it
        has on the shell channel once the request's ``idle`` status came.
        """
        kernel = self.shell.kernel
        key = kernel.session.key
        sock = self.line
        while True:
            frames = sock.recv_multipart(copy=False)
            try:
                number, content, buffers = frames_.unpack(key, frames)
            except wire.WireError:  # not a message of the judge's: ignored
                continue
            if number <= self.last_number:
                continue  # a replay
            self.last_number = number
            if content.get("op") == "end":
                return
            reply, buffers = self.answer(content, buffers)
            printed = [s for s in (sys.stdout, sys.stderr) if getattr(s, "_flush_pending", True)]
            if printed:  # its output first, then a mark after it on the same channel, then the answer
                for stream in printed:
                    stream.flush()
                kernel.session.send(kernel.iopub_socket, MARK_TYPE, {}, {"msg_id": mark_id(number)})
                reply["mark"] = True
            sock.send_multipart(frames_.pack(key, number, reply, buffers), copy=False)

    # -------------------------------------------------------------- the shell handler
    def answer(self, content, buffers) -> tuple[dict, list]:
        """The reply to one request (``content``, ``buffers``), and the reply's buffers."""
        enc = wire.Encoder(self.table.ref)
        try:
            try:
                req = content if type(content) is dict else {}
                op = getattr(self, "op_" + str(req.get("op")), None)
                if op is None or req.get("op") == "serve":
                    raise wire.WireError(f"unknown operation {req.get('op')!r}")
                decoder = wire.Decoder(buffers, self.table.get)
                args = decoder.decode(req.get("args", {"t": "u", "items": []}))
                if type(args) is not tuple:
                    raise wire.WireError("args must be a tuple")
            except Exception as exc:  # noqa: BLE001 - a bad request is the judge's problem: say so
                reply = {"status": "protocol_error", "evalue": f"{type(exc).__name__}: {exc}"}
            else:
                shadows = [_shadow(a, decoder.sources) for a in args[1]] + \
                    [_shadow(v, decoder.sources) for v in args[2].values()] \
                    if req.get("op") in ("call", "call_method") else []
                try:
                    value = op(req, args)
                except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
                    reply = self._student_error(exc)
                else:
                    reply = {"status": "ok", "value": enc.encode(value),
                             "copyback": [_patch(s, enc) for s in shadows]}
        except Exception as exc:  # noqa: BLE001 - e.g. a value that cannot be encoded
            enc.buffers = []
            reply = {"status": "protocol_error", "evalue": f"the kernel could not answer: {type(exc).__name__}: {exc}"}
        return reply, enc.buffers

    def handle(self, stream, ident, parent):
        """ipykernel shell handler for ``MSG_TYPE`` messages (``serve``: see `serve`)."""
        kernel = self.shell.kernel
        content = parent.get("content", {})
        if type(content) is dict and content.get("op") == "serve":
            if self.line is None:
                reply, buffers = {"status": "protocol_error", "evalue": "serve before listen"}, []
            else:
                try:
                    self.serve()
                    reply = {"status": "ok", "value": {"t": "n"}, "copyback": []}
                except BaseException as exc:  # noqa: BLE001 - an interrupt while waiting: the line is closed
                    reply = {"status": "protocol_error", "evalue": f"serving stopped: {type(exc).__name__}"}
                buffers = []
        else:
            reply, buffers = self.answer(content, parent.get("buffers", []))
        kernel.session.send(stream, REPLY_TYPE, reply, parent, ident=ident, buffers=buffers)

    def _student_error(self, exc: BaseException) -> dict:
        frames = traceback.extract_tb(exc.__traceback__)
        own = [f for f in frames if not f.filename.startswith(_PACKAGE_DIR)]
        lines = traceback.format_list(own)
        try:
            evalue = str(exc)[:MAX_EVALUE]
        except Exception:  # noqa: BLE001 - a student's __str__ that raises
            evalue = "(the exception's message could not be shown)"
        ename = type(exc).__name__ if type(type(exc).__name__) is str else "Exception"
        module = getattr(type(exc), "__module__", "")
        exc.__traceback__ = None
        return {"status": "error", "ename": ename, "module": module if type(module) is str else "",
                "evalue": evalue, "traceback": ["Traceback (most recent call last, your code only):\n"] + lines}


#: Frames under this folder (the autograder package: this handler, the stand-ins) are not the student's.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def install(shell) -> JudgeServer:
    """Register the request handler on the shell's kernel (before the guard's snapshot)."""
    server = JudgeServer(shell)
    shell.kernel.shell_handlers[MSG_TYPE] = server.handle
    sys.modules[__name__]._server = server  # keeps it alive with the module
    return server
