"""The judge's end of the line to the student's kernel: one request, one checked reply, with limits.

`KernelLink` sends ``autograder_judge_request`` messages (see `server`) on a shell socket of its own
or, while a test cell runs, on the judge's own line to the kernel (`frames`; `pause` hands the kernel's
main thread back to the notebook's cells)
(replies come back to it alone; the kernel's iopub stream, where the student's prints go, is read on a
subscription of its own too). It never trusts what comes back: a reply is decoded by `wire` into exact
data types, a reply over `max_reply_bytes` is refused by ZeroMQ before it is read (``MAXMSGSIZE``), a
call that does not answer within its deadline raises `CallTimeout`, a kernel that dies raises
`KernelDied`, and a reply that is not in the format raises `ProtocolError`. Exceptions of the student's
code come back as `StudentError` subclasses named like the student's exception (a ``ValueError``
raised by the student is caught by ``except ValueError`` in the test).
"""

from __future__ import annotations

import builtins
import time

from . import wire
from . import frames
from .server import MARK_TYPE, MSG_TYPE, REPLY_TYPE, mark_id

#: Bytes one reply (one ZeroMQ frame) may have; larger replies are dropped by ZeroMQ unread.
DEFAULT_MAX_REPLY = 2 * 1024 ** 3
#: Seconds the judge waits, after a reply, for the rest of the request's output on iopub.
IOPUB_GRACE_S = 10.0


class JudgeFault(Exception):
    """The kernel could not answer the judge (the cell fails; the engine may restart the kernel)."""


class CallTimeout(JudgeFault):
    """A request ran past its deadline."""


class KernelDied(JudgeFault):
    """The kernel died while the judge waited for it."""


class ProtocolError(JudgeFault):
    """A reply that is not in the format (or a request the kernel could not read)."""


class StudentError(Exception):
    """An exception raised by the student's code during a call (base of the rebuilt exception types).

    Attributes
    ----------
    ename : str
        The student's exception type's name.
    student_traceback : list of str
        Formatted frames of the student's own code.
    """

    ename = "Exception"
    student_traceback: list = []


_REBUILT: dict[str, type] = {}


def student_exception(ename: str, evalue: str, trace: list[str], module: str = "") -> StudentError:
    """An exception of a judge-made type named ``ename``: also an instance of the builtin exception of
    that name (so ``except ValueError`` and ``check_no_warnings`` see it), else of `StudentError` only."""
    base = getattr(builtins, ename, None) if module == "builtins" else None
    if not (isinstance(base, type) and issubclass(base, BaseException)) or issubclass(base, StudentError):
        base = None
    key = ename if base is not None else "<other>"
    cls = _REBUILT.get(key)
    if cls is None:
        if base is not None and issubclass(base, Exception):
            cls = type(ename, (StudentError, base), {"__module__": "builtins"})
        else:  # SystemExit, KeyboardInterrupt, non-builtin types: an ordinary error of the cell
            cls = type("StudentError", (StudentError,), {"__module__": "builtins"})
        _REBUILT[key] = cls
    exc = cls(evalue)
    exc.ename = ename
    exc.student_traceback = list(trace)
    return exc


def _wants_mark(reply) -> bool:
    """Whether a reply on the judge's line says that output came before it (wait for its iopub mark)."""
    content = reply.get("content")
    return type(content) is dict and content.get("mark") is True


