"""The parameter registry: each config field's type, unit, default, bounds, text and source.

Every leaf field of the schema is declared with `p`, which stores a `Spec` in the
dataclass field's metadata: its unit (from the fixed vocabulary `UNITS`), bounds or
choices, what its string values or map keys name (a vocabulary such as ``material`` or
``firm``), a description and a source (a citation, ``[sources: <id>]`` for a row of
``docs/sources.md``, or ``[assumption]``). The checks of `sim.validate`, the table of
``python -m sim.parameters`` and ``docs/parameters.md`` all derive from these specs:
`check` walks a config tree (dataclasses, lists of them, dicts and lists of values) and
refuses a wrongly typed value, NaN or infinity, a value out of bounds, an unknown choice,
an unknown map key or name, an invalid date or country code, each with one line
``where: what, got value``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import numbers
import typing
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

import pycountry

from sim.domain.errors import ConfigError, known_list, suggest
from sim.domain.products import ELEMENTS, MAGNETS, MATERIALS
from sim.domain.vocab import APPLICATIONS, REGIONS, SECTORS, VEHICLE_TYPES

UNITS: dict[str, str] = {
    "t": "tonnes of the product named by the key or field",
    "t/yr": "tonnes per year",
    "t/day": "tonnes per day",
    "t/t": "tonnes of input per tonne of output",
    "days": "calendar days",
    "working days": "Chinese working days (weekends and public holidays off)",
    "years": "calendar years",
    "date": "a calendar date, YYYY-MM-DD",
    "USD/kg": "US dollars per kilogram",
    "0-1": "a share or a probability, between 0 and 1",
    "x": "a multiplier: a ratio to a reference named in the description",
    "1": "a dimensionless number (elasticity, count, seed)",
    "1/day": "a rate per day",
    "1/yr": "a rate per year",
    "days/day": "days of cover per day of lead time",
    "vehicles/day": "vehicles per day",
    "kg/vehicle": "kilograms of magnet per vehicle",
    "USD/vehicle": "US dollars per vehicle",
    "files/working day": "licence files decided per Chinese working day",
    "-": "no unit: a name, flag, choice, date list or text",
}
"""The fixed unit vocabulary: every field's unit is one of these keys."""

DATE_MIN, DATE_MAX = dt.date(1980, 1, 1), dt.date(2200, 12, 31)
"""Supported calendar range of every date (starts, events, run ends)."""
MAX_DAYS = 36_525
"""The longest horizon a run may have: 100 years."""
MAX_TONNES = {"t": 1e9, "t/yr": 1e9, "t/day": 1e9 / 365}
"""Largest tonnage a field takes unless its ``hi`` says less: a billion tonnes (a year),
three orders of magnitude above the world's rare-earth output, and far inside the range
where the ledger's sums stay exact to a gram."""
MAX_INT = 2**53
"""Largest whole number a field takes (exact as a float)."""
STATIC_VOCAB: dict[str, tuple[str, ...]] = {
    "material": MATERIALS, "magnet": MAGNETS, "vehicle": VEHICLE_TYPES,
    "element": ELEMENTS, "sector": SECTORS, "end_use": APPLICATIONS,
}
"""Vocabularies known without a world; ``firm``, ``exporter``, ``buyer``, ``mine`` come from the
world being checked (see `check`), ``country`` from ISO 3166, ``date`` from the calendar."""


