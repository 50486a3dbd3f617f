"""SymPy expressions as the interpreter's numbers: a claim's own programs read as formulas, for a proof.

The functions of :mod:`.scalars`, on SymPy expressions in the symbols of a claim's domain (:mod:`.proof`).
Every decision of a program (a comparison, hence ``where``/``select_n``, ``max``, ``abs``, ``argmax``, a sort)
is decided by SymPy under the symbols' assumptions where it can be; where it cannot, the evaluation stops
with :class:`Fork` and the prover evaluates the program once per outcome (the decision *forced*, its
condition known on that path). A program's value is then a ``Piecewise`` over its paths: each path a formula
with no branch left, valid on the region its conditions describe. Decisions are told apart by their order
of evaluation (the *site*), which is the same on every path until a decision differs.

Float constants are the binary fractions they are, except a correctly rounded named constant
(``log 2``, ``pi``, ...), which is read as the number it names (and said so in the proof's route).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .scalars import Ambiguous, Unsupported

INF, NINF, NAN = sp.oo, -sp.oo, sp.nan


class Fork(Exception):
    """A decision SymPy cannot take at ``site``: the prover evaluates both outcomes of ``condition``."""

    def __init__(self, site, condition):
        super().__init__(f"undecided at decision {site}: {condition}")
        self.site, self.condition = site, condition


class Infeasible(Exception):
    """A forced decision is decided the other way on this path: the path's region is empty."""


class Path:
    """The decisions of the evaluation in progress: ``forced`` (site -> outcome) and the conditions taken."""

    forced: dict = {}
    site = 0
    taken: list = []  # (site, condition as it held on this path)
    constants: set = set()  # the named constants the program's floats were read as


def start(forced):
    Path.forced, Path.site, Path.taken, Path.constants = dict(forced), 0, [], set()


# -- numbers ---------------------------------------------------------------------------------------------
def _named():
    names = {"log 2": sp.log(2), "pi": sp.pi, "e": sp.E, "sqrt 2": sp.sqrt(2), "log 10": sp.log(10),
             "log(2 pi)": sp.log(2 * sp.pi), "log(2 pi)/2": sp.log(2 * sp.pi) / 2, "sqrt(2 pi)": sp.sqrt(2 * sp.pi),
             "1/log 2": 1 / sp.log(2), "1/log 10": 1 / sp.log(10), "sqrt pi": sp.sqrt(sp.pi)}
    table = {}
    for name, value in names.items():
        for sign, shown in ((1, name), (-1, f"-{name}")):
            table[float(sign * value)] = (sign * value, shown)
    return table


NAMED = _named()


def from_float(v):
    v = float(v)
    if math.isnan(v):
        return NAN
    if math.isinf(v):
        return INF if v > 0 else NINF
    if v in NAMED:
        value, name = NAMED[v]
        Path.constants.add(f"{v!r} = {name}")
        return value
    return sp.Rational(v)  # a binary float is a rational number, exactly


def to_float(x) -> float:
    """A number's float value; nan for an expression in symbols (it has no one value)."""
    x = sp.sympify(x)
    return float(x) if x.is_number and x.is_real is not False and x.is_finite else math.nan


def constant(x):
    return x


def is_series(x) -> bool:
    return False


def union(a, b):
    raise Unsupported("a union of values (an undecided decision is a fork here, not a union)")


# -- decisions ----------------------------------------------------------------------------------------------
_RELATIONS = {"eq": sp.Eq, "ne": sp.Ne, "lt": sp.Lt, "le": sp.Le, "gt": sp.Gt, "ge": sp.Ge}


def _undefined(x) -> bool:
    return x is NAN or x.has(sp.nan, sp.zoo)


