#!/usr/bin/env bash
# Make sure Debian's nginx is installed: tests/deploy/test_nginx.py runs `nginx -t` on
# deploy/nginx/ and puts nginx in front of a test instance. Installs it from Debian's packages
# when missing (needs root, like deploy/ci/with-postgres.sh); never starts the system's nginx
# and never touches /etc/nginx beyond what the package installs.
# Where nginx cannot be had: under CI=true this fails (the test must not be skipped there);
# elsewhere it says so and the test is skipped with that reason.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi

give_up() {
  if [ "${CI:-}" = "true" ]; then
    echo "ensure-nginx: $1 (CI needs it for tests/deploy/test_nginx.py)" >&2
    exit 1
  fi
  echo "ensure-nginx: $1; tests/deploy/test_nginx.py will be skipped" >&2
  exit 0
}

[ "$(id -u)" = "0" ] || give_up "nginx is missing and installing it needs root (apt-get install nginx)"
command -v apt-get >/dev/null 2>&1 || give_up "nginx is missing and there is no apt-get to install it"

echo "ensure-nginx: installing nginx from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
# The package would start nginx on port 80; a policy-rc.d that refuses keeps it stopped
# (Debian's documented switch; one already there is left as it is).
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$POLICY"
  chmod 755 "$POLICY"
  trap 'rm -f "$POLICY"' EXIT
fi
APT=(apt-get -o DPkg::Lock::Timeout=300 -qq)
"${APT[@]}" update || give_up "apt-get update failed"
"${APT[@]}" install -y --no-install-recommends nginx >/dev/null || give_up "apt-get install nginx failed"
echo "ensure-nginx: $(/usr/sbin/nginx -v 2>&1)" >&2
