"""The kernel guard: a Python audit hook installed before any student code runs in a graded kernel.

The kernel launcher installs it after ipykernel has started and before the first cell. An audit hook
(PEP 578) cannot be removed from Python code, and it sees every ``open``, ``exec``, socket, process
and ``ctypes`` operation of the interpreter. The guard uses that for two things:

**Isolation** (``deny``): a student's code may read only the Python installation, the packages, the
course data directories and its own working directory, and write only its working directory and a
private temporary directory. Opening or listing anything else (``source/``, ``solutions/``, the
gradebook, other submissions, by relative or absolute path) raises ``PermissionError``; so do network
connections, starting processes (``subprocess``, ``os.system``, ``fork``), signalling other processes,
``ctypes`` and the garbage collector's object walks (which would reach the guard itself).

**Integrity** (``verify``): at the start of every cell the guard compares what the tests rely on with a
snapshot taken before the student's first cell: builtins, numpy's namespace, the check library's
modules, the IPython shell's methods and transformers, and the modules in
``sys.modules``. Anything replaced means a student's code tried to change how tests run or how their
failures are shown; the guard then writes the finding to its report file (outside anything the
student can open) and ends the kernel. The grading worker reads the report and gives the whole
submission 0, with the finding as the reason.

What it does not stop: C code (no ``ctypes`` here, but a compiled extension the student could not
install anyway), and a student function that patches something while a test calls it and restores
it before the cell ends. An OS sandbox (see ``sandbox``) adds file and network isolation below Python.
"""

from __future__ import annotations

import os
import sys

#: Exit status of a kernel the guard ended.
TAMPER_EXIT = 70

#: Modules whose namespaces the tests rely on (prefix match on ``sys.modules`` names).
PROTECTED_MODULES = ("builtins", "numpy", "autograder.checks", "math", "IPython.core.interactiveshell",
                     "ipykernel.ipkernel", "ipykernel.kernelbase", "ipykernel.zmqshell", "ipykernel.iostream")
#: Methods of the shell whose replacement would change how a cell runs or how its error is shown.
SHELL_METHODS = ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "showtraceback", "_showtraceback",
                 "showsyntaxerror", "transform_cell", "should_run_async", "get_exception_only", "excepthook")
#: Names under which notebooks use modules the tests rely on: if present, they must be the real module.
MODULE_ALIASES = {"np": "numpy", "numpy": "numpy", "_np": "numpy", "checks": "autograder.checks",
                  "_ck": "autograder.checks", "math": "math"}
#: Audit events refused outright.
DENIED_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "pty.spawn", "os.killpg", "signal.pthread_kill",
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "urllib.Request",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function", "ctypes.cdata", "ctypes.string_at",
    "ctypes.wstring_at", "ctypes.addressof", "ctypes.PyObj_FromPtr",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents",
    "sys.settrace", "sys.setprofile", "sys._current_frames", "sys.remote_exec",
    "mmap.__new__",
})
#: Events whose first argument is a path to write (or change).
WRITE_PATH_EVENTS = frozenset({"os.remove", "os.rmdir", "os.mkdir", "os.rename", "os.replace", "os.symlink",
                               "os.link", "os.truncate", "os.chmod", "os.chown", "os.utime", "shutil.rmtree",
                               "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.move"})
#: Events whose first argument is a path to read (or list).
READ_PATH_EVENTS = frozenset({"os.listdir", "os.scandir", "os.chdir", "glob.glob", "os.listxattr",
                              "os.getxattr"})


def _real(path) -> str:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return os.path.realpath(os.path.join(os.getcwd(), os.fspath(path)))


def _under(path: str, roots) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


#: Names the kernel itself rebinds while it runs (ipykernel swaps ``input`` per request; the display
#: hook sets ``_``, ``__`` and ``___``).
VOLATILE = frozenset({"input", "raw_input", "_", "__", "___", "getpass"})


def _namespace_snapshot(modules) -> dict:
    snap = {}
    for name, module in list(modules.items()):
        if module is not None and name.startswith(PROTECTED_MODULES):
            snap[name] = (id(module), {k: id(v) for k, v in list(vars(module).items()) if k not in VOLATILE})
    return snap


