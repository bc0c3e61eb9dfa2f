"""The worker's side of forked kernels (see `zygote`): the zygote process, its kernels' handles, the provisioner.

`ForkingProvisioner` is jupyter_client's ``LocalProvisioner`` except for the launch: a kernel command
that runs `kernel_launcher` with this interpreter, in an environment the worker's zygote was started
for, is forked by the zygote instead of started with ``Popen``. The kernel manager then holds a
`ForkedProcess`, which answers what ``Popen`` answers (``pid``, ``poll``, ``wait``, ``send_signal``,
``kill``, ``terminate``, ``returncode``), so the code that watches and kills kernels (``os.killpg`` on
the kernel's process group included) works on both. Anything the zygote cannot do (not started, died,
other environment) falls back to the usual launch; nothing is ever graded differently.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading

from jupyter_client.provisioning import LocalProvisioner

from .zygote import LAUNCHER, PER_KERNEL_ENV

#: Environment variable: ``0`` starts every kernel the usual way (no zygote).
FORK_ENV = "BACKPROP_COURSE_FORK_KERNELS"
#: Seconds a zygote may take to import what it preloads.
READY_TIMEOUT = 60.0
#: Seconds a fork request may take.
FORK_TIMEOUT = 10.0


def forking_enabled() -> bool:
    """Whether kernels may be forked here: Linux (``fork``, ``setsid``) and not turned off by `FORK_ENV`."""
    return sys.platform.startswith("linux") and os.environ.get(FORK_ENV, "1") != "0"


class ZygoteError(RuntimeError):
    """The zygote could not be started or did not answer."""


def runs_launcher(cmd: list[str]) -> bool:
    """Whether a kernel command is ``<this Python> -m autograder.engine.kernel_launcher ...``."""
    return len(cmd) >= 3 and cmd[0] == sys.executable and cmd[1:3] == ["-m", LAUNCHER]


def _base_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in PER_KERNEL_ENV}


class Zygote:
    """A running zygote process and the exit statuses of its kernels.

    Parameters
    ----------
    env : dict of str to str
        The environment its kernels get (the per-kernel variables may differ, see `serves`).

    Raises
    ------
    ZygoteError
        It did not start or did not say it was ready within `READY_TIMEOUT` seconds.
    """

    def __init__(self, env: dict[str, str]):
        self.env = _base_env(env)
        self._lock = threading.Lock()      # one request at a time
        self._changed = threading.Condition()
        self._exits: dict[int, int] = {}
        self._replies: list[dict] = []
        self.closed = False
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "autograder.engine.zygote", str(theirs.fileno())],
                                            env=self.env, stdin=subprocess.DEVNULL, pass_fds=(theirs.fileno(),),
                                            start_new_session=True)
        except OSError as exc:
            ours.close()
            raise ZygoteError(f"could not start the zygote: {exc}") from exc
        finally:
            theirs.close()
        self._sock = ours
        self._reader = threading.Thread(target=self._read, name="autograder-zygote-reader", daemon=True)
        self._reader.start()
        ready = self._reply(READY_TIMEOUT)
        if "ready" not in ready:
            self.close()
            raise ZygoteError(f"the zygote did not start: {ready}")

    def _read(self) -> None:
        buffer = b""
        try:
            while True:
                data = self._sock.recv(1 << 16)
                if not data:
                    break
                buffer += data
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    message = json.loads(line)
                    with self._changed:
                        if "exit" in message:
                            self._exits[message["exit"]] = message["code"]
                        else:
                            self._replies.append(message)
                        self._changed.notify_all()
        except OSError:
            pass
        finally:
            with self._changed:
                self.closed = True
                self._changed.notify_all()

    def _reply(self, timeout: float) -> dict:
        with self._changed:
            if not self._changed.wait_for(lambda: self._replies or self.closed, timeout):
                raise ZygoteError(f"the zygote did not answer within {timeout:g} s")
            if not self._replies:
                raise ZygoteError("the zygote has ended")
            return self._replies.pop(0)

    def serves(self, cmd: list[str], env: dict[str, str]) -> bool:
        """Whether a kernel with this command and environment can be forked from this zygote."""
        return not self.closed and runs_launcher(cmd) and _base_env(env) == self.env

    def fork(self, args: list[str], env: dict[str, str], cwd: str) -> "ForkedProcess":
        """Fork a kernel running `kernel_launcher` with these arguments, environment and directory."""
        with self._lock:
            try:
                self._sock.sendall((json.dumps({"args": list(args), "env": dict(env), "cwd": str(cwd)}) + "\n")
                                   .encode())
            except OSError as exc:
                raise ZygoteError(f"the zygote has ended: {exc}") from exc
            reply = self._reply(FORK_TIMEOUT)
        if not isinstance(reply.get("pid"), int) or reply["pid"] <= 0:
            raise ZygoteError(f"the zygote could not fork: {reply}")
        return ForkedProcess(reply["pid"], self)

    def exit_code(self, pid: int) -> int | None:
        """The exit status of a kernel that has ended (``-N``: signal ``N``), else None."""
        with self._changed:
            if pid in self._exits:
                return self._exits[pid]
            return -signal.SIGKILL if self.closed else None  # kernels die with their zygote

    def wait_exit(self, pid: int, timeout: float | None) -> int | None:
        with self._changed:
            self._changed.wait_for(lambda: pid in self._exits or self.closed, timeout)
        return self.exit_code(pid)

    def close(self) -> None:
        """End the zygote (its kernels end with it)."""
        try:
            self._sock.close()
        except OSError:
            pass
        try:
            self.process.kill()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass


class ForkedProcess:
    """A forked kernel, with the part of ``subprocess.Popen``'s interface that kernel managers use."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, zygote: Zygote):
        self.pid, self._zygote, self.returncode = pid, zygote, None
        try:
            self._pidfd = os.pidfd_open(pid)  # signals reach this process, never a later one with its number
        except (AttributeError, OSError):
            self._pidfd = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._zygote.exit_code(self.pid)
            if self.returncode is not None:
                self._close_pidfd()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.poll() is None:
            code = self._zygote.wait_exit(self.pid, timeout)
            if code is None:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            self.returncode = code
            self._close_pidfd()
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is not None:
            return
        if self._pidfd is not None:
            try:
                signal.pidfd_send_signal(self._pidfd, sig)
            except ProcessLookupError:
                pass
            return
        os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _close_pidfd(self) -> None:
        if self._pidfd is not None:
            try:
                os.close(self._pidfd)
            except OSError:
                pass
            self._pidfd = None

    def __del__(self):
        self._close_pidfd()


class ForkingProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernels are forked from `zygote` when it can serve them (see the module docstring)."""

    zygotes = None  #: the `Zygotes` to ask (set before the kernel starts; None: launch as usual)
    forked = False  #: whether the kernel was forked
    why_not = ""  #: why it was not

    async def launch_kernel(self, cmd: list[str], **kwargs):
        env, zygote = dict(kwargs.get("env") or os.environ), None
        if self.zygotes is None:
            self.why_not = "not asked to fork"
        elif not runs_launcher(cmd):
            self.why_not = "the kernel command is not the engine's kernel launcher"
        else:
            zygote = self.zygotes.for_env(env)
            self.why_not = "" if zygote is not None else self.zygotes.error
        if zygote is not None:
            env["JPY_PARENT_PID"] = str(os.getpid())  # what jupyter_client's launch_kernel adds
            try:
                self.process = zygote.fork(cmd[3:], env, kwargs.get("cwd") or os.getcwd())
            except ZygoteError as exc:
                self.process, self.why_not = None, str(exc)
            if self.process is not None:
                self.zygotes.forked(zygote, self.process)
                self.forked = True
                self.pid = self.pgid = self.process.pid  # a session leader: its own process group
                self.cwd = kwargs.get("cwd") or os.getcwd()
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)


class Zygotes:
    """This worker process's zygotes, one per kernel environment, started on first use.

    A zygote is never ended while a kernel forked from it may still run (that would end the kernel):
    when a third environment comes, the oldest idle zygote makes room, and without one the kernel is
    launched the usual way.
    """

    MAX = 2

    def __init__(self):
        self._lock = threading.Lock()
        self._zygotes: dict[tuple, Zygote] = {}
        self._kernels: dict[tuple, list[ForkedProcess]] = {}
        self.error = ""  #: why the last request got no zygote

    def for_env(self, env: dict[str, str]) -> Zygote | None:
        """A running zygote for kernels with this environment (started now if need be), or None."""
        key = tuple(sorted(_base_env(env).items()))
        with self._lock:
            zygote = self._zygotes.get(key)
            if zygote is not None and not zygote.closed:
                return zygote
            self._zygotes.pop(key, None)
            if len(self._zygotes) >= self.MAX:
                idle = [k for k in self._zygotes if all(p.poll() is not None for p in self._kernels.get(k, []))]
                if not idle:
                    self.error = "every zygote still has running kernels"
                    return None
                self._zygotes.pop(idle[0]).close()
                self._kernels.pop(idle[0], None)
            try:
                zygote = Zygote(env)
            except ZygoteError as exc:
                self.error = str(exc)
                return None
            self._zygotes[key] = zygote
            return zygote

    def forked(self, zygote: Zygote, process: ForkedProcess) -> None:
        """Remember a kernel forked from ``zygote`` (so that it is not ended under the kernel)."""
        with self._lock:
            for key, z in self._zygotes.items():
                if z is zygote:
                    kernels = [p for p in self._kernels.get(key, []) if p.poll() is None]
                    self._kernels[key] = kernels + [process]

    def close(self) -> None:
        """End every zygote (and so their kernels)."""
        with self._lock:
            zygotes, self._zygotes, self._kernels = list(self._zygotes.values()), {}, {}
        for zygote in zygotes:
            zygote.close()
