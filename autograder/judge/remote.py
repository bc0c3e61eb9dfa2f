"""References to the student's objects, and the namespace test code runs in inside the judge.

A test cell that the judge runs sees three kinds of names, resolved in this order:

1. its own and the judge's: what the cell itself defines, Python's builtins, and the names of the
   notebook's locked, given cells, which the judge runs itself from the instructor's source
   (`JudgeNamespace.given`), lazily, the first time a test needs one of their names;
2. everything else comes from the student's kernel (`Session.lookup`): data arrives as exact data
   (see `wire`), any other object as a `RemoteRef`.

A `RemoteRef` can be called, and its attributes read and set, and nothing more: it has no
``__eq__``, ``__array__``, ``__float__`` or ``__len__`` of the student's, so a check never runs a
method of the student's object. Arguments go to the kernel as data or as references to the kernel's own
objects; a judge function cannot be passed (a test that needs a stand-in uses
`autograder.checks.spy.recorder`, a library object built in the kernel).
"""

from __future__ import annotations

import ast
import builtins

from . import wire
from .link import KernelLink, ProtocolError


class RemoteRef:
    """An object that lives in the student's kernel (see the module docstring)."""

    __slots__ = ("_judge_session", "_judge_id", "_judge_type")

    def __init__(self, session, ref_id: int, type_name: str):
        object.__setattr__(self, "_judge_session", session)
        object.__setattr__(self, "_judge_id", ref_id)
        object.__setattr__(self, "_judge_type", type_name)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # protocols (__array__, __len__, ...) are never the student's
        session = self._judge_session
        if (self._judge_id, name) in session.methods:
            return RemoteMethod(self, name)  # a method seen before: looked up when it is called
        value = session.getattr(self, name)
        if type(value) is RemoteRef and value._judge_type == "method":
            session.methods.add((self._judge_id, name))
        return value

    def __setattr__(self, name, value):
        self._judge_session.setattr(self, name, value)

    def __call__(self, *args, **kwargs):
        return self._judge_session.call(self, args, kwargs)

    def __judge_call_strict__(self, args, kwargs):
        """Call with floating-point errors and RuntimeWarnings raised in the kernel (`check_no_warnings`)."""
        return self._judge_session.call(self, args, kwargs, strict=True)

    def __repr__(self):
        return f"<the notebook's {self._judge_type} object>"

    def __dir__(self):
        return []


class RemoteMethod:
    """``obj.name`` of a `RemoteRef` whose attribute was a method before: calling it is one request
    (``call_method``, the attribute looked up at call time); any other use fetches the attribute."""

    __slots__ = ("_judge_obj", "_judge_name")

    def __init__(self, obj: RemoteRef, name: str):
        object.__setattr__(self, "_judge_obj", obj)
        object.__setattr__(self, "_judge_name", name)

    def _judge_fetch(self):
        return self._judge_obj._judge_session.getattr(self._judge_obj, self._judge_name)

    def __call__(self, *args, **kwargs):
        return self._judge_obj._judge_session.call(self._judge_obj, args, kwargs, method=self._judge_name)

    def __judge_call_strict__(self, args, kwargs):
        return self._judge_obj._judge_session.call(self._judge_obj, args, kwargs, strict=True, method=self._judge_name)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(self._judge_fetch(), name)

    def __setattr__(self, name, value):
        setattr(self._judge_fetch(), name, value)

    def __repr__(self):
        return f"<the notebook's method {self._judge_name}>"