def _decide(rel):
    """True/False where SymPy decides ``rel`` under the assumptions, else None."""
    if rel in (sp.true, True):
        return True
    if rel in (sp.false, False):
        return False
    d = sp.expand(rel.lhs - rel.rhs)
    positive, negative, zero = d.is_extended_positive, d.is_extended_negative, d.is_zero
    table = {sp.Eq: (zero, True if positive or negative else None),
             sp.Ne: (True if positive or negative else None, zero)}
    if type(rel) in table:
        yes, no = table[type(rel)]
        return True if yes else False if no else None
    nonneg, nonpos = d.is_extended_nonnegative, d.is_extended_nonpositive
    yes, no = {sp.Gt: (positive, nonpos), sp.Ge: (nonneg, negative), sp.Lt: (negative, nonneg),
               sp.Le: (nonpos, positive)}[type(rel)]
    return True if yes else False if no else None


def normal(rel):
    """``rel`` as (kind, d) with ``d REL 0``, kind one of >, >=, ==, != (a key: the same condition, written
    either way round, has one)."""
    d = sp.expand(rel.lhs - rel.rhs)
    num, den = sp.fraction(sp.together(d))
    if den != 1 and den.is_positive:  # a positive denominator does not change the condition
        d = sp.expand(num)
    kind = {sp.Lt: sp.Gt, sp.Le: sp.Ge}.get(type(rel), type(rel))
    if type(rel) in (sp.Lt, sp.Le):
        d = -d
    if kind in (sp.Eq, sp.Ne) and d.could_extract_minus_sign():
        d = -d
    return kind, d


_NEGATION = {sp.Gt: sp.Ge, sp.Ge: sp.Gt, sp.Eq: sp.Ne, sp.Ne: sp.Eq}


def _known(rel):
    """The outcome of a condition already taken on this path (the same one, or its negation), else None."""
    kind, d = normal(rel)
    for _, taken in Path.taken:
        k, e = normal(taken)
        if e == d and k == kind or (kind in (sp.Eq, sp.Ne) and e == d and k == _NEGATION[kind]):
            return k == kind
        if kind in (sp.Gt, sp.Ge) and k == _NEGATION[kind] and e == -d:  # d > 0 against -d >= 0
            return False
    return None


def decision(rel):
    """The outcome of a decision of the program: SymPy's where it can say, else the path's forced outcome, else a
    :class:`Fork`. A forced outcome that SymPy decides the other way makes the path :class:`Infeasible`."""
    site = Path.site
    Path.site += 1
    outcome = _decide(rel)
    if outcome is None:
        outcome = _known(rel)
    forced = Path.forced.get(site)
    if outcome is not None:
        if forced is not None and forced != outcome:
            raise Infeasible(f"decision {site}")
        return outcome
    if forced is None:
        raise Fork(site, rel)
    Path.taken.append((site, rel if forced else rel.negated))
    return forced


def _relation(op, a, b):
    if _undefined(sp.sympify(a)) or _undefined(sp.sympify(b)):
        return None  # IEEE: every comparison with nan is false, except !=
    return _RELATIONS[op](a, b, evaluate=False)


def compare(op):
    def rule(a, b):
        rel = _relation(op, a, b)
        if rel is None:
            return op == "ne"
        if a == b:  # the same expression
            return op in ("eq", "le", "ge")
        return decision(rel)

    return rule


def _cmp(a, b):
    """-1, 0, 1 (decided, or forced on this path); "nan" where a value is undefined."""
    if _relation("lt", a, b) is None:
        return "nan"
    if compare("lt")(a, b):
        return -1
    return 0 if compare("eq")(a, b) else 1


def select(which, *cases):
    return cases[int(which)]


def logical_and(a, b):
    return bool(a) and bool(b)


def logical_or(a, b):
    return bool(a) or bool(b)


def logical_not(a):
    return not a


# -- arithmetic ---------------------------------------------------------------------------------------------
def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def div(a, b):
    if b == 0:
        return NAN  # x / 0 has no real value (the program's float would be inf or nan)
    return a / b


def neg(a):
    return -a