@dataclass(frozen=True)
class Spec:
    """What the registry knows about one field (stored in its metadata under ``spec``)."""

    unit: str
    desc: str
    source: str
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple | None = None
    kind: str | None = None  # vocabulary of a str value or of list items
    keys: tuple[str, ...] = ()  # vocabulary of dict keys, one per nesting level
    finite: bool = True  # NaN and infinity refused
    acts_in: str = ""  # overrides of a run where the field changes a KPI (its value last)
    name: str = ""  # a short name for axes and tables (default: from the key)

    def bounds_text(self) -> str:
        """The bounds or choices in words (for messages and the parameter table)."""
        if self.choices:
            return " | ".join(str(c) for c in self.choices)
        lo = None if self.lo is None else f"{'>' if self.lo_open else '>='} {_num(self.lo)}"
        hi = None if self.hi is None else f"{'<' if self.hi_open else '<='} {_num(self.hi)}"
        if lo and hi and not (self.lo_open or self.hi_open):
            return f"between {_num(self.lo)} and {_num(self.hi)}"
        return " and ".join(x for x in (lo, hi) if x)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def p(default: Any = None, *, unit: str, desc: str, source: str, lo: float | None = None,
      hi: float | None = None, lo_open: bool = False, hi_open: bool = False,
      choices: tuple | list | None = None, kind: str | None = None,
      keys: tuple[str, ...] = (), finite: bool = True, factory: Any = None,
      acts_in: str = "", name: str = "") -> Any:
    """A dataclass field with its registry entry.

    Args:
        default: the default value (or give ``factory`` for a mutable one).
        unit: a key of `UNITS`.
        desc: what the field means.
        source: a citation, ``[sources: <id>]`` or ``[assumption]``.
        lo, hi, lo_open, hi_open: numeric bounds (inclusive unless open), applied to the
            value or, for maps and lists, to every number in it. A duration (unit
            ``days`` or ``working days``) is at most `MAX_DAYS` unless ``hi`` says less.
        choices: the allowed values of a string field.
        kind: vocabulary of a string value or of list items (``date``, ``country``,
            ``material``, ``magnet``, ``firm``, ``exporter``, ``buyer``, ``mine``).
        keys: vocabulary of map keys per nesting level (same names, plus ``vehicle``).
        finite: refuse NaN and infinity (the default).
        factory: default factory for lists and maps.
        acts_in: command-line overrides of a run in which this field changes at least one
            KPI, the last one setting the field to a value other than the scenario's
            (``"scenario=embargo_us days=240 market.adjust_per_day=0.15"``). Every field
            the help lists or an experiment samples needs one; `tests/test_inert_parameters`
            runs the scenario with and without that last override and fails when no KPI
            moves.
        name: a short name for axes and tables (default: made from the key).
    """
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not in the unit vocabulary {sorted(UNITS)}")
    if unit in ("days", "working days") and hi is None:
        hi = MAX_DAYS  # every duration fits the calendar: at most 100 years
    if unit in MAX_TONNES and hi is None:
        hi = MAX_TONNES[unit]  # tonnages the ledger sums exactly
    spec = Spec(unit=unit, desc=desc, source=source, lo=lo, hi=hi, lo_open=lo_open,
                hi_open=hi_open, choices=tuple(choices) if choices else None, kind=kind,
                keys=tuple(keys), finite=finite, acts_in=acts_in, name=name)
    meta = {"spec": spec}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def group(factory: Any, desc: str) -> Any:
    """A field holding a nested config (a dataclass or a list of firm configs)."""
    return field(default_factory=factory, metadata={"group": desc})


def spec_of(f: dataclasses.Field) -> Spec | None:
    return f.metadata.get("spec")