def _apply(target, patch, fresh):
    """Apply a copy-back patch (see `server._patch`) to the judge's own object ``target``; the new value."""
    if patch is None:
        return target
    if "set" in patch:
        new = fresh(patch["set"])
        if wire.is_data_array(target) and wire.is_data_array(new) and target.dtype == new.dtype:
            if target.shape != new.shape and target.size == new.size:
                target.shape = new.shape
            if target.shape == new.shape:
                target[...] = new
                return target
        if type(target) is dict and type(new) is dict:
            target.clear()
            target.update(new)
            return target
        return new
    if "tuple" in patch and type(target) is tuple:
        for item, p in zip(target, patch["tuple"]):
            _apply(item, p, fresh)
        return target
    if "list" in patch and type(target) is list:
        old = list(target)
        target[:] = [_entry(old, e, fresh) for e in patch["list"]]
        return target
    if "dict" in patch and type(target) is dict:
        old = dict(target)
        items = [(k, _entry(old, e, fresh)) for k, e in patch["dict"]]
        target.clear()
        target.update(items)
        return target
    raise ProtocolError("a copy-back patch does not fit the argument it was sent for")


def _entry(old, entry, fresh):
    if type(entry) is not dict:
        raise ProtocolError("malformed copy-back entry")
    if "new" in entry:
        return fresh(entry["new"])
    key = entry.get("keep")
    try:
        return _apply(old[key], entry.get("patch"), fresh)
    except (KeyError, IndexError, TypeError):
        raise ProtocolError("a copy-back entry refers to an item the argument did not have") from None


class Session:
    """The judge's operations on one kernel, through a `KernelLink`; ``deadline()`` gives each request's
    time limit (the seconds left of the running test cell), or None."""

    def __init__(self, link: KernelLink, deadline=lambda: None):
        self.link = link
        self.deadline = deadline
        #: how many globals `swap_global` changed (references cached for names are stale after a swap)
        self.swaps = 0
        #: ``(reference id, attribute)`` pairs that were bound methods (see `RemoteMethod`)
        self.methods: set = set()

    # -------------------------------------------------------------- encoding
    def _ref_node(self, obj) -> dict:
        if type(obj) is RemoteMethod:
            obj = obj._judge_fetch()
        if type(obj) is RemoteRef and obj._judge_session is self:
            return {"t": "r", "id": obj._judge_id, "type": obj._judge_type}
        if type(obj) is RemoteRef:
            raise TypeError("this object belongs to a kernel that is no longer running")
        raise TypeError(f"a {type(obj).__name__} cannot be passed to the notebook's code: only data (numbers, "
                        f"strings, numpy arrays, lists, tuples, dicts) and the notebook's own objects can")

    def _decoder(self, buffers) -> wire.Decoder:
        """A decoder of one reply, whose reference nodes become `RemoteRef` objects of this session."""
        return wire.Decoder(buffers, lambda n: RemoteRef(self, n["id"], str(n.get("type", "object"))[:100]))

    @staticmethod
    def _checked(decoder: wire.Decoder, node):
        try:
            return decoder.decode(node)
        except wire.WireError as exc:
            raise ProtocolError(f"the kernel's reply is not data: {exc}") from None

    def _decode(self, node, buffers):
        return self._checked(self._decoder(buffers), node)

    def _request(self, op: str, args: tuple, **fields):
        enc = wire.Encoder(self._ref_node)
        content, buffers = self.link.request(op, args, timeout=self.deadline(), encoder=enc, **fields)
        if content["status"] == "error":
            self.link.raise_student_error(content)
        return content, buffers

    # -------------------------------------------------------------- operations
    def lookup(self, name: str):
        """The value of the notebook's global ``name`` (`NameError` when it has none)."""
        content, buffers = self._request("lookup", (), name=name)
        return self._decode(content.get("value"), buffers)

    def getattr(self, ref: RemoteRef, name: str):
        content, buffers = self._request("getattr", (ref,), name=str(name))
        return self._decode(content.get("value"), buffers)

    def setattr(self, ref: RemoteRef, name: str, value) -> None:
        self._request("setattr", (ref, value), name=str(name))

    def call(self, ref: RemoteRef, args: tuple, kwargs: dict, strict: bool = False, method: str | None = None):
        """Call the kernel's object (or its attribute ``method``); mutable arguments the call changed are
        updated in place here."""
        for key in kwargs:
            if type(key) is not str:
                raise TypeError("keyword names must be strings")
        if method is None:
            content, buffers = self._request("call", (ref, tuple(args), dict(kwargs)), strict=bool(strict))
        else:
            content, buffers = self._request("call_method", (ref, tuple(args), dict(kwargs)), strict=bool(strict),
                                             name=str(method))
        patches = content.get("copyback")
        targets = list(args) + list(kwargs.values())
        if type(patches) is not list or len(patches) != len(targets):
            raise ProtocolError("the kernel's reply has no copy-back for each argument")
        # one decoder for the value and the patches, in the kernel's order: a patch may refer back to the
        # value (a function that returns the array it changed in place)
        decoder = self._decoder(buffers)

        def fresh(node):
            return self._checked(decoder, node)

        value = fresh(content.get("value"))
        for target, patch in zip(targets, patches):
            if patch is not None:
                if type(patch) is not dict:
                    raise ProtocolError("malformed copy-back patch")
                _apply(target, patch, fresh)
        return value

    def swap_global(self, name: str, value=None, delete: bool = False):
        """Bind the notebook's global ``name`` to ``value`` (or delete it); the old value (None if unset)."""
        self.swaps += 1
        content, buffers = self._request("swap_global", (value,), name=str(name), delete=bool(delete))
        return self._decode(content.get("value"), buffers)

    def construct(self, what: str, kwargs: dict):
        """A library object built in the kernel (only `autograder.checks.spy.Recorder`)."""
        content, buffers = self._request("construct", (dict(kwargs),), what=what)
        return self._decode(content.get("value"), buffers)


