"""The annotated reference: each function with its hand derivation, by topic.

Needs only JAX. One module per topic: ``sigmoid``, ``softplus``, ``logistic``, ``softmax``,
``multiclass``, ``linear_layer``, ``information``, ``logarithm``, ``distance``, ``losses``,
``loss_axioms``, ``likelihood``, ``regression``; ``numerics`` holds what they share against the
backend (an accurate ``log1p``, a guard against algebraic rewrites).
"""
