#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot an ISO under Bochs (Intel CPU model with VMX and EPT); COM1 goes to a file, or both ways
# through a TCP connection Bochs opens to SERIAL_OUT = tcp:HOST:PORT. Bochs has no headless mode
# in Debian's build, so it runs under `script` with the text display.
set -euo pipefail

usage() {
    echo "usage: $0 ISO SERIAL_OUT|tcp:HOST:PORT [SECONDS] [MEGS] [CPUS]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
iso=$(realpath "$1") serial=$2 seconds=${3:-120} megs=${4:-512} cpus=${5:-1}
[ -f "$iso" ] || { echo "bochs.sh: $iso is missing; run 'make image' first" >&2; exit 1; }
command -v bochs >/dev/null 2>&1 || { echo "bochs.sh: bochs is missing; run 'make deps'" >&2; exit 1; }
[ -f /usr/share/bochs/BIOS-bochs-latest ] || { echo "bochs.sh: bochsbios is missing; run 'make deps'" >&2; exit 1; }

if [[ $serial == tcp:* ]]; then
    com1="com1: enabled=1, mode=socket-client, dev=${serial#tcp:}"
else
    com1="com1: enabled=1, mode=file, dev=$(realpath -m "$serial")"
    : >"$serial"
fi

dir=$(mktemp -d)
# Bochs runs in the session `script` creates, so a signal to our process group misses it: stop
# it by its configuration path whenever we end (also when we are terminated).
cleanup() {
    pkill -f "$dir/bochsrc" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' TERM INT HUP
cat >"$dir/bochsrc" <<CONF
megs: $megs
cpu: model=corei7_haswell_4770, count=$cpus, ips=60000000
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
$com1
display_library: term
log: $dir/bochs.log
panic: action=fatal
CONF
echo c >"$dir/rc" # Debian's Bochs has the internal debugger: continue right away
# In the background and waited for, so that a TERM runs the trap at once.
timeout "$seconds" script -qfc "bochs -q -f $dir/bochsrc -rc $dir/rc" /dev/null >/dev/null 2>&1 &
wait $! || true
