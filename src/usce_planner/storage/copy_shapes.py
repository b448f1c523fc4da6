"""Validated models to plain JSON data and back, led by the models' own field types.

A copy names no class: what each value becomes is read from the type of the field that holds
it (a date is kept as its ordinal, so that in a field that may hold a date or a text the JSON
type tells them apart). Rebuilding uses pydantic's ``model_construct``, its way of making a
model from values that already passed validation, which is what a copy holds.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel

from usce_planner.dates import Duration

T = TypeVar("T")
Codec = tuple[Callable[[Any], Any], Callable[[Any], Any], type | tuple[type, ...]]


class Shape(Generic[T]):
    """How one kind of parsed value becomes plain data, and is rebuilt from it."""

    def __init__(self, annotation: Any) -> None:
        self._plain, self._rebuild, _ = _codec(annotation)

    def plain(self, value: T) -> Any:
        """Return ``value`` as lists, dicts, texts and numbers."""
        return self._plain(value)

    def rebuild(self, data: Any) -> T:
        """Return the value ``plain`` was given; malformed data raises ValueError or TypeError."""
        value: T = self._rebuild(data)
        return value


def _same(value: Any) -> Any:
    return value


def _checked(kind: type | tuple[type, ...]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            raise TypeError(f"{value!r} is not {kind}")
        return value

    return check


_LIST, _DICT, _INT = _checked(list), _checked(dict), _checked(int)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


@cache
def _codec(annotation: Any) -> Codec:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _codec(get_args(annotation)[0])
    if origin is typing.Literal:
        return _same, _same, tuple({type(choice) for choice in get_args(annotation)})
    if origin in (typing.Union, types.UnionType):
        return _union(get_args(annotation))
    if origin in (tuple, list):
        return _sequence(get_args(annotation)[0], origin)
    if origin is dict:
        return _mapping(get_args(annotation)[1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation)
    return _leaf(annotation)


def _leaf(annotation: Any) -> Codec:
    if annotation is date:
        return date.toordinal, date.fromordinal, int
    if annotation is Duration:
        return (
            lambda value: [value.count, value.unit],
            lambda value: Duration(*value),
            list,
        )
    if annotation is float:
        return _same, float, (int, float)
    if annotation in (str, int, bool, type(None)):
        # The copy is the user's own, checked by content: its texts and numbers are taken as
        # they are, and only its structure is checked while rebuilding.
        return _same, _same, annotation
    raise TypeError(f"no plain form for {annotation!r}")


def _union(choices: tuple[Any, ...]) -> Codec:
    kept = [choice for choice in choices if choice is not type(None)]
    if len(kept) == 1:
        return _optional(_codec(kept[0]))
    if len(kept) < len(choices):
        return _optional(_union(tuple(kept)))
    codecs = [_codec(choice) for choice in choices]
    by_kind = _by_json_kind(codecs)
    if by_kind is not None:
        return _untagged(choices, codecs, by_kind)
    # Where two choices share a JSON kind (a date kept as its ordinal, and a number), a value
    # is kept with the number of the choice it fits, so that rebuilding never has to guess.

    def plain(value: Any) -> Any:
        for index, choice in enumerate(choices):
            if _holds(choice, value):
                return [index, codecs[index][0](value)]
        raise TypeError(f"{value!r} fits none of {choices}")

    def rebuild(value: Any) -> Any:
        index, part = _LIST(value)
        return codecs[_INT(index)][1](part)

    return plain, rebuild, list


def _by_json_kind(codecs: list[Codec]) -> dict[type, Callable[[Any], Any]] | None:
    """Return each JSON kind's rebuilder when no two choices share a kind, else None."""
    found: dict[type, Callable[[Any], Any]] = {}
    for _, from_plain, kinds in codecs:
        for kind in _as_tuple(kinds):
            numbers = (int, float, bool)
            if kind in found or (kind in numbers and any(k in numbers for k in found)):
                return None
            found[kind] = from_plain
    return found


