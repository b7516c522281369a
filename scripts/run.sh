#!/usr/bin/env bash
# Run the whole product on its embedded default: SQLite under ./var, the demo agency, the
# dashboard on http://localhost:8501, and the recognition worker when the models are present.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup_venv.sh
export PATH="$PWD/.venv/bin:$PATH"
if [ -z "${ALPR_MODEL_DIR:-}" ] && [ -d ../shared/models ]; then
  ALPR_MODEL_DIR="$(cd ../shared/models && pwd)"
  export ALPR_MODEL_DIR
fi
alpr db upgrade
alpr demo seed --if-empty --history --reads "${ALPR_DEMO_READS:-200000}"
worker_pid=""
if [ -n "${ALPR_MODEL_DIR:-}" ] && [ -d "$ALPR_MODEL_DIR" ] && alpr worker --help >/dev/null 2>&1; then
  mkdir -p var/log
  alpr worker run >> var/log/worker.log 2>&1 &
  worker_pid=$!
  echo "recognition worker running (log: var/log/worker.log)"
fi
trap '[ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true' EXIT
streamlit run server.py --server.port "${ALPR_PORT:-8501}"
