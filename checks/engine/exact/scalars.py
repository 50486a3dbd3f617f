"""The numbers of the exact interpreter: Arb balls, Arb power series, and the real limits at infinity.

A value is one of
  * an ``arb``: a ball proven to contain the real value (FLINT's Arb, via python-flint);
  * an ``arb_series``: a truncated power series in one variable ``t`` whose coefficients are balls,
    ``f(x + t v) = f0 + f1 t + f2 t^2 + ...``: the value and the directional derivatives
    ``f_k = D^k_v f / k!`` of every order the series holds (forward mode, exact);
  * a Python float ``inf``, ``-inf`` or ``nan``: an extended real. An input at infinity follows the
    real limit wherever one exists (``exp(-inf) = 0``, ``log(0) = -inf``); where none does
    (``inf - inf``) the value is ``nan`` and the point is reported as outside the formula's domain.

Booleans are ``True``, ``False`` or ``None``: a comparison whose balls overlap is undecided. A select on an
undecided condition yields the *union* of its branches, so a formula that is continuous across its
branch (a stable form's switch) stays sharp, and a kink or jump shows as a ball that no precision makes
narrower: a branch point (see :mod:`.oracle`).
"""
from __future__ import annotations

import math

from flint import arb, arb_series

INF, NINF, NAN = math.inf, -math.inf, math.nan


class Unsupported(Exception):
    """A primitive (or a use of one) that the exact interpreter cannot evaluate exactly."""


class Ambiguous(Exception):
    """An integer or a control decision depends on an undecided comparison (a tie of inexact values)."""


# -- series plumbing ---------------------------------------------------------------------------------
class Series:
    """The series length of the evaluation in progress (1 + the derivative order; 0 for values only)."""

    length = 0


def is_series(x) -> bool:
    return type(x) is arb_series


def coeffs(s, length=None) -> list:
    """The first ``length`` (default ``Series.length``) coefficients of ``s`` (python-flint drops trailing zeros)."""
    return [s[k] for k in range(Series.length if length is None else length)]


def series(cs, length=None) -> arb_series:
    return arb_series(list(cs), prec=Series.length if length is None else length)


def constant(x):
    """The value part: the constant term of a series, the number itself otherwise."""
    return x[0] if type(x) is arb_series else x


def lift(x):
    """A number as a constant series (in derivative mode), for mixing with series."""
    if Series.length and not is_series(x) and isinstance(x, arb):
        return series([x])
    return x


def _with_constant(s, c0):
    """``s`` with its constant term replaced by an accurately computed ``c0`` (higher terms are exact already)."""
    cs = coeffs(s)
    cs[0] = c0
    return series(cs)


def _extended(x) -> bool:
    return type(x) is float


# -- balls ---------------------------------------------------------------------------------------------
class Undecided:
    """Counts the selects taken on undecided comparisons (unions) in an evaluation: a result that stays wide
    without any is a matter of precision, with some it may be a branch point (:mod:`.oracle`)."""

    count = 0


def union(a, b):
    """The smallest ball holding both (coefficientwise for series): the value of an undecided select."""
    Undecided.count += 1
    if _extended(a) or _extended(b):
        return a if (a == b or (math.isnan(a) and math.isnan(b))) else NAN
    if is_series(a) or is_series(b):
        return series(union(x, y) for x, y in zip(coeffs(lift(a)), coeffs(lift(b))))
    if a == b:  # the same exact number
        return a
    lo = min(a.lower(), b.lower(), key=_key)
    hi = max(a.upper(), b.upper(), key=_key)
    if not (lo.is_finite() and hi.is_finite()):
        return arb("nan")
    return (lo + hi) / 2 + arb(0, ((hi - lo) / 2).upper())


def _key(x):
    return float(x.mid()) if x.is_finite() else math.inf


def from_float(v):
    """A float of the program (exact: every binary float is a real number) as an interpreter number."""
    v = float(v)
    return arb(v) if math.isfinite(v) else v


