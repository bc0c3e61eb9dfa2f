"""The tests of the tests: the `mutants` and correct variants of each assignment, the sample submissions
built from them (`samples`), the mutant `audit` that grades them all (`run`) and the solutions' grading
time (`measure`) from which the notebook time limit is derived.

``from autograder.audit import audit_assignment, format_audit`` works as before the package existed.
"""

from .run import AuditResult, MutantVerdict, audit_assignment, format_audit

__all__ = ["AuditResult", "MutantVerdict", "audit_assignment", "format_audit"]
