"""The judge's protocol against a real kernel: data both ways, references, copy-back of changed arguments,
student exceptions, stand-ins, a hung call, a dead kernel, refused and forged replies."""

from __future__ import annotations

import numpy as np
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from autograder.checks import spy
from autograder.engine.job_dir import write_kernelspecs
from autograder.judge.link import CallTimeout, KernelDied, KernelLink, ProtocolError, StudentError
from autograder.judge.remote import JudgeNamespace, RemoteRef, Session
from autograder.judge.runner import run_code

pytestmark = pytest.mark.xdist_group("judge-link")

STUDENT = r'''
import numpy as np, sys, time

def double(x):
    return 2.0 * x

def inplace(a, lst, d, t):
    a *= 2
    lst.append(99)
    lst[0] = "new"
    d["w"] += 1
    d["fresh"] = np.zeros(2)
    t[0][:] = -1
    return None

def relu_in_place(x):
    x[x < 0] = 0.0
    return x

def rebinds(d):
    d["w"] = d["w"] + 1          # a new array under the same key: the caller's array is untouched

def fails(x):
    raise ValueError("bad input %r" % (x,))

def warns():
    return np.exp(np.array([1000.0]))

def noisy():
    print("to stdout")
    print("to stderr", file=sys.stderr)
    return 1

def hang():
    while True:
        time.sleep(0.01)

def die():
    import os
    os._exit(3)

def big():
    return np.zeros(4 * 1024 * 1024)        # 32 MiB

class Net:
    def __init__(self):
        self.params = {"W": np.ones((2, 2))}
    def scale(self, k):
        self.params["W"] = self.params["W"] * k
        return self

class Liar(float):
    def __eq__(self, other):
        return True

def lie():
    return Liar(0.0)

b = 2
'''


