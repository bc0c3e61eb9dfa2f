"""The judge: every autograded test cell decided in a process that student code never runs in.

The student's kernel runs only the notebook's non-test cells and answers the judge's requests with
data; the judge (the grading worker) runs the test cells, public and hidden parts, in a namespace of
its own, and writes their outputs and so their grades. The parts:

``wire``
    the data format (exact numpy arrays and Python scalars and containers, never a pickle);
``server``
    the kernel side: the request handler installed by the kernel launcher;
``link``
    the judge's socket to one kernel: requests with deadlines, dead kernels, refused replies;
``remote``
    references to the student's objects and the judge's namespace;
``runner``
    running instructor code in that namespace;
``execute``
    ``JudgedExecute``, the nbgrader preprocessor the grading worker runs in place of ``Execute``.
"""