def to_float(x) -> float:
    """The nearest float64 to the ball's midpoint (inf beyond float64's range, nan for an undefined value)."""
    x = constant(x)
    if _extended(x):
        return x
    if not x.mid().is_finite():
        return NAN
    return float(x.mid())


# -- comparisons: True, False or None (undecided) -------------------------------------------------------------
class Germ:
    """Which side of a point a series stands for: ``t -> 0+`` (side 1) or ``t -> 0-`` (side -1).

    Where two values are exactly equal at the point, their order just beside it is decided by the
    first coefficient in which their series differ (the order of germs): ``|x|`` at ``x = 0`` is ``x``
    on the right and ``-x`` on the left, ``max(z1, z2)`` at a tie follows the entry that moves up. A
    derivative is then the same from both sides (a smooth formula written with a switch, a stable form)
    or not (a kink): :mod:`.oracle` evaluates the other side wherever ``used`` says a germ decided.
    """

    side = 1
    used = False


def _cmp(a, b):
    """-1, 0, 1 where decided, None where the balls overlap, "nan" where a value is undefined."""
    if type(a) is arb and type(b) is arb:
        return _cmp_ball(a, b)
    if _extended(constant(a)) or _extended(constant(b)):
        fa = constant(a) if _extended(constant(a)) else _side(constant(a))
        fb = constant(b) if _extended(constant(b)) else _side(constant(b))
        if math.isnan(fa) or math.isnan(fb):
            return "nan"
        return (fa > fb) - (fa < fb)
    c = _cmp_ball(constant(a), constant(b))
    if c != 0 or not (is_series(a) or is_series(b)):
        return c
    ca, cb = coeffs(lift(a)), coeffs(lift(b))
    for k in range(1, len(ca)):  # an exact tie at the point: the germs decide
        ck = _cmp_ball(ca[k], cb[k])
        if ck is None or ck == "nan":
            return ck
        if ck:
            Germ.used = True
            return ck * Germ.side ** k
    return 0


def _cmp_ball(a, b):
    if a.is_nan() or b.is_nan():
        return "nan"
    if a < b:
        return -1
    if a > b:
        return 1
    if a == b:
        return 0
    return None


def _side(x):
    """A finite ball against an infinity: 0 stands for every finite number."""
    return 0.0 if x.is_finite() else NAN


def compare(op):
    def rule(a, b):
        c = _cmp(a, b)
        if c == "nan":
            return op == "ne"
        if c is None:
            return None
        return {"eq": c == 0, "ne": c != 0, "lt": c < 0, "le": c <= 0, "gt": c > 0, "ge": c >= 0}[op]

    return rule


def select(which, *cases):
    """``cases[which]``; an undecided boolean selects the union of both cases."""
    if which is None:
        out = cases[0]
        for c in cases[1:]:
            out = union(out, c)
        return out
    return cases[int(which)]


