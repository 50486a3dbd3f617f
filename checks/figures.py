r"""The reference's figures: ``python -m checks.figures --out docs/figures`` (needs the optional matplotlib).

    pip install -e '.[figures]'     # matplotlib: an optional dependency, only for these figures

Four PNGs, embedded by ``python -m checks.reference``:

* ``sigmoid``: :math:`\sigma` and :math:`\sigma'`;
* ``softplus-relu``: softplus against ReLU;
* ``saturation``: :math:`|\partial_z|` of MSE-through-sigmoid against cross-entropy, for a
  confidently wrong logit (log scale): the saturation argument;
* ``stability``: the error in ulps, against mpmath, of the naive and the stable
  :math:`\sigma'` and softmax across input magnitudes.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

CAPTIONS = {
    "sigmoid": "The sigmoid and its derivative σ'(z) = σ(z)σ(−z), largest (1/4) at z = 0.",
    "softplus-relu": "Softplus log(1 + e^z), a smooth ReLU: their gap is log(1 + e^−|z|) ≤ log 2.",
    "saturation": "|∂loss/∂z| for a confidently wrong logit (y = 1, z → −∞): the MSE-through-sigmoid gradient "
                  "vanishes like 2e^−|z|, cross-entropy's tends to 1.",
    "stability": "Error against mpmath (ulps, log scale) of the naive and stable forms: σ(1−σ) cancels for "
                 "z > 36.7 (float64); the naive softmax overflows to nan beyond z = 88.7 (float32).",
}


class MissingDependency(RuntimeError):
    pass


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingDependency("the figures need matplotlib, an optional dependency: pip install -e '.[figures]'") from None
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _ulps(values, exact, dtype):
    """|value - exact| / |exact| in eps(dtype); nan or inf where the value is not finite (plotted at the top)."""
    import numpy as np

    eps = float(np.finfo(dtype).eps)
    v, e = np.asarray(values, np.float64), np.asarray(exact, np.float64)
    with np.errstate(all="ignore"):
        err = np.abs(v - e) / np.maximum(np.abs(e), np.finfo(dtype).tiny) / eps
    return np.where(np.isfinite(err), err, np.inf)


def _stability_data():
    """(z, {label: ulps}) for sigma' and softmax, naive and stable, against mpmath."""
    import mpmath
    import numpy as np

    from checks.engine.platform import configure
    from derivations import sigmoid as sg
    from derivations import softmax as sm

    jnp = configure().numpy
    z = np.logspace(-2, np.log10(700), 160)
    with mpmath.workdps(50):
        exact_grad = [float(mpmath.exp(-mpmath.mpf(t)) / (1 + mpmath.exp(-mpmath.mpf(t))) ** 2) for t in z]
        # softmax of (z, 0, -z): the first entry, 1 / (1 + e^-z + e^-2z)
        exact_soft = [float(1 / (1 + mpmath.exp(-mpmath.mpf(t)) + mpmath.exp(-2 * mpmath.mpf(t)))) for t in z]
    curves = {}
    for dtype in ("float64",):
        x = jnp.asarray(z, dtype)
        curves[f"σ(1−σ), naive ({dtype})"] = _ulps(sg.sigmoid_grad_as_written(x), exact_grad, dtype)
        curves[f"σ(z)σ(−z), stable ({dtype})"] = _ulps(sg.sigmoid_grad(x), exact_grad, dtype)
    for dtype in ("float32",):
        v = jnp.stack([jnp.asarray(z, dtype), jnp.zeros(z.size, dtype), -jnp.asarray(z, dtype)], axis=-1)
        curves[f"softmax, naive ({dtype})"] = _ulps(sm.softmax_naive(v)[:, 0], exact_soft, dtype)
        curves[f"softmax, max-shifted ({dtype})"] = _ulps(sm.softmax(v)[:, 0], exact_soft, dtype)
    return z, curves


def make(out_dir) -> list[pathlib.Path]:
    """Draw every figure into ``out_dir`` (PNG); returns the paths."""
    import numpy as np

    plt = _pyplot()
    from derivations import losses as ls

    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []

    def save(fig, name):
        path = out_dir / f"{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=110, metadata={"Software": None})  # no version string: reproducible files
        plt.close(fig)
        paths.append(path)

    z = np.linspace(-8, 8, 401)
    s = 1 / (1 + np.exp(-z))
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(z, s, label=r"$\sigma(z)$")
    ax.plot(z, s * (1 - s), label=r"$\sigma'(z) = \sigma(z)\,\sigma(-z)$")
    ax.set(xlabel="z", title="Sigmoid and its derivative")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "sigmoid")

    z = np.linspace(-6, 6, 401)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(z, np.logaddexp(0, z), label=r"softplus $\log(1 + e^z)$")
    ax.plot(z, np.maximum(z, 0), "--", label=r"ReLU $\max(0, z)$")
    ax.set(xlabel="z", title="Softplus, a smooth ReLU")
    ax.grid(alpha=0.3)
    ax.legend()
    save(fig, "softplus-relu")

    t = np.linspace(0, 40, 401)  # y = 1, z = -t: ever more confidently wrong
    zt, y = -t, np.ones_like(t)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.semilogy(t, np.abs(np.asarray(ls.mse_through_sigmoid_grad(zt, y))), label="MSE through sigmoid")
    ax.semilogy(t, np.abs(np.asarray(ls.binary_nll_grad(zt, y))), label="cross-entropy (NLL)")
    ax.semilogy(t, 2 * np.exp(-t), ":", color="gray", label=r"$2e^{-t}$")
    ax.set(xlabel=r"how wrong: $z = -t$ for $y = 1$", ylabel=r"$|\partial\,\mathrm{loss} / \partial z|$",
           title="Saturation")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    save(fig, "saturation")

    zs, curves = _stability_data()
    top = 1e17
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for label, err in curves.items():
        ax.loglog(zs, np.clip(np.where(np.isinf(err), top, err), 0.1, top), label=label,
                  linestyle="--" if "naive" in label else "-")
    ax.axhline(top, color="gray", lw=0.5)
    ax.text(zs[0], top / 8, "nan / total loss", fontsize=8, color="gray")
    ax.set(xlabel="z  (softmax of (z, 0, −z))", ylabel="error in ulps (0 plotted at 0.1)",
           title="Naive against stable forms, against mpmath")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    save(fig, "stability")
    return paths


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m checks.figures", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/figures")
    ns = ap.parse_args(argv)
    try:
        paths = make(ns.out)
    except MissingDependency as e:
        print(f"checks.figures: {e}", file=sys.stderr)
        return 2
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
