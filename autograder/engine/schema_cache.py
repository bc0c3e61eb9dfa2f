"""nbgrader's cell-metadata validation without re-checking its schema for every cell.

nbgrader validates each cell's ``nbgrader`` metadata with ``jsonschema.validate(metadata, schema)``
(``nbgrader.nbgraderformat.common``), and ``jsonschema.validate`` first checks the *schema itself*
against its meta-schema, every call. Autograde validates every cell twice per notebook, so on a worker
this was about 0.07 s of a3's 0.25 s of nbgrader time per notebook (profiled), nine tenths of it spent
re-checking the same schema. `install` gives that one module a ``jsonschema`` whose ``validate`` does
exactly what ``jsonschema.validate`` does (check the schema, build its validator, raise the best
matching error) but checks each distinct schema once and keeps its validator. Every other name is
jsonschema's own, and nothing outside nbgrader's metadata validator changes.
"""

from __future__ import annotations

import copy
import json
import threading

import jsonschema


class CachedValidate:
    """``jsonschema`` for one module, with `validate` caching a checked validator per distinct schema."""

    def __init__(self, module=jsonschema):
        self._module = module
        self._validators: dict[str, object] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self._module, name)

    def validate(self, instance, schema, cls=None, *args, **kwargs) -> None:
        """``jsonschema.validate``, with the schema checked and its validator built once per distinct schema.

        Raises
        ------
        jsonschema.ValidationError
            The instance is invalid (the same best-matching error ``jsonschema.validate`` raises).
        jsonschema.SchemaError
            The schema is invalid.
        """
        if cls is not None or args or kwargs:
            return self._module.validate(instance, schema, cls, *args, **kwargs)
        key = json.dumps(schema, default=repr)  # the schema's content, in its own key order
        validator = self._validators.get(key)
        if validator is None:
            validator_cls = self._module.validators.validator_for(schema)
            validator_cls.check_schema(schema)
            validator = validator_cls(copy.deepcopy(schema))  # a copy: a changed `schema` is a new key
            with self._lock:
                self._validators[key] = validator
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        return None


def install() -> None:
    """Give nbgrader's metadata validator (``nbgrader.nbgraderformat.common``) the cached validate (idempotent)."""
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, CachedValidate):
        common.jsonschema = CachedValidate(common.jsonschema)