def _log(x):
    if x == 0:
        return NINF
    if x.is_extended_negative:
        return NAN
    return sp.log(x)


_FUNCTIONS = {
    "exp": sp.exp, "log": _log, "log1p": lambda x: _log(1 + x), "expm1": lambda x: sp.exp(x) - 1,
    "tanh": sp.tanh, "logistic": lambda x: 1 / (1 + sp.exp(-x)), "sqrt": sp.sqrt, "rsqrt": lambda x: 1 / sp.sqrt(x),
    "exp2": lambda x: 2 ** x, "erf": sp.erf, "erfc": sp.erfc, "cosh": sp.cosh, "sinh": sp.sinh, "sin": sp.sin,
    "cos": sp.cos,
    "abs": lambda x: x if compare("ge")(x, 0) else -x,
    "sign": lambda x: sp.Integer(0) if compare("eq")(x, 0) else sp.Integer(1) if compare("gt")(x, 0) else sp.Integer(-1),
}


def elementary(name):
    fn = _FUNCTIONS[name]

    def rule(x):
        if _undefined(sp.sympify(x)):
            return NAN
        return fn(x)

    return rule


def integer_pow(x, y):
    if x == 0 and y < 0:
        return NAN
    return x ** int(y)


def power(x, y):
    if x == 0 and (y == 0 or not y.is_positive):
        return sp.Integer(1) if y == 0 else NAN
    return x ** y


def maximum(a, b):
    if _relation("ge", a, b) is None:
        return NAN
    return a if compare("ge")(a, b) else b


def minimum(a, b):
    if _relation("le", a, b) is None:
        return NAN
    return a if compare("le")(a, b) else b


def is_finite(x):
    """Whether a real formula is finite: it is, unless a divisor or a logarithm's argument is 0 (each of those a
    decision of its own)."""
    x = sp.sympify(x)
    if x.is_finite:
        return True
    if x.is_infinite or _undefined(x):
        return False
    poles = [p.base for p in x.atoms(sp.Pow) if p.exp.is_negative] + [g.args[0] for g in x.atoms(sp.log)]
    return all(compare("ne")(p, 0) for p in poles)


def floor(x):
    if not sp.sympify(x).is_number:
        raise Unsupported("floor of a symbolic value")
    return sp.floor(x)


def ceil(x):
    if not sp.sympify(x).is_number:
        raise Unsupported("ceil of a symbolic value")
    return sp.ceiling(x)


# -- the primitives read by this number system itself -----------------------------------------------------------
def extreme_index(row, sign):
    """argmax (sign 1) / argmin (-1) of a row: the first extreme entry, by the program's own decisions (forks)."""
    better = compare("gt" if sign > 0 else "lt")
    best = 0
    for i in range(1, len(row)):
        if better(row[i], row[best]):
            best = i
    return best


def _bitcast(eqn, x, new_dtype, **_):
    from .interpreter import _concrete, _is_objects

    if not _is_objects(x):
        return _concrete(eqn, x)
    raise Unsupported("bitcast_convert_type: the bits of a symbolic value")


def _convert(eqn, x, new_dtype, **params):
    """A float converted to an integer truncates toward zero: a number's value; a formula's, where it is a number."""
    from .interpreter import _convert as generic, _is_objects

    if not (_is_objects(x) and np.dtype(new_dtype).kind in "iu"):
        return generic(eqn, x, new_dtype, **params)
    flat = [sp.sympify(v) for v in np.ravel(x)]
    if not all(v.is_number and v.is_finite for v in flat):
        raise Ambiguous("a formula converted to an integer")
    return np.asarray([int(v) for v in flat], dtype=new_dtype).reshape(np.shape(x))


def _svd(eqn, operand, **_):
    raise Unsupported("svd of a symbolic matrix (its singular values are roots of a polynomial, not formulas here)")


RULES = {"bitcast_convert_type": _bitcast,
         "convert_element_type": _convert, "svd": _svd}
