"""The recognition worker: camera sources, frame gate, plate detector, OCR, tracker, hot-list
matching and ingest with a spool."""
