#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/web/browser/),
# installing it from Debian's packages when missing, as with-postgres.sh does for PostgreSQL.
# The tests drive it with the `playwright` package; `playwright install` (which downloads
# browser builds of its own) is never needed. Run by `make test` and `make test-postgres`.
#   deploy/ci/ensure-chromium.sh
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium.sh: $CHROMIUM is missing and only root can install it (apt-get install chromium):" \
       "the browser tests will be skipped" >&2
  # Under CI the browser tests must run, not skip: stop here with the reason.
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi

echo "ensure-chromium.sh: installing Chromium from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
# Other jobs on the machine may hold apt's lock for a while: wait for it instead of failing.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
"$CHROMIUM" --version >&2