@pytest.fixture
def kernel(tmp_path):
    write_kernelspecs(tmp_path, [("judge-test", "judge test")], None, judge=True)
    km = KernelManager(kernel_name="judge-test", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")]))
    km.start_kernel(cwd=str(tmp_path))
    kc = km.blocking_client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    reply = kc.execute_interactive(STUDENT, timeout=60)
    assert reply["content"]["status"] == "ok"
    links = []

    def connect(**kwargs):
        link = KernelLink(km, **kwargs)
        links.append(link)
        return link

    yield km, kc, connect
    for link in links:
        link.close()
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _session(connect, **kwargs):
    outputs = []
    link = connect(on_output=outputs.append, **kwargs)
    return Session(link, lambda: kwargs.get("deadline", 20)), outputs


def test_data_both_ways_with_exact_types(kernel):
    _, _, connect = kernel
    s, _ = _session(connect)
    double = s.lookup("double")
    assert type(double) is RemoteRef
    for value in [np.arange(5.0), np.eye(3, dtype=np.float32), 3, 2.5, 1j]:
        out = double(value)
        expected = 2.0 * value
        assert type(out) is type(expected)
        assert np.array_equal(out, expected)
    assert s.lookup("b") == 2 and type(s.lookup("b")) is int
    out = double(x=np.float64(1.5))
    assert type(out) is np.float64 and out == 3.0


def test_objects_are_references_and_lying_objects_never_arrive(kernel):
    _, _, connect = kernel
    s, _ = _session(connect)
    net = s.lookup("Net")()
    assert type(net) is RemoteRef and "Net" in repr(net)
    params = net.params
    assert type(params) is dict and type(params["W"]) is np.ndarray
    assert net.scale(3.0) is not net          # a fresh reference object, the same kernel object
    assert np.array_equal(net.params["W"], 3.0 * np.ones((2, 2)))
    net.params = {"W": np.zeros((1, 1))}
    assert net.params["W"].shape == (1, 1)
    before = s.link.requests
    net.scale(2.0)                            # a method seen before: one request, looked up when called
    assert s.link.requests == before + 1 and np.array_equal(net.params["W"], np.zeros((1, 1)))
    rec = s.construct("Recorder", {"returns": None, "results": None, "wraps": net.scale})
    assert type(rec) is RemoteRef             # the method, fetched to be passed as an argument
    liar = s.lookup("lie")()
    assert type(liar) is RemoteRef and not (liar == 1.0)
    with pytest.raises(AttributeError):
        liar.__float__
    with pytest.raises(TypeError, match="cannot be passed"):
        s.lookup("double")(lambda: 0)


def test_changed_arguments_are_copied_back_in_place(kernel):
    _, _, connect = kernel
    s, _ = _session(connect)
    a, w, inner = np.ones(3), np.zeros(2), np.ones(2)
    lst, d, t = ["old", 1], {"w": w}, (inner,)
    keep_lst, keep_d = lst, d
    s.lookup("inplace")(a, lst, d, t)
    assert np.array_equal(a, 2 * np.ones(3))
    assert lst is keep_lst and lst == ["new", 1, 99]
    assert d is keep_d and d["w"] is w and np.array_equal(w, np.ones(2)) and list(d) == ["w", "fresh"]
    assert np.array_equal(inner, -np.ones(2))
    x = np.array([-1.0, 2.0])
    out = s.lookup("relu_in_place")(x)               # returns the argument it changed: both arrive
    assert np.array_equal(out, [0.0, 2.0]) and np.array_equal(x, [0.0, 2.0])
    d2 = {"w": np.zeros(2)}
    old = d2["w"]
    s.lookup("rebinds")(d2)
    assert d2["w"] is not old and np.array_equal(old, np.zeros(2)) and np.array_equal(d2["w"], np.ones(2))


def test_student_exceptions_keep_their_type_and_only_student_frames(kernel):
    _, _, connect = kernel
    s, _ = _session(connect)
    with pytest.raises(ValueError, match="bad input 5") as info:
        s.lookup("fails")(5)
    assert isinstance(info.value, StudentError) and info.value.ename == "ValueError"
    trace = "".join(info.value.student_traceback)
    assert "fails" in trace and "autograder" not in trace
    with pytest.raises(NameError):
        s.lookup("no_such_name")


def test_strict_calls_raise_floating_point_errors_in_the_kernel(kernel):
    from autograder import checks

    _, _, connect = kernel
    s, _ = _session(connect)
    warns = s.lookup("warns")
    assert np.isinf(warns()[0])                       # an ordinary call: numpy's default (a warning)
    with pytest.raises(checks.CheckFailure, match="overflow"):
        checks.check_no_warnings(warns, where="warns()")


def test_output_of_student_code_reaches_the_judge(kernel):
    _, _, connect = kernel
    s, outputs = _session(connect)
    assert s.lookup("noisy")() == 1
    texts = {(m["content"]["name"], m["content"]["text"].strip()) for m in outputs if m["msg_type"] == "stream"}
    assert ("stdout", "to stdout") in texts and ("stderr", "to stderr") in texts


def test_recorder_and_replaced_are_built_in_the_kernel(kernel):
    _, kc, connect = kernel
    s, _ = _session(connect)
    rec = s.construct("Recorder", {"returns": np.ones(2), "results": None, "wraps": s.lookup("double")})
    assert type(rec) is RemoteRef
    assert np.array_equal(s.lookup("double")(rec(np.arange(2.0))), [0.0, 4.0])
    (args, kwargs), = rec.calls
    assert np.array_equal(args[0], [0.0, 1.0]) and kwargs == {}
    ns = JudgeNamespace(s)
    spy._JUDGE.update(construct=s.construct, swap=s.swap_global)
    try:
        ns.update({"replaced": spy.replaced, "np": np})
        run_code('with replaced("double", "tanh_derivative"):\n    inside = double(np.zeros(2))\n'
                 'after = double(np.ones(2))', ns, "<t>")
    finally:
        spy._JUDGE.update(construct=None, swap=None)
    assert np.array_equal(ns["inside"], [1.0, 1.0]) and np.array_equal(ns["after"], [2.0, 2.0])


def test_a_hung_call_times_out(kernel):
    _, _, connect = kernel
    outputs = []
    s = Session(connect(on_output=outputs.append), lambda: 1.0)
    with pytest.raises(CallTimeout):
        s.lookup("hang")()


def test_a_dead_kernel_mid_call_is_reported(kernel):
    _, _, connect = kernel
    s, _ = _session(connect)
    with pytest.raises(KernelDied):
        s.lookup("die")()


def test_an_oversized_reply_is_refused_unread(kernel):
    _, _, connect = kernel
    outputs = []
    s = Session(connect(on_output=outputs.append, max_reply_bytes=1024 * 1024), lambda: 3.0)
    with pytest.raises(CallTimeout):
        s.lookup("big")()


def test_forged_and_malformed_replies_on_the_shell_are_protocol_errors(kernel):
    _, kc, connect = kernel
    s, _ = _session(connect, fast=False)
    forge = r'''
import autograder.judge.server as _srv
_real = _srv._server.handle
def _forged(stream, ident, parent):
    kernel = get_ipython().kernel
    op = parent["content"].get("op")
    if op == "lookup" and parent["content"].get("name") == "b":
        reply = {"status": "ok", "value": {"t": "a", "dtype": "O", "shape": [1], "buf": 0}, "copyback": []}
        kernel.session.send(stream, "autograder_judge_reply", reply, parent, ident=ident, buffers=[b"x" * 8])
    elif op == "lookup" and parent["content"].get("name") == "weird":
        kernel.session.send(stream, "autograder_judge_reply", {"status": "verdict: pass"}, parent, ident=ident)
    else:
        _real(stream, ident, parent)
kernel = get_ipython().kernel
kernel.shell_handlers["autograder_judge_request"] = _forged
'''
    assert kc.execute_interactive(forge, timeout=30)["content"]["status"] == "ok"
    with pytest.raises(ProtocolError):
        s.lookup("b")
    with pytest.raises(ProtocolError):
        s.lookup("weird")
    assert type(s.lookup("double")) is RemoteRef        # everything else still answered


def test_forged_and_malformed_replies_on_the_judges_line_are_protocol_errors(kernel):
    _, kc, connect = kernel
    s, _ = _session(connect)
    forge = r'''
import autograder.judge.server as _srv
_real = _srv._server.answer
def _forged(content, buffers):
    if content.get("op") == "lookup" and content.get("name") == "b":
        return {"status": "ok", "value": {"t": "a", "dtype": "O", "shape": [1], "buf": 0}, "copyback": []}, [b"x" * 8]
    if content.get("op") == "lookup" and content.get("name") == "weird":
        return {"status": "verdict: pass"}, []
    return _real(content, buffers)
_srv._server.answer = _forged
'''
    assert kc.execute_interactive(forge, timeout=30)["content"]["status"] == "ok"
    with pytest.raises(ProtocolError):
        s.lookup("b")
    with pytest.raises(ProtocolError):
        s.lookup("weird")
    assert type(s.lookup("double")) is RemoteRef
    assert s.link.line is not None and s.link._serving is not None   # these went on the judge's line


def test_the_line_pauses_so_notebook_cells_run_between_test_cells(kernel):
    _, kc, connect = kernel
    s, outputs = _session(connect)
    factor = 2.0
    for i in range(3):
        assert s.lookup("double")(5.0) == 5.0 * factor
        assert s.link._serving is not None
        s.link.pause()
        assert s.link._serving is None
        factor = i + 3.0
        reply = kc.execute_interactive(f"double = lambda x: x * {factor}", timeout=10)
        assert reply["content"]["status"] == "ok"
    assert s.lookup("noisy")() == 1
    texts = [m["content"]["text"].strip() for m in outputs if m["msg_type"] == "stream"]
    assert texts.count("to stdout") == 1 and texts.count("to stderr") == 1   # each output once, before the answer


def test_the_shell_path_still_answers_without_the_line(kernel):
    _, _, connect = kernel
    s, outputs = _session(connect, fast=False)
    assert s.lookup("double")(4.0) == 8.0 and s.lookup("noisy")() == 1
    assert s.link.line is None
    texts = {m["content"]["text"].strip() for m in outputs if m["msg_type"] == "stream"}
    assert {"to stdout", "to stderr"} <= texts
