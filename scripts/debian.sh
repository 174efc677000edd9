#!/usr/bin/env bash
# Installs the Debian packages a make target needs when they are missing: itself when run as
# root on Debian/Ubuntu, else it stops with the exact command to run.
#   scripts/debian.sh WHY CHECK:PACKAGE...
# CHECK is a command name, /a/path, lib:NAME (a shared library) or py:MODULE (for python3).
set -euo pipefail
why=$1; shift
missing=()
for pair in "$@"; do
  check=${pair%%:*}; rest=${pair#*:}
  case $check in
    lib) name=${rest%%=*}; pkgs=${rest#*=}; ldconfig -p 2>/dev/null | grep -q "$name" || missing+=($pkgs) ;;
    py) name=${rest%%=*}; pkgs=${rest#*=}; "${PYTHON:-python3}" -c "import $name" 2>/dev/null || missing+=($pkgs) ;;
    /*) [ -x "$check" ] || missing+=($rest) ;;
    *) command -v "$check" >/dev/null 2>&1 || missing+=($rest) ;;
  esac
done
((${#missing[@]})) || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "$why: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
else
  echo "$why needs these Debian packages: ${missing[*]}" >&2
  echo "run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
