"""The theft-detection benchmark's synthetic population (shared with the tests)."""
