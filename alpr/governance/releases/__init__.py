"""Releasing ALPR data to other agencies and the public, decided by the law in code (R40-R48)."""
