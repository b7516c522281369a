"""Oversight (R06, R23, R24, R51, R52): review of who looked at what, misuse flags, audits,
breach response, statistics and the public transparency page."""
