#!/usr/bin/env bash
# Run every test: unit, integration (SQLite and Postgres/PostGIS), AppTest, browser (Chromium),
# worker (real models and streams). Needs Postgres with PostGIS on 127.0.0.1:5432 and
# Debian's chromium, ffmpeg and GStreamer RTSP packages (.ci/run installs them).
# Tests run in ALPR_TEST_PROCESSES processes (default 2, pytest-xdist); the browser tests stay
# on one of them and the worker's stream tests on one (tests/parallel.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup_venv.sh dev
if [ -z "${ALPR_MODEL_DIR:-}" ] && [ -d ../shared/models ]; then
  ALPR_MODEL_DIR="$(cd ../shared/models && pwd)"
  export ALPR_MODEL_DIR
fi
exec .venv/bin/python -m pytest -q -p no:cacheprovider \
  -n "${ALPR_TEST_PROCESSES:-2}" "$@"