def _shell_snapshot(shell) -> dict:
    cls = type(shell)
    snap = {f"class.{name}": id(getattr(cls, name, None)) for name in SHELL_METHODS}
    snap.update({f"instance.{name}": name in vars(shell) for name in SHELL_METHODS})
    snap["shell.ast_transformers"] = [id(t) for t in shell.ast_transformers]
    snap["shell.input_transformers"] = [id(t) for t in shell.input_transformers_post]
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        snap["kernel.handlers"] = {k: id(v) for k, v in getattr(kernel, "shell_handlers", {}).items()}
        snap["kernel.session.send"] = (id(getattr(type(kernel.session), "send", None)),
                                       "send" in vars(kernel.session))
        snap["kernel.instance"] = sorted(k for k in vars(kernel) if k in ("do_execute", "execute_request",
                                                                        "send_response"))
    return snap


def _diff(old, new, where: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new), key=str):
            if key not in new:
                found.append(f"{where}{key} was deleted")
            elif key in old:  # names added to a namespace replace nothing the tests use
                found += _diff(old[key], new[key], f"{where}{key}.")
        return found
    if isinstance(old, tuple) and isinstance(new, tuple):
        return (["module object " + where.rstrip(".") + " was replaced"] if old[0] != new[0] else []) \
            + _diff(old[1], new[1], where)
    return [] if old == new else [where.rstrip(".") + " was replaced"]


def _same_or_grown(old: dict, new: dict) -> bool:
    """Whether ``new`` replaces nothing of ``old`` (names added to a namespace are allowed, as in `_diff`)."""
    if old == new:
        return True
    if old.keys() != new.keys():
        return False
    for name, (module_id, names) in old.items():
        new_id, new_names = new[name]
        if new_id != module_id or (names != new_names and any(new_names.get(k, k) != v for k, v in names.items())):
            return False
    return True


def _is_cell(code) -> bool:
    """Whether a code object is a notebook cell compiled by IPython (ipykernel names them after the cell)."""
    name = getattr(code, "co_filename", "")
    return "ipykernel_" in name or name.startswith("<ipython-input")


class Guard:
    """State of the installed guard (one per kernel); see the module docstring."""

    def __init__(self, report: str, read_roots, write_roots, shell=None, check_aliases: bool = True):
        self.report = report
        self.check_aliases = check_aliases
        self.write_roots = tuple(_real(p) for p in write_roots if p)
        self.read_roots = tuple(_real(p) for p in read_roots if p) + self.write_roots
        self.shell = shell
        self.busy = False
        self.modules: dict | None = None  # taken at the first cell, when the kernel is fully set up
        self.shell_state: dict = {}

    def snapshot(self) -> None:
        """Remember what the tests rely on (at the first ``exec``: before any student code runs)."""
        self.modules = _namespace_snapshot(sys.modules)
        self.shell_state = _shell_snapshot(self.shell) if self.shell is not None else {}

    # ------------------------------------------------------------------ integrity
    def findings(self) -> list[str]:
        """What differs from the snapshot (empty when nothing the tests rely on was replaced).

        The snapshot is compared as a whole first (one dictionary comparison in C, about 0.3 ms); the
        name-by-name walk that says *what* changed (about 6 ms) runs only on a mismatch.
        """
        now = {name: snap for name, snap in _namespace_snapshot(sys.modules).items() if name in self.modules}
        shell_now = _shell_snapshot(self.shell) if self.shell is not None else {}
        found = []
        if not _same_or_grown(self.modules, now) or shell_now != self.shell_state:
            found = [f"sys.modules[{name!r}] was removed" for name in self.modules if name not in now]
            found += _diff(self.modules, now, "")
            found += _diff(self.shell_state, shell_now, "")
        if self.shell is not None and self.check_aliases:
            ns = getattr(self.shell, "user_ns", {})
            found += [f"the notebook's name {alias!r} is not the module {module} any more"
                      for alias, module in MODULE_ALIASES.items()
                      if alias in ns and module in sys.modules and ns[alias] is not sys.modules[module]]
        return found

    def tamper(self, findings: list[str]) -> None:
        """Write the report and end the kernel at once."""
        self.busy = True
        try:
            fd = os.open(self.report, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.write(fd, ("\n".join(findings[:20]) + "\n").encode("utf-8", "replace"))
            os.close(fd)
        finally:
            os._exit(TAMPER_EXIT)

    # ------------------------------------------------------------------ the hook
    def check_path(self, path, write: bool) -> None:
        if isinstance(path, int) or path is None:
            return
        real = _real(path)
        if real == self.report or not _under(real, self.write_roots if write else self.read_roots):
            if real in ("/dev/null", "/dev/urandom", "/dev/random"):
                return
            raise PermissionError(f"grading sandbox: {'writing' if write else 'reading'} {path!r} is not allowed "
                                  "(only the notebook's own directory is yours)")

    def __call__(self, event: str, args: tuple) -> None:
        if self.busy:
            return
        if event in DENIED_EVENTS or (event == "import" and args and args[0] in UNAUDITED_MODULES):
            raise PermissionError(f"grading sandbox: {event} {args[0] if event == 'import' else ''}is not allowed "
                                  "while a notebook is graded".replace("  ", " "))
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, 0))[:3]
            write = any(c in (mode or "") for c in "wax+") or bool((flags or 0) & (os.O_WRONLY | os.O_RDWR |
                                                                                  os.O_CREAT | os.O_TRUNC))
            self.busy = True
            try:
                self.check_path(path, write)
            finally:
                self.busy = False
        elif event in WRITE_PATH_EVENTS or event in READ_PATH_EVENTS:
            self.busy = True
            try:
                for path in args[:2] if event in ("os.rename", "os.replace", "os.link", "os.symlink",
                                                  "shutil.copyfile", "shutil.move") else args[:1]:
                    if isinstance(path, (str, bytes, os.PathLike)):
                        self.check_path(path, event in WRITE_PATH_EVENTS)
            finally:
                self.busy = False
        elif event == "os.kill":
            pid = args[0] if args else None
            if pid != os.getpid():
                raise PermissionError("grading sandbox: signalling other processes is not allowed")
        elif event == "exec" and _is_cell(args[0] if args else None):
            self.busy = True
            try:
                if self.modules is None:
                    self.snapshot()
                found = self.findings()
            finally:
                self.busy = False
            if found:
                self.tamper(found)


