"""``autograder.engine.schema_cache``: nbgrader's metadata validation, same verdicts and errors, schema checked once."""

from __future__ import annotations

import jsonschema
import pytest
from nbformat.v4 import new_code_cell
from nbgrader.nbgraderformat import MetadataValidator, common

from autograder.engine.schema_cache import CachedValidate, install


def _cell(**meta):
    base = {"grade": True, "grade_id": "test_a", "locked": True, "points": 1, "schema_version": 3,
            "solution": False, "task": False}
    return new_code_cell("assert a == 1", metadata={"nbgrader": {**base, **meta}})


BAD = [{"points": "one"}, {"grade_id": 7}, {"locked": "yes"}]


def test_same_verdicts_and_errors_as_jsonschema(monkeypatch):
    validator = MetadataValidator()
    cached = CachedValidate()
    for meta in BAD:
        cell = _cell(**meta)
        with pytest.raises(jsonschema.ValidationError) as plain:
            jsonschema.validate(cell.metadata["nbgrader"], validator.schema)
        with pytest.raises(jsonschema.ValidationError) as fast:
            cached.validate(cell.metadata["nbgrader"], validator.schema)
        assert str(fast.value) == str(plain.value)
    assert cached.validate(_cell().metadata["nbgrader"], validator.schema) is None
    with pytest.raises(jsonschema.SchemaError):  # an invalid schema is still refused
        cached.validate({}, {"type": 12})


def test_installed_for_nbgraders_validator_checks_the_schema_once(monkeypatch):
    install()
    install()  # idempotent
    assert isinstance(common.jsonschema, CachedValidate) and common.jsonschema.ValidationError is jsonschema.ValidationError
    validator = MetadataValidator()
    checks = []
    cls = jsonschema.validators.validator_for(validator.schema)
    real = cls.check_schema
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, s, *a, **k: (checks.append(1), real(s, *a, **k))))
    common.jsonschema._validators.clear()
    for _ in range(20):
        validator.validate_cell(_cell())
    assert len(checks) == 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate_cell(_cell(points="one"))
