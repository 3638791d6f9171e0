"""mygrad.testing: hypothesis strategies, finite-difference oracles and op certification."""