_HINTS: dict[type, dict[str, Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    """The resolved type annotations of a config class (cached)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def unwrap(typ: Any) -> tuple[Any, bool]:
    """``Optional[X]`` -> (X, True); anything else -> (typ, False)."""
    if get_origin(typ) is Union:
        args = [a for a in get_args(typ) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return typ, False


def type_name(typ: Any) -> str:
    """A short readable name of a field type (``float``, ``dict[str, float]``, ...)."""
    inner, optional = unwrap(typ)
    origin = get_origin(inner)
    if origin in (list, dict):
        name = f"{origin.__name__}[{', '.join(type_name(a) for a in get_args(inner))}]"
    else:
        name = getattr(inner, "__name__", str(inner)).replace("typing.", "")
    return f"{name} | None" if optional else name


# --------------------------------------------------------------------------- checks
def check_date(value: Any, where: str) -> dt.date:
    """Parse a YYYY-MM-DD date inside the supported range."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise ConfigError(f"{where}: {day} is outside the supported range {DATE_MIN} to "
                          f"{DATE_MAX}, got {value}")
    return day


def check_country(value: Any, where: str) -> str:
    """An ISO 3166 alpha-2 country code (a declared region is refused, naming members)."""
    if isinstance(value, str) and value in REGIONS:
        raise ConfigError(f"{where}: {value!r} is a region; give its countries instead "
                          f"({', '.join(REGIONS[value])})")
    if not (isinstance(value, str) and len(value) == 2 and value.isupper()
            and pycountry.countries.get(alpha_2=value) is not None):
        raise ConfigError(f"{where}: {value!r} is not an ISO 3166 alpha-2 country code")
    return value


def _vocab_check(value: Any, vocab: str, where: str, ctx: dict | None) -> None:
    if vocab == "date":
        check_date(value, where)
    elif vocab == "country":
        check_country(value, where)
    elif vocab in STATIC_VOCAB:
        known = STATIC_VOCAB[vocab]
        if value not in known:
            what = "vehicle type" if vocab == "vehicle" else vocab
            raise ConfigError(f"{where}: unknown {what} {value!r}; known: {list(known)}"
                              f"{suggest(value, known)}")
    elif ctx is not None and vocab in ctx:
        known = ctx[vocab]
        if value not in known:
            raise ConfigError(f"{where}: no {vocab} named {value!r}; known: "
                              f"{known_list(sorted(known))}{suggest(value, known)}")


def _bounds(value: float, s: Spec, where: str) -> None:
    ok = ((s.lo is None or (value > s.lo if s.lo_open else value >= s.lo))
          and (s.hi is None or (value < s.hi if s.hi_open else value <= s.hi)))
    if not ok:
        raise ConfigError(f"{where}: must be {s.bounds_text()}, got {value}")


def check_value(value: Any, typ: Any, s: Spec | None, where: str, ctx: dict | None,
                level: int = 0, types_only: bool = False) -> None:
    """Check one value against its declared type and spec (recursing into maps, lists
    and nested configs). ``ctx`` maps vocabulary names (``firm``...) to known names."""
    typ, optional, is_dc, origin, args = _type_info(typ)
    if value is None:
        if optional or typ is Any:
            return
        raise ConfigError(f"{where}: must not be null, got None")
    if typ is Any:
        return
    if is_dc:
        if not isinstance(value, typ):
            raise ConfigError(f"{where}: must be {typ.__name__} (a mapping of its "
                              f"fields), got {value!r}")
        check(value, where, ctx, types_only)
        return
    if origin is list:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: must be a list, got {value!r}")
        (item,) = args
        for i, v in enumerate(value):
            check_value(v, item, s, f"{where}[{i}]", ctx, level, types_only)
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: must be a mapping, got {value!r}")
        _, vtyp = args
        vocab = s.keys[level] if s is not None and level < len(s.keys) else None
        for k, v in value.items():
            if not types_only and vocab is not None:
                _vocab_check(k, vocab, f"{where}.{k}", ctx)
            check_value(v, vtyp, s, f"{where}.{k}", ctx, level + 1, types_only)
        return
    if typ is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, got {value!r}")
        return
    if typ is int:
        if type(value) is not int and (  # (the ABC check is slow: plain ints skip it)
                isinstance(value, bool) or not isinstance(value, numbers.Integral)):
            raise ConfigError(f"{where}: must be an integer, got {value!r}")
        if abs(value) > MAX_INT:
            raise ConfigError(f"{where}: must be at most {MAX_INT:,} in size, got {value}")
    elif typ is float:
        if type(value) not in (float, int) and (
                isinstance(value, bool) or not isinstance(value, numbers.Real)):
            raise ConfigError(f"{where}: must be a number, got {value!r}")
        if (s is None or s.finite) and not math.isfinite(value):
            raise ConfigError(f"{where}: must be a finite number, got {value}")
    elif typ is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: must be a string, got {value!r}")
    if types_only or s is None:
        return
    if typ in (int, float):
        _bounds(value, s, where)
    elif typ is str:
        if s.choices and value not in s.choices:
            raise ConfigError(f"{where}: {value!r} not in {list(s.choices)}"
                              f"{suggest(value, s.choices)}")
        if s.kind is not None and value != "":
            _vocab_check(value, s.kind, where, ctx)


def check(obj: Any, where: str = "", ctx: dict | None = None, types_only: bool = False) -> None:
    """Check every field of the config dataclass ``obj`` (and all it contains)."""
    for name, typ, spec in _fields(type(obj)):
        path = f"{where}.{name}" if where else name
        check_value(getattr(obj, name), typ, spec, path, ctx, types_only=types_only)


_FIELDS: dict[type, tuple] = {}
_TYPES: dict[Any, tuple] = {}


def _fields(cls: type) -> tuple:
    """(name, resolved type, spec) of each field of a config class (cached: a world of
    thousands of firms checks the same few classes thousands of times)."""
    got = _FIELDS.get(cls)
    if got is None:
        th = hints(cls)
        got = _FIELDS[cls] = tuple((f.name, th[f.name], spec_of(f))
                                   for f in dataclasses.fields(cls))
    return got


def _type_info(typ: Any) -> tuple:
    """(type without Optional, optional?, a config dataclass?, origin, args) of a declared
    type (cached)."""
    try:
        return _TYPES[typ]
    except KeyError:
        pass
    except TypeError:  # an unhashable annotation: work it out each time
        inner, optional = unwrap(typ)
        return (inner, optional, dataclasses.is_dataclass(inner), get_origin(inner),
                get_args(inner))
    inner, optional = unwrap(typ)
    got = _TYPES[typ] = (inner, optional, dataclasses.is_dataclass(inner), get_origin(inner),
                         get_args(inner))
    return got


def from_mapping(cls: type, data: Any, where: str) -> Any:
    """Build the config dataclass ``cls`` from a mapping (Python API, world tables);
    an unknown key is a ConfigError with a suggestion."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be {cls.__name__} or a mapping, got {data!r}")
    names = [f.name for f in dataclasses.fields(cls)]
    names += getattr(cls, "keyword_keys", lambda: [])()  # keywords its constructor takes too
    for k in data:
        if k not in names:
            raise ConfigError(f"{where}.{k}: unknown key for {cls.__name__}{suggest(k, names)}"
                              f"; known: {names}")
    return coerce(cls(**data), where)


def refuse_unknown_keywords(*classes: type) -> None:
    """Make ``Cls(unknown=...)`` a ConfigError naming the key (with a suggestion) instead
    of Python's TypeError, for configs built in Python."""
    for cls in classes:
        init, names = cls.__init__, [f.name for f in dataclasses.fields(cls)]

        def __init__(self, *args, _init=init, _names=names, _cls=cls, **kwargs):
            for k in kwargs:
                if k not in _names:
                    raise ConfigError(f"{k}: unknown key for {_cls.__name__}{suggest(k, _names)}"
                                      f"; known: {_names}")
            _init(self, *args, **kwargs)

        __init__.__doc__, __init__.__wrapped__ = init.__doc__, init
        cls.__init__ = __init__


def coerce(obj: Any, where: str = "") -> Any:
    """Turn mappings given for nested configs (``licensing={...}``, events, firms) into
    their dataclasses, and `datetime.date` values of date fields into ``YYYY-MM-DD``,
    recursively; returns ``obj``. For the Python API."""
    th = hints(type(obj))
    for f in dataclasses.fields(obj):
        path = f"{where}.{f.name}" if where else f.name
        typ, _ = unwrap(th[f.name])
        value = getattr(obj, f.name)
        s = spec_of(f)
        if s is not None and s.kind == "date" and isinstance(value, dt.date):
            setattr(obj, f.name, value.isoformat())
        elif dataclasses.is_dataclass(typ):
            if isinstance(value, dict):
                setattr(obj, f.name, from_mapping(typ, value, path))
            elif isinstance(value, typ):
                coerce(value, path)
        elif (get_origin(typ) is list and dataclasses.is_dataclass(get_args(typ)[0])
              and isinstance(value, (list, tuple))):
            item = get_args(typ)[0]
            setattr(obj, f.name, [from_mapping(item, v, f"{path}[{i}]") if isinstance(v, dict)
                                  else v for i, v in enumerate(value)])
    return obj
