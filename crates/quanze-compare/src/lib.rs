//! Comparison of 权责清单.
