#!/usr/bin/env bash
# Set up everything dxdesk needs on a fresh Debian/Ubuntu machine with python3 >= 3.11:
# the system libraries Qt needs offscreen, a Japanese font, LibreOffice Calc (the real spreadsheet
# client the tests use), Gnumeric (its ssconvert is the second real client of tests/test_real_clients.py)
# poppler (PDF -> PNG) and PostgreSQL (the tests start their own server, tests/pg_server.py, to run the store
# tests on the shared-workspace backend too), then a virtualenv in .venv with dxdesk and its
# test tools. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || { echo "setup: apt-get がありません。次を手動で入れてください: $*" >&2; return 0; }
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  echo "setup: installing $*" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Qt's xcb platform plugin (the window of `dxdesk gui` on a Linux desktop) needs the libxcb-* libraries;
# tests/test_setup_gui_libs.py checks with ldd that none is missing.
pkgs=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-noto-cjk
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0
      libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-util1
      libreoffice-calc python3-uno poppler-utils gnumeric postgresql)
$PY -c 'import ensurepip' >/dev/null 2>&1 || pkgs+=(python3-venv)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

[ -x .venv/bin/python ] || $PY -m venv .venv
marker=.venv/.dxdesk-installed
if [ ! -f "$marker" ] || [ pyproject.toml -nt "$marker" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$marker"
fi
