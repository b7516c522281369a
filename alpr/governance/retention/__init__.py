"""Retention (R30), legal holds (R31) and evidence export (R32)."""
