#!/usr/bin/env bash
# Create .venv with Python 3.11 and install the project (runtime, or runtime + dev with "dev").
set -euo pipefail
cd "$(dirname "$0")/.."
python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null 2>&1 || python_bin=python3
"$python_bin" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
requirements=requirements.txt
[ "${1:-}" = "dev" ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$(sha256sum "$requirements" requirements.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$requirements"
  .venv/bin/python -m pip install -q --no-deps -e .
  touch "$stamp"
fi
