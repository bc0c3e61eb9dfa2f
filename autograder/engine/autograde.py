"""nbgrader's Autograde run on one submission with another step in place of ``Execute``.

nbgrader's ``Autograde`` converter runs ``autograde_preprocessors`` (``Execute``, ``IgnorePattern``,
``ClearMetadataPreprocessor``, ``LimitOutput``, ``SaveAutoGrades``, ``AssignLatePenalties``,
``CheckCellMetadata``) on the sanitized notebook. On a worker the engine swaps ``Execute`` for the judge's
`autograder.judge.execute.JudgedExecute` and leaves out the steps that only write the gradebook
(`autograder.engine.record.RECORD_STEPS`: the worker's gradebook is a scratch copy); in the course directory
`autograder.engine.record.RecordAutograded` runs those steps, once, on the notebook the worker's Autograde
wrote.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import Execute


def replace_execute(preprocessors: list, replacement: type) -> list:
    """``preprocessors`` with each entry that is (a subclass of) nbgrader's Execute swapped for another.

    Parameters
    ----------
    preprocessors : list
        Classes, instances or dotted names, as nbgrader's ``autograde_preprocessors`` allows.
    replacement : type

    Returns
    -------
    preprocessors : list
    """
    out, found = [], False
    for pp in preprocessors:
        if issubclass(_step_class(pp), Execute):
            out.append(replacement)
            found = True
        else:
            out.append(pp)
    if not found:
        raise ValueError("Autograde.autograde_preprocessors has no Execute step to replace")
    return out


def without_steps(preprocessors: list, steps: tuple[type, ...]) -> list:
    """``preprocessors`` less each entry that is (a subclass of) one of ``steps``.

    Parameters
    ----------
    preprocessors : list
        Classes, instances or dotted names, as nbgrader's ``autograde_preprocessors`` allows.
    steps : tuple of type

    Returns
    -------
    preprocessors : list
    """
    return [pp for pp in preprocessors if not issubclass(_step_class(pp), steps)]


def _step_class(pp) -> type:
    """The class of one ``autograde_preprocessors`` entry (a class, an instance or a dotted name)."""
    from traitlets.utils.importstring import import_item

    cls = import_item(pp) if isinstance(pp, str) else pp
    return cls if isinstance(cls, type) else type(cls)


def autograde_with(course_root: Path, assignment: str, student: str, execute: type | None, config=None,
                   converter: type | None = None, without: tuple[type, ...] = ()) -> dict:
    """Run nbgrader's Autograde (forced) on one submission with ``execute`` in place of Execute.

    Parameters
    ----------
    course_root : Path
        Course directory (its ``nbgrader_config.py`` is loaded, as for every nbgrader command).
    assignment, student : str
    execute : type or None
        A subclass of nbgrader's Execute (the judge's `JudgedExecute` on a worker); None keeps the
        converter's preprocessors.
    config : traitlets.config.Config or None
        Merged over the course configuration.
    converter : type or None
        nbgrader's ``Autograde`` (default) or a subclass, e.g. `autograder.engine.record.RecordAutograded`.
    without : tuple of type
        Steps of ``autograde_preprocessors`` left out (a worker leaves out `record.RECORD_STEPS`).

    Returns
    -------
    outcome : dict
        nbgrader's ``capture_log`` result: ``success``, and ``error`` / ``log`` when there are any.
    """
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log, temp_attrs

    from ..course.config import load_config

    cfg = load_config(course_root)
    cfg.NbGraderAPI.log_level = logging.WARNING
    if config is not None:
        cfg.merge(config)
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
        app = (converter or Autograde)(coursedir=api.coursedir, parent=api)
        app.force = True
        app.create_student = True
        if execute is not None:
            app.autograde_preprocessors = replace_execute(list(app.autograde_preprocessors), execute)
        if without:
            app.autograde_preprocessors = without_steps(list(app.autograde_preprocessors), without)
        return capture_log(app)
