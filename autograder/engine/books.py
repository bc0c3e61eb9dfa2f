"""What a run writes about each result besides the gradebook: the ledger line and the grade-log lines.

One `RunBooks` per assignment of a run; every assignment of one run shares the run id, so the grade
log shows which results one ``autograder grade`` call produced.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from ..course.gradebook import SubmissionResult
from .importer import FAILED, GRADED, LIMIT, Imported
from .jobs import Job, JobResult
from .ledger import Ledger, grade_log


def new_run_id() -> str:
    """A short random id for one run (in Dask keys, the ledger and the grade log)."""
    return uuid.uuid4().hex[:12]


class RunBooks:
    """The ledger and the grade log of one assignment in one run."""

    def __init__(self, course_dir: Path, assignment: str, notebooks: list[str], run: str | None = None):
        self.course_dir, self.assignment, self.notebooks = course_dir, assignment, notebooks
        self.ledger, self.log, self.run = Ledger(course_dir), grade_log(course_dir), run or new_run_id()

    def write(self, job: Job, res: JobResult | None, imp: Imported, began: float | None = None) -> SubmissionResult:
        """Ledger line (only for what the gradebook now holds), log lines; the submission's result.

        ``began`` (``time.perf_counter()`` when the coordinator took the result up) gives the log's
        ``coordinator_s``: all the coordinator's work on this result, the import and the ledger included;
        ``own_s`` is the part no import process can take over (the ledger line, fsynced)."""
        own = time.perf_counter()
        done_at = time.time()
        cells = imp.cells if imp.recorded else []  # read back by the import, in the import's process
        common = {"run": self.run, "assignment": self.assignment, "student": job.student, "status": imp.status,
                  "worker": res.worker if res else None}
        if imp.status in (GRADED, LIMIT, FAILED) and imp.recorded:
            self.ledger.append(dict(
                common, key=job.key, grading=job.grading, reasons=imp.reasons, scores={c.grade_id: [c.score, c.max_score] for c in cells},
                auto_score=sum(c.score for c in cells if c.autograded),
                auto_max=sum(c.max_score for c in cells if c.autograded), submitted_at=job.submitted_at,
                started_at=res.started_at if res else None, finished_at=res.finished_at if res else None,
                imported_at=done_at))
        own_s = time.perf_counter() - own  # this process's own work on the result: the ledger's fsynced line
        coordinator_s = time.perf_counter() - began if began is not None else None
        runs = res.notebooks if res is not None else {}
        for name in sorted(set(self.notebooks) | set(runs)):
            run = runs.get(name)
            self.log.append(dict(
                common, time=done_at, notebook=name, queue_wait_s=res.queue_wait_s if res else None,
                kernel_start_s=run.kernel_start_s if run else None, warm_kernel=run.warm_kernel if run else None,
                execution_s=run.execution_s if run else None,
                scoring_s=imp.scoring_s, coordinator_s=coordinator_s, own_s=own_s,
                total_s=done_at - job.submitted_at,
                worker_s=res.finished_at - res.started_at if res else None,
                phases=res.phases if res else None, cold_kernel=res.cold_kernel if res else None,
                reason="; ".join(imp.reasons),
                judge=run.judge if run else None))
        return SubmissionResult(job.student, self.assignment, imp.status in (GRADED, LIMIT),
                                seconds=done_at - job.submitted_at, error="; ".join(imp.reasons), cells=cells,
                                status=imp.status, reasons=imp.reasons)
