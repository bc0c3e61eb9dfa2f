"""Can this worker grade this assignment? Checked on the worker itself, before any student is scored there.

A worker that cannot load the data a notebook needs, lacks the sandbox the other workers have, or runs
another version of the package would score its students wrongly (every MNIST test 0, kernels with
network, other hidden tests) while the run says "graded". So each job checks its own worker first
(once per worker process, cached) and raises `UnfitWorker` instead of grading; the coordinator sends
that job to another worker and stops sending work to the unfit one, and stops the run with the reasons
when no worker is left. The coordinator also checks every worker present at start-up (`survey`), and
refuses workers with more than one thread: a worker grades one notebook at a time (nbgrader changes
the process's working directory), so its extra threads would sit idle while the run counts on them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


class UnfitWorker(RuntimeError):
    """Raised by a job on a worker that cannot grade it; ``args`` = (worker address, reason)."""

    @property
    def address(self) -> str:
        return self.args[0]

    @property
    def reason(self) -> str:
        return self.args[1]


@dataclass(frozen=True)
class Requirements:
    """What a worker must offer to grade the jobs of a run (decided by the coordinator, sent with each job)."""

    version: str            #: the coordinator's ``autograder.__version__``
    mnist: bool = False     #: a notebook loads MNIST
    sandbox: bool = False   #: kernels run without network (the guard is on and a worker has the sandbox)
    moons: bool = False     #: a notebook loads the moons (not a condition: the worker caches the split)


def needs_mnist(source: dict[str, bytes]) -> bool:
    """Whether an assignment's source files load MNIST."""
    return any(b"load_mnist" in data for data in source.values())


def needs_moons(source: dict[str, bytes]) -> bool:
    """Whether an assignment's source files load the moons (``load_moons``)."""
    return any(b"load_moons" in data for data in source.values())


def inspect_worker(mnist: bool, moons: bool = False) -> dict:
    """What this process can offer (run on a worker): package version, sandbox, MNIST.

    Parameters
    ----------
    mnist : bool
        Also load MNIST (filling the worker's cache, so that kernels find it).
    moons : bool, default=False
        Also load the default moons split once, so that it is in the worker's cache and kernels read it
        instead of importing scikit-learn (`autograder.data.moons`); a failure here is left to the kernels.

    Returns
    -------
    info : dict
        ``version`` (str), ``sandbox`` (bool), ``mnist`` (str: empty when ready, else why not).
    """
    from .. import __version__
    from .sandbox import probe

    if moons:
        _cache_moons()
    return {"version": __version__, "sandbox": probe()[0], "mnist": _mnist_problem() if mnist else ""}


def _mnist_problem() -> str:
    import warnings

    from ..data import load_mnist

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_mnist(progress=False)
    except Exception as exc:  # noqa: BLE001 - the reason is the result
        return f"cannot load MNIST ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
    return ""


def _cache_moons() -> None:
    try:
        from ..data import load_moons

        load_moons()
    except Exception:  # noqa: BLE001 - only a cache: each kernel makes the split itself then
        pass


def unfit_reason(info: dict, needs: Requirements, nthreads: int = 1) -> str:
    """Why a worker described by `inspect_worker` cannot grade, or ``""``.

    Parameters
    ----------
    info : dict
        From `inspect_worker`.
    needs : Requirements
    nthreads : int
        The worker's threads.

    Returns
    -------
    reason : str
    """
    if info.get("version") != needs.version:
        return f"runs autograder {info.get('version')}, the coordinator {needs.version}: install the same version"
    if needs.mnist and info.get("mnist"):
        return f"{info['mnist']}; put MNIST there (MNIST_DIR) or let it download once"
    if needs.sandbox and not info.get("sandbox"):
        return "has no sandbox (kernels would have network) while other workers do"
    if nthreads > 1:
        return (f"has {nthreads} threads but grades one notebook at a time: start workers with --nthreads 1 "
                "(and more of them)")
    return ""


@functools.lru_cache(maxsize=8)
def own_problem(needs: Requirements, nthreads: int = 1) -> str:
    """`unfit_reason` for the worker process this runs in (checked once per requirements)."""
    return unfit_reason(inspect_worker(needs.mnist, needs.moons), needs, nthreads)


def check_own_worker(needs: Requirements | None, address: str, nthreads: int = 1) -> None:
    """Raise `UnfitWorker` when this worker cannot grade jobs with these requirements.

    Parameters
    ----------
    needs : Requirements or None
        None: nothing to check (a job built without a coordinator).
    address : str
        This worker's address, for the message.
    nthreads : int
        This worker's threads.
    """
    if needs is None:
        return
    problem = own_problem(needs, nthreads)
    if problem:
        raise UnfitWorker(address, problem)


def survey(client, mnist: bool, moons: bool = False) -> dict[str, dict]:
    """`inspect_worker` on every worker of a client, with its thread count.

    Parameters
    ----------
    client : distributed.Client
    mnist, moons : bool
        Passed to `inspect_worker`.

    Returns
    -------
    infos : dict
        Worker address -> info dict, plus ``nthreads``.
    """
    infos = client.run(inspect_worker, mnist, moons)
    for address, worker in client.scheduler_info()["workers"].items():
        if address in infos:
            infos[address]["nthreads"] = worker.get("nthreads", 1)
    return infos
