"""Parallel, resumable grading on Dask that writes the course exactly as ``nbgrader autograde`` does.

``autograder grade ASSIGNMENT`` runs `coordinator.grade_parallel`:

* ``coordinator`` (the CLI process) lists the submissions, skips those the ledger
  ``<course>/.autograder/graded.jsonl`` lists with the same content key (sha256 of the assignment's
  source files, ``nbgrader_config.py``, the submission's files and the grading fingerprint: package
  version, limits, the check library's and the judge's code), hands one job per submission to
  Dask and imports the results as they complete;
* ``worker_processes`` forks the local cluster's workers from a server that imported the grading code;
* ``worker.grade_job`` runs on a Dask worker: it rebuilds a scratch course directory from the job
  (everything travels by value: ``jobs``), runs nbgrader's Autograde there with
  the judge's ``JudgedExecute`` (a ``guarded_execute.GuardedExecute``: limits, dead kernels, timings) in
  place of ``Execute``, leaves out the steps that write the gradebook (``record.RECORD_STEPS``) and sends
  back the autograded notebook(s);
* ``importer.import_result`` writes a result into the course with ``record.RecordAutograded``: nbgrader's
  own bookkeeping, ``SaveAutoGrades`` and ``AssignLatePenalties`` on the notebook the worker's Autograde
  wrote (one nbgrader pass per submission, each step once; the gradebook and ``autograded/`` are what
  ``nbgrader autograde`` stores);
* ``ledger`` appends (and fsyncs) the ledger and the per-notebook ``grade-log.jsonl``;
* ``kernel_launcher`` starts each kernel under the memory cap and the output cap; ``warm_kernels`` starts
  the next job's kernel while the current one runs, forked from the worker's preloaded ``zygote``
  (``forked_kernels`` is the worker's side);
* ``diagnose`` explains, in an instructor's words, why nbgrader could not grade a submission (no
  notebook of the expected name, not JSON, an nbformat it cannot read, a duplicated or renamed
  graded cell) or what it repaired or left ungraded in one it did grade (edited read-only and test
  cells restored with their hidden tests, changed metadata, deleted cells).

A submission ends a run as ``graded`` (its reasons, if any, are ``diagnose`` notes); ``limit``
(graded; a cell timeout, the notebook timeout, the memory cap, the output cap or a dying kernel gave
0 to the cells it stopped, or cut their output, with a reason); ``failed`` (nbgrader could not
autograde it: recorded with 0, the reason says why); ``error`` (nothing recorded, e.g. a kernel that
could not start or a lost worker: the next run tries again); or ``skipped``.

Kept free of imports: the kernel launcher runs this module in every graded kernel.
"""
