//! Determinism, atomic failure and the output guard.
