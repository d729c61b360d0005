#!/usr/bin/env bash
# Set up .venv with Python 3.12+ and the project installed (editable, with dev tools).
# Idempotent: re-running only reinstalls when pyproject.toml has changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for cand in python3.12 python3.13 python3; do
    if command -v "$cand" >/dev/null 2>&1 &&
       "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local v; v=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -V | tail -1 || true)
    if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python3"; return 0; fi
  fi
  return 1
}

if [ ! -x .venv/bin/python ]; then
  if ! PY=$(find_python); then
    echo "setup: Python 3.12 or newer is needed (Mesa 3.5 requires it) and none was found." >&2
    echo "       Install it (e.g. 'pyenv install 3.12' or your OS package python3.12) and re-run." >&2
    exit 1
  fi
  echo "setup: creating .venv with $("$PY" --version)"
  "$PY" -m venv .venv
fi

stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "setup: installing dependencies (first run takes a minute)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# The dashboard's browser tests (tests/test_dashboard_browser.py) drive Debian's Chromium
# through Playwright (PyPI's playwright, pointed at it: `playwright install` is not needed).
# Installed here when missing and this runs as root with apt-get (as CI does); otherwise
# the browser tests fail and say how to install it.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${SIM_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium (apt-get) for the dashboard's browser tests"
    if ! { apt-get install -y -q chromium >/dev/null 2>&1 ||
           { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null; }; }
    then
      echo "setup: could not install chromium; the browser tests will fail until it is" \
           "installed (apt-get install chromium, or SIM_CHROMIUM=/path/to/chromium)" >&2
    fi
  else
    echo "setup: chromium not found; the dashboard's browser tests need it" \
         "(sudo apt-get install chromium, or SIM_CHROMIUM=/path/to/chromium)" >&2
  fi
fi
