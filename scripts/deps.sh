#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the given Debian packages that are not installed yet; idempotent and non-interactive.
set -euo pipefail

missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The guest kernel is fetched with apt-get download (never installed), so the package lists must
# know it even when every package above is present.
lists_ok=1
apt-cache show linux-image-amd64 >/dev/null 2>&1 || lists_ok=0
if [ ${#missing[@]} -eq 0 ] && [ $lists_ok -eq 1 ]; then
    echo "deps: all ${#@} packages present"
    exit 0
fi
echo "deps: installing ${missing[*]:-nothing (refreshing the package lists)}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
[ ${#missing[@]} -eq 0 ] || $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