#: Environment variable: more read-only directories for student code (``os.pathsep``-separated), e.g. where
#: the packages of an installation made of links really are.
EXTRA_READ_ROOTS = "BACKPROP_COURSE_READ_ROOTS"

#: Extension modules that start processes without an audit event: unloaded at install, never imported again.
UNAUDITED_MODULES = ("_posixsubprocess",)


def _drop_unaudited_modules() -> None:
    for name in UNAUDITED_MODULES:
        module = sys.modules.pop(name, None)
        if module is None:
            continue
        for other in list(sys.modules.values()):
            for attr, value in list(getattr(other, "__dict__", {}).items()):
                if value is module or getattr(value, "__self__", None) is module:  # e.g. subprocess._fork_exec
                    setattr(other, attr, None)


def install(report: str, read_roots, write_roots, shell=None, check_aliases: bool = True) -> Guard:
    """Snapshot what the tests rely on and install the audit hook (for the rest of the process's life).

    Parameters
    ----------
    report : str
        File the guard writes its findings to before it ends the kernel.
    read_roots, write_roots : iterable of str
        Directories (and everything below) student code may read, and may write.
    shell : IPython.core.interactiveshell.InteractiveShell or None
        The kernel's shell, whose methods and hooks are watched too.
    check_aliases : bool
        Also end the kernel when the notebook rebinds ``np``, ``checks``, ... (`MODULE_ALIASES`): needed
        only when test cells run in the kernel, not under the judge.

    Returns
    -------
    guard : Guard
    """
    guard = Guard(report, read_roots, write_roots, shell, check_aliases)
    _drop_unaudited_modules()
    sys.addaudithook(guard)
    return guard


def default_read_roots() -> list[str]:
    """The Python installation, its packages and the course data directories (read-only for students)."""
    import site
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib", "/lib64", "/etc", "/opt",
             "/sys/devices/system/cpu", "/sys/fs/cgroup",
             "/proc"}  # links there (/proc/<pid>/cwd, root, fd/) are resolved first, so they lead nowhere new
    roots.update(p for p in sysconfig.get_paths().values() if p)
    roots.update(p for p in (getattr(site, "getsitepackages", lambda: [])() + [site.getusersitepackages()]) if p)
    try:
        import autograder

        roots.add(os.path.dirname(autograder.__file__))
    except ImportError:  # pragma: no cover
        pass
    for var in ("MNIST_DIR", "BACKPROP_COURSE_CACHE", "MPLCONFIGDIR"):
        if os.environ.get(var):
            roots.add(os.environ[var])
    # an installation whose packages are links to elsewhere (a link farm): the targets, named by the instructor
    roots.update(p for p in os.environ.get(EXTRA_READ_ROOTS, "").split(os.pathsep) if p)
    home = os.path.expanduser("~")
    roots.update({os.path.join(home, ".cache", "backprop-course"), os.path.join(home, ".cache", "matplotlib"),
                  os.path.join(home, ".config", "matplotlib"), os.path.join(home, ".ipython"),
                  os.path.join(home, ".local", "share", "jupyter")})
    return sorted(roots)
