"""Meaning checks: pure functions that decide whether a claim says what its source sentence says."""