class KernelLink:
    """Requests to one running kernel (see the module docstring).

    Parameters
    ----------
    km : jupyter_client.KernelManager
        The manager of the kernel (for its connection info and ``is_alive``).
    on_output : callable or None
        ``on_output(msg)`` for every iopub message (stream, display, clear) caused by a request.
    max_reply_bytes : int
    fast : bool
        Send requests on the judge's own socket while a test cell runs (`_serve`), rather than through
        ipykernel's shell dispatch, whose thread hops and busy/idle messages cost about 2 ms a request.
    """

    def __init__(self, km, on_output=None, max_reply_bytes: int = DEFAULT_MAX_REPLY, ready_timeout: float = 30,
                 fast: bool = True):
        import zmq
        from jupyter_client import BlockingKernelClient

        self.km = km
        self.on_output = on_output
        self.context = zmq.Context()
        self.context.setsockopt(zmq.MAXMSGSIZE, int(max_reply_bytes))
        self.context.setsockopt(zmq.LINGER, 0)
        kc = BlockingKernelClient(context=self.context)
        kc.load_connection_info(km.get_connection_info(session=True))
        kc.session.key = km.session.key
        kc.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
        self.kc = kc
        self.requests = 0
        self.round_trip_s = 0.0
        self.fast = fast
        self.line = None  # the judge's own socket to the kernel (see `_serve`)
        self._serving = None  # msg_id of the ``serve`` request in progress
        self._number = 0  # of the last message sent on the line
        self._pollers = {}  # line (bool) -> zmq.Poller of the sockets `_wait` watches
        self._ready(ready_timeout)

    def _ready(self, timeout: float) -> None:
        """Wait until both sockets are connected (the kernel_info reply and its iopub idle have arrived).

        An idle published before the iopub subscription connected is lost, so each try waits briefly
        (50 ms, doubling up to 1 s) before asking again, rather than 1 s each time."""
        deadline, wait = time.monotonic() + timeout, 0.05
        while True:
            msg_id = self.kc.kernel_info()
            try:
                self._wait(msg_id, "kernel_info_reply", min(wait, max(0.05, deadline - time.monotonic())), True)
                return
            except CallTimeout:
                if time.monotonic() > deadline:
                    raise
            wait = min(1.0, 2 * wait)
            self._alive_or_raise()

    def close(self) -> None:
        """Close the sockets (the kernel is left running)."""
        try:
            if self.line is not None:
                self.line.close(linger=0)
            self.kc.stop_channels()
        finally:
            self.context.destroy(linger=0)

    def _alive_or_raise(self) -> None:
        import inspect

        alive = self.km.is_alive()
        if inspect.isawaitable(alive):  # an AsyncKernelManager (nbclient's)
            from jupyter_core.utils import run_sync

            alive.close()
            alive = run_sync(self.km.is_alive)()
        if not alive:
            raise KernelDied("the kernel died")

    def _recv(self, socket):
        """One message from a ready socket, deserialized (signature checked by the session)."""
        frames = socket.recv_multipart(copy=False)
        try:
            _, parts = self.kc.session.feed_identities(frames, copy=False)
            return self.kc.session.deserialize(parts, content=True, copy=False)
        except Exception as exc:  # noqa: BLE001 - a frame that is not a message of this session
            raise ProtocolError(f"a message from the kernel could not be read ({type(exc).__name__})") from None

    def _wait(self, msg_id, reply_type: str, timeout: float | None, need_idle: bool = False, line: bool = False):
        """The reply to ``msg_id``: on the shell socket after its iopub ``idle`` (every output of the request
        read), or, with ``line``, the reply to line request number ``msg_id`` on the judge's own socket, after
        the iopub mark that follows the request's output (outputs belong to the ``serve`` request)."""
        import zmq

        shell, iopub = self.kc.shell_channel.socket, self.kc.iopub_channel.socket
        poller = self._pollers.get(line)
        if poller is None:  # made once per link and kind: this is the hot path of every request
            poller = self._pollers[line] = zmq.Poller()
            for socket in (shell, iopub, self.line) if line else (shell, iopub):
                poller.register(socket, zmq.POLLIN)
        out_id = self._serving if line else msg_id
        mark = mark_id(msg_id) if line else None
        deadline = None if timeout is None else time.monotonic() + timeout
        reply, idle, marked = None, False, False
        while reply is None or not (idle or (line and (marked or not _wants_mark(reply)))):
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                if reply is not None and not need_idle:  # the answer is in; the rest of its output did not come
                    return reply
                raise CallTimeout("the kernel did not answer in time")
            step = 0.25 if left is None else max(0.0, min(0.25, left))
            ready = dict(poller.poll(int(step * 1000) + 1))
            if not ready:
                self._alive_or_raise()
                continue
            if iopub in ready:
                seen = self._output(self._recv(iopub), out_id, mark)
                idle, marked = idle or seen == "idle", marked or seen == "mark"
            if line and self.line in ready:
                try:
                    number, content, buffers = frames.unpack(self.kc.session.key, self.line.recv_multipart(copy=False))
                except wire.WireError as exc:
                    raise ProtocolError(str(exc)) from None
                if number == msg_id:
                    reply = {"content": content, "buffers": buffers}
            if shell in ready:
                msg = self._recv(shell)
                if line and msg["parent_header"].get("msg_id") == self._serving:
                    self._serving = None
                    raise ProtocolError("the kernel stopped answering on the judge's line")
                if reply is None and msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == reply_type:
                    reply = msg
                    grace = time.monotonic() + IOPUB_GRACE_S
                    deadline = grace if deadline is None else min(deadline, grace)
        return reply

    def _output(self, msg, out_id: str, mark: str | None) -> str | None:
        """One iopub message: an output of request ``out_id`` goes to ``on_output``. Returns ``"idle"`` for
        that request's idle status, ``"mark"`` for the mark with parent ``mark``, else None."""
        parent, kind = msg["parent_header"].get("msg_id"), msg["msg_type"]
        if kind == MARK_TYPE:
            return "mark" if mark is not None and parent == mark else None
        if parent != out_id:
            return None
        if kind == "status":
            return "idle" if msg["content"].get("execution_state") == "idle" else None
        if self.on_output is not None:
            self.on_output(msg)
        return None

    def _serve(self, timeout: float | None) -> None:
        """Open the judge's own line: the kernel's handler answers on it until `pause` (one test cell)."""
        if self.line is None:
            import os
            import uuid

            import zmq

            info = self.km.get_connection_info()
            if info.get("transport") == "ipc":
                endpoint = f"ipc://{os.path.abspath(info['ip'])}-judge-{uuid.uuid4().hex[:8]}"
            else:
                endpoint = "tcp://127.0.0.1:*"
            content, buffers = self._shell_request("listen", timeout=timeout, endpoint=endpoint)
            value = wire.Decoder(buffers).decode(content.get("value")) if content["status"] == "ok" else None
            if type(value) is not str or not value.startswith(("ipc://", "tcp://127.0.0.1:")):
                self.fast = False  # an old kernel-side handler, or one the student replaced: the shell still works
                return
            self.line = self.context.socket(zmq.PAIR)
            self.line.connect(value)
        msg = self.kc.session.msg(MSG_TYPE, {"op": "serve"})
        self.kc.session.send(self.kc.shell_channel.socket, msg)
        self._serving = msg["header"]["msg_id"]

    def pause(self, timeout: float = 10.0) -> None:
        """Close the line until the next request (the kernel's main thread is free for the notebook's cells)."""
        serving, self._serving = self._serving, None
        if serving is None:
            return
        self._number += 1
        self.line.send_multipart(frames.pack(self.kc.session.key, self._number, {"op": "end"}), copy=False)
        self._wait(serving, REPLY_TYPE, timeout, need_idle=True)

    @staticmethod
    def _content(op: str, args: tuple, encoder, fields: dict) -> tuple[dict, list]:
        """A request's content and buffers."""
        enc = encoder if encoder is not None else wire.Encoder()
        return dict(fields, op=op, args=enc.encode(tuple(args))), enc.buffers

    def _shell_request(self, op: str, args: tuple = (), timeout: float | None = None, encoder=None, **fields):
        content, buffers = self._content(op, args, encoder, fields)
        msg = self.kc.session.msg(MSG_TYPE, content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers)
        return self._checked(self._wait(msg["header"]["msg_id"], REPLY_TYPE, timeout))

    def request(self, op: str, args: tuple = (), timeout: float | None = None, encoder=None, **fields):
        """Send one request and return ``(reply content, reply buffers)``.

        Raises
        ------
        CallTimeout, KernelDied, ProtocolError
        """
        t0 = time.perf_counter()
        if self.fast and self._serving is None:
            self._serve(timeout)
        if self._serving is None:
            result = self._shell_request(op, args, timeout, encoder, **fields)
        else:
            content, buffers = self._content(op, args, encoder, fields)
            self._number += 1
            self.line.send_multipart(frames.pack(self.kc.session.key, self._number, content, buffers), copy=False)
            result = self._checked(self._wait(self._number, REPLY_TYPE, timeout, line=True))
        self.requests += 1
        self.round_trip_s += time.perf_counter() - t0
        return result

    @staticmethod
    def _checked(reply) -> tuple[dict, list]:
        content = reply.get("content")
        if type(content) is not dict or content.get("status") not in ("ok", "error", "protocol_error"):
            raise ProtocolError("the kernel's reply is not in the judge's format")
        if content["status"] == "protocol_error":
            raise ProtocolError(str(content.get("evalue", ""))[:500])
        return content, [b if isinstance(b, memoryview) else memoryview(b) for b in reply.get("buffers", [])]

    def raise_student_error(self, content: dict) -> None:
        """Raise the `StudentError` a reply of status ``error`` describes."""
        trace = content.get("traceback")
        trace = [str(t)[:2000] for t in trace[:200]] if type(trace) is list else []
        ename = content.get("ename")
        raise student_exception(ename if type(ename) is str and ename.isidentifier() else "Exception",
                                str(content.get("evalue", ""))[:4000], trace, str(content.get("module", "")))
