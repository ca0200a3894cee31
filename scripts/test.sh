#!/usr/bin/env bash
# Install everything the tests need, then run every check: lint, content, unit, AppTest,
# browser and fault tests. Exits non-zero when anything fails (or when no test ran).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt

# Ralph's LRS server (the real LRS of tests/unit/test_lrs.py) pins an older FastAPI/Starlette/uvicorn
# than Streamlit's, so it lives in its own venv, rebuilt when requirements-lrs.txt changes.
if [ ! -x .venv-lrs/bin/ralph ] || ! cmp -s requirements-lrs.txt .venv-lrs/requirements-lrs.txt; then
  rm -rf .venv-lrs
  python3 -m venv .venv-lrs
  .venv-lrs/bin/pip install --quiet --disable-pip-version-check -r requirements-lrs.txt
  cp requirements-lrs.txt .venv-lrs/requirements-lrs.txt
fi

if [ ! -x /usr/bin/chromium ]; then
  # Debian's Chromium drives the browser tests (Playwright cannot download its own here).
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium > /dev/null
fi

if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  # Debian's PostgreSQL: the store's contract, migration and fault tests start their own server.
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql > /dev/null
fi

if [ ! -x /usr/sbin/nginx ]; then
  # Debian's nginx: the browser test of deploy/nginx/meso.conf runs it in front of two replicas
  # (its own configuration and port; the package's default site is not used).
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nginx > /dev/null
fi

echo "== ruff"; python3 -m ruff check .
echo "== ruff format"; python3 -m ruff format --check .
echo "== import layers"; lint-imports
echo "== mypy"; python3 -m mypy
echo "== content check"; python3 -m course check --strict
echo "== pytest"; python3 -m pytest -q "$@"
