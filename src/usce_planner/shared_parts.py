"""Equal parts of a parsed value made one object, before a copy of it is kept.

A catalog repeats itself: statuses, states, audiences, week lists, lead times, requirement
tables, dates. A copy that holds each distinct part once is smaller and loads in about half the
time, because pickle writes a part it has seen as a reference. It also makes equal parts
identical, which the lookups of a catalog check test first.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from usce_planner.dates import Duration

M = TypeVar("M", bound=BaseModel)

# Values that are equal only when they are interchangeable. Not floats (0.0 == -0.0, and they
# print differently), and never a bool for an int (True == 1): the type is part of the key.
_LEAVES = (str, int, bool, date, Duration)


def share_equal_parts(value: Any) -> Any:
    """Return ``value`` with every part equal to an earlier one replaced by that one."""
    return _Sharer().share(value)


class _Sharer:
    def __init__(self) -> None:
        self._seen: dict[tuple[Any, ...], Any] = {}

    def share(self, value: Any) -> Any:
        kind = type(value)
        if kind in _LEAVES:
            return self._seen.setdefault((kind, value), value)
        if kind is tuple:
            parts = tuple(self.share(part) for part in value)
            return self._seen.setdefault((tuple, *map(id, parts)), parts)
        if kind is list:
            return [self.share(part) for part in value]
        if isinstance(value, BaseModel) and value.__pydantic_extra__ is None:
            return self._share_model(value)
        return value

    def _share_model(self, model: BaseModel) -> BaseModel:
        fields = {name: self.share(part) for name, part in model.__dict__.items()}
        fields_set = frozenset(model.__pydantic_fields_set__)
        key = (type(model), fields_set, *((name, id(part)) for name, part in fields.items()))
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = rebuilt_model(type(model), fields, set(fields_set))
        return found


def rebuilt_model(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """Return a model of already validated values, without pydantic's per-field work."""
    instance = _new(cls)
    # What object.__setattr__ does for these four, without looking each one up by name: a
    # copy of a large catalog rebuilds tens of thousands of models.
    _set_dict(instance, values)
    _set_fields_set(instance, fields_set)
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


_new = object.__new__
_set_dict, _set_fields_set, _set_extra, _set_private = (
    vars(BaseModel)[name].__set__
    for name in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )
)
