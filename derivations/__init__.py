"""The annotated reference: each function with its hand derivation, by topic.

Needs only JAX and NumPy. Modules read top to bottom as the course:
``sigmoid``, ``softplus``, ``logistic``, ``softmax``, ``multiclass``, ``information``, ``losses``
(``numerics``: a backend primitive's accurate replacement, shared by them).
"""