def _untagged(
    choices: tuple[Any, ...], codecs: list[Codec], by_kind: dict[type, Callable[[Any], Any]]
) -> Codec:
    # A date (kept as a number) or a text, a text or a list: the JSON kind alone tells them
    # apart, so the value is kept as it is.
    def plain(value: Any) -> Any:
        for choice, (to_plain, _, _) in zip(choices, codecs, strict=True):
            if _holds(choice, value):
                return to_plain(value)
        raise TypeError(f"{value!r} fits none of {choices}")

    def rebuild(value: Any) -> Any:
        return by_kind[type(value)](value)

    return plain, rebuild, tuple(by_kind)


def _optional(codec: Codec) -> Codec:
    to_plain, from_plain, kind = codec

    def plain(value: Any) -> Any:
        return None if value is None else to_plain(value)

    def rebuild(value: Any) -> Any:
        return None if value is None else from_plain(value)

    return plain, rebuild, (*_as_tuple(kind), type(None))


def _holds(annotation: Any, value: Any) -> bool:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _holds(get_args(annotation)[0], value)
    if origin is typing.Literal:
        return value in get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_holds(choice, value) for choice in get_args(annotation))
    if origin is not None:
        return isinstance(value, origin)
    if annotation is type(None):
        return value is None
    return isinstance(value, annotation)


def _sequence(item: Any, origin: type) -> Codec:
    to_plain, from_plain, _ = _codec(item)
    return (
        lambda value: [to_plain(part) for part in value],
        lambda value: origin(from_plain(part) for part in _LIST(value)),
        list,
    )


def _mapping(item: Any) -> Codec:
    to_plain, from_plain, _ = _codec(item)
    return (
        lambda value: {key: to_plain(part) for key, part in value.items()},
        lambda value: {key: from_plain(part) for key, part in _DICT(value).items()},
        dict,
    )


def _model(model: type[BaseModel]) -> Codec:
    hints = typing.get_type_hints(model, include_extras=True)
    codecs = {name: _codec(hints[name]) for name in model.model_fields}
    # Texts, numbers and choices are kept as they are; only these fields need rebuilding.
    converted = tuple((name, codec[1]) for name, codec in codecs.items() if codec[1] is not _same)
    known = frozenset(codecs)
    required = frozenset(name for name, field in model.model_fields.items() if field.is_required())
    made = {name: field for name, field in model.model_fields.items() if field.default_factory}
    blank = _blank(model)

    def plain(value: BaseModel) -> dict[str, Any]:
        # Only the fields the source set: a copy says no more than the file did.
        return {name: codecs[name][0](getattr(value, name)) for name in value.model_fields_set}

    def rebuild(value: Any) -> BaseModel:
        given = _DICT(value)  # a fresh dict from the JSON parser: filled in place
        if not required.issubset(given) or not known.issuperset(given):
            raise KeyError("a copy of a model lacks a required field or has a foreign one")
        for name, convert in converted:
            if name in given:
                given[name] = convert(given[name])
        fresh = [name for name in made if name not in given]
        for name in fresh:
            given[name] = made[name].get_default(call_default_factory=True)
        # pydantic's model_copy(update=...) takes trusted values, as model_construct does, and
        # starts from a model whose unset fields hold their defaults: it is the cheaper of the
        # two by half, and a large catalog rebuilds tens of thousands of models.
        rebuilt = blank.model_copy(update=given)
        if fresh:  # defaults made afresh above were not set by the source
            rebuilt.model_fields_set.difference_update(fresh)
        return rebuilt

    return plain, rebuild, dict


def _blank(model: type[BaseModel]) -> BaseModel:
    """Return a model of ``model`` with its defaults and no field set, to copy from."""
    defaults = {
        name: None if field.is_required() else field.get_default(call_default_factory=True)
        for name, field in model.model_fields.items()
    }
    return model.model_construct(set(), **defaults)