def logical_and(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def logical_or(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def logical_not(a):
    return None if a is None else not a


# -- arithmetic --------------------------------------------------------------------------------------------
def _ext_binary(op, a, b):
    """An arithmetic operation with an extended real among its operands (IEEE's signed limits)."""
    fa = a if _extended(a) else to_float(a)
    fb = b if _extended(b) else to_float(b)
    if not _extended(a) and not constant(a).is_finite():
        return NAN
    if not _extended(b) and not constant(b).is_finite():
        return NAN
    with_zero = {"add": fa + fb, "sub": fa - fb, "mul": fa * fb}
    if op in with_zero:
        if op == "mul" and (fa == 0 or fb == 0):  # inf * 0: no limit
            return NAN
        return with_zero[op]
    if op == "div":
        if _extended(b):
            return 0.0 if not _extended(a) else NAN  # finite / inf -> 0
        return fa / fb if fb != 0 else NAN
    raise Unsupported(op)


# arb and arb_series mix natively (a ball is a constant series): the fast paths need no lifting
def add(a, b):
    return _ext_binary("add", a, b) if type(a) is float or type(b) is float else a + b


def sub(a, b):
    return _ext_binary("sub", a, b) if type(a) is float or type(b) is float else a - b


def mul(a, b):
    if type(a) is float or type(b) is float:
        r = _ext_binary("mul", a, b)
        return arb(0) if r == 0 else r
    return a * b


def div(a, b):
    if type(a) is arb and type(b) is arb and (b > 0 or b < 0):
        return a / b
    if _extended(a) or _extended(b):
        r = _ext_binary("div", a, b)
        return arb(0) if r == 0 else r
    b0 = constant(b)
    if b0 == 0:  # x / 0: the signed infinity of the limit where x is decided, else undefined
        a0 = constant(a)
        if is_series(a) or is_series(b) or a0 == 0 or not (a0 > 0 or a0 < 0):
            return NAN
        return INF if a0 > 0 else NINF
    if (is_series(a) or is_series(b)) and not (b0 > 0 or b0 < 0):
        return series([arb("nan")] * Series.length)  # a divisor not yet told from 0: more precision decides
    return lift(a) / lift(b)


def neg(a):
    return -a


# -- elementary functions ------------------------------------------------------------------------------------------
_LIMITS = {  # f(-inf), f(+inf): the real limits (None where there is none)
    "exp": (0.0, INF), "expm1": (-1.0, INF), "log": (None, INF), "log1p": (None, INF), "sqrt": (None, INF),
    "tanh": (-1.0, 1.0), "logistic": (0.0, 1.0), "erf": (-1.0, 1.0), "erfc": (2.0, 0.0), "abs": (INF, INF),
    "sign": (-1.0, 1.0), "exp2": (0.0, INF), "rsqrt": (None, 0.0), "sinh": (-INF, INF), "cosh": (INF, INF),
    "sin": (None, None), "cos": (None, None),
}


def _at_infinity(name, x):
    if math.isnan(x):
        return NAN
    v = _LIMITS[name][x > 0]
    if v is None:
        return NAN
    return v if math.isinf(v) else arb(v)


def elementary(name):
    """The rule of a one-argument function: an accurate constant term, then the series by composition."""
    fn = _FUNCTIONS[name]

    def rule(x):
        if _extended(x):
            return _at_infinity(name, x)
        return fn(x)

    return rule


def _log(x):
    if constant(x) < 0:
        return NAN  # outside the real domain
    if is_series(x):
        return _series_or_pole(x, lambda s: s.log())
    if x == 0:
        return NINF
    return x.log()


def _log1p(x):
    if constant(x) < -1:
        return NAN
    if is_series(x):
        c0 = constant(x)
        return _series_or_pole(x, lambda s: _with_constant((1 + s).log(), c0.log1p()), at=-1)
    if x == -1:
        return NINF
    return x.log1p()


def _series_or_pole(s, f, at=0):
    """A log-like series at its pole has no Taylor expansion: undefined (outside the domain)."""
    if constant(s) == at:
        return NAN
    return f(s)


def _expm1(x):
    return _with_constant(x.exp(), constant(x).expm1()) if is_series(x) else x.expm1()


def _tanh(x):
    if is_series(x):
        # tanh = s (2/(1 + e^{-2sx}) - 1), s the sign of the constant term: no cancellation beyond the constant term,
        # which arb computes, and e^{-2|x|} <= 1 (e^{2|x|} of a huge argument is a ball containing everything)
        s = 1 if constant(x) >= 0 else -1
        return _with_constant(s * (2 / ((-2 * s * x).exp() + 1) - 1), constant(x).tanh())
    return x.tanh()


def _logistic(x):
    return 1 / (1 + (-x).exp())


def _sqrt(x):
    if constant(x) < 0:
        return NAN
    if is_series(x) and constant(x) == 0:
        return NAN  # sqrt has no derivative at 0
    return x.sqrt()


def _rsqrt(x):
    return 1 / _sqrt(x)


def _abs(x):
    if is_series(x):
        c = _cmp(x, arb(0))
        if c == "nan":
            return NAN
        return union(x, -x) if c is None else (-x if c < 0 else x)
    return abs(x)


def _sign(x):
    c = _cmp(x, arb(0))
    if c == "nan":
        return NAN
    v = union(arb(-1), arb(1)) if c is None else arb(c)  # undecided: somewhere in [-1, 1]
    return lift(v) if is_series(x) else v


def _exp2(x):
    n = None if is_series(x) or not x.is_exact() else x.unique_fmpz()
    if n is not None:  # 2^n is a binary fraction: exact (so a temperature 2^k scales without rounding)
        return integer_pow(arb(2), int(n))
    return (x * arb(2).log()).exp()


def _erf(x):
    return x.erf()


def _erfc(x):
    return _with_constant((-x).erf() + 1, constant(x).erfc()) if is_series(x) else x.erfc()


def _cosh(x):
    return _with_constant((x.exp() + (-x).exp()) / 2, constant(x).cosh()) if is_series(x) else x.cosh()


def _sinh(x):
    return _with_constant((x.exp() - (-x).exp()) / 2, constant(x).sinh()) if is_series(x) else x.sinh()


_FUNCTIONS = {
    "exp": lambda x: x.exp(), "log": _log, "log1p": _log1p, "expm1": _expm1, "tanh": _tanh,
    "logistic": _logistic, "sqrt": _sqrt, "rsqrt": _rsqrt, "abs": _abs, "sign": _sign, "exp2": _exp2,
    "erf": _erf, "erfc": _erfc, "cosh": _cosh, "sinh": _sinh, "sin": lambda x: x.sin(), "cos": lambda x: x.cos(),
}


def integer_pow(x, y):
    if _extended(x):
        if math.isnan(x):
            return NAN
        return arb(1) if y == 0 else (0.0 if y < 0 else (x if y % 2 else INF))
    if y < 0 and constant(x) == 0:
        return NAN
    out = lift(arb(1)) if is_series(x) else arb(1)
    base = x
    n = abs(y)
    while n:  # square and multiply: exact products, no pow of a ball that may contain 0
        if n & 1:
            out = out * base
        n >>= 1
        if n:
            base = base * base
    return 1 / out if y < 0 else out


def power(x, y):
    """``x ** y`` for real ``y``; an integer exponent goes through :func:`integer_pow` (x may be negative)."""
    if _extended(x) or _extended(y):
        raise Unsupported("pow with an infinite operand")
    y0 = constant(y)
    n = None if is_series(y) or not y0.is_exact() else y0.unique_fmpz()
    if n is not None and abs(int(n)) < 1 << 20:
        return integer_pow(x, int(n))
    if constant(x) == 0:
        return arb(0) if y0 > 0 and not is_series(x) else NAN
    return (y * _log(x)).exp() if (is_series(x) or is_series(y)) else x ** y


def maximum(a, b):
    c = _cmp(a, b)
    if c == "nan":
        return NAN
    return union(lift(a), lift(b)) if c is None else (a if c >= 0 else b)


def minimum(a, b):
    c = _cmp(a, b)
    if c == "nan":
        return NAN
    return union(lift(a), lift(b)) if c is None else (a if c <= 0 else b)


def is_finite(x):
    x = constant(x)
    if _extended(x):
        return False
    return True if x.is_finite() else None


def floor(x):
    if is_series(x):
        raise Unsupported("floor of a differentiated value")
    if _extended(x):
        return x
    f = x.floor()
    if not f.is_exact():  # the ball straddles an integer
        raise Ambiguous("floor of a ball that straddles an integer")
    return f


def ceil(x):
    if is_series(x):
        raise Unsupported("ceil of a differentiated value")
    if _extended(x):
        return x
    c = -((-x).floor())
    if not c.is_exact():
        raise Ambiguous("ceil of a ball that straddles an integer")
    return c