# ---------------------------------------------------------------------------------------- names
def defined_names(source: str) -> set[str] | None:
    """Top-level names a cell binds (assignments, ``def``, ``class``, imports, loop and ``with`` targets).

    Returns
    -------
    names : set of str, or None
        None when the cell cannot be analysed (a syntax error, ``from m import *``).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: set[str] = set()

    def visit(node) -> bool:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            return True
        if isinstance(node, ast.Lambda):
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return False
                names.add(alias.asname or alias.name.split(".")[0])
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return True
        return all(visit(child) for child in ast.iter_child_nodes(node))

    return names if visit(tree) else None


class JudgeNamespace(dict):
    """The globals of test code in the judge (see the module docstring).

    ``given`` holds the locked cells before the running test cell that the judge has not run yet:
    ``(names, run)`` pairs, in notebook order, where ``run()`` executes the cell in this namespace.
    """

    def __init__(self, session: Session | None = None):
        super().__init__()
        self.session = session
        self.given: list = []
        #: references the kernel gave for names during the running test cell (`forget` empties it): a
        #: function called in a loop is looked up once per cell, not once per call
        self.refs: dict[str, tuple] = {}
        self["__name__"] = "__main__"
        self["__builtins__"] = builtins

    def run_given(self, name: str | None = None) -> None:
        """Run the pending given cells up to the last one that binds ``name`` (all of them for None)."""
        last = -1
        for i, (names, _) in enumerate(self.given):
            if name is None or names is None or name in names:
                last = i
        todo, self.given = self.given[:last + 1], self.given[last + 1:]
        for _, run in todo:
            run()

    def __missing__(self, name):
        if name in builtins.__dict__:
            raise KeyError(name)  # Python's own builtins, never the notebook's
        if self.given:
            self.run_given(name)
            if dict.__contains__(self, name):
                return dict.__getitem__(self, name)
        if self.session is None or name.startswith("__"):
            raise KeyError(name)
        cached = self.refs.get(name)
        if cached is not None and cached[0]._judge_session is self.session and cached[1] == self.session.swaps:
            return cached[0]
        try:
            value = self.session.lookup(name)
        except NameError:
            raise KeyError(name) from None
        if type(value) is RemoteRef:
            self.refs[name] = (value, self.session.swaps)
        return value

    def forget(self) -> None:
        """Forget the references of names (at the start of each test cell, and when a global is swapped)."""
        self.refs.clear()
