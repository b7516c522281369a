"""Investigative ALPR system with California law and department policy enforced in code."""
