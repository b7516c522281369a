"""The data layer: SQLAlchemy models, engine and sessions, migrations, image store, demo data.

Only ``alpr.governance`` and ``alpr.recognition`` import this package (checked by import-linter).
"""
