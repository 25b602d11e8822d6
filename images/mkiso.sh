#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Assemble the bootable GRUB ISO (BIOS, plus UEFI when GRUB's x86_64-efi modules are present).
set -euo pipefail

usage() {
    echo "usage: $0 OUT.iso HYPERVISOR.elf ROOT.elf GRUB.cfg" >&2
    exit 2
}
[ $# -eq 4 ] || usage
out=$1 hypervisor=$2 root=$3 cfg=$4

for f in "$hypervisor" "$root" "$cfg"; do
    [ -f "$f" ] || { echo "mkiso: $f is missing; run 'make' first" >&2; exit 1; }
done
for tool in grub-mkrescue:grub-common xorriso:xorriso mformat:mtools; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || {
        echo "mkiso: '${tool%%:*}' is missing (package ${tool#*:}); run 'make deps' first" >&2
        exit 1
    }
done
[ -d /usr/lib/grub/i386-pc ] || {
    echo "mkiso: GRUB BIOS modules missing (package grub-pc-bin); run 'make deps' first" >&2
    exit 1
}

# Stage the ISO tree next to the output so a failed run leaves nothing half-written behind.
stage=$(mktemp -d "$(dirname "$out")/iso.XXXXXX")
log="$stage.log"
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub"
cp "$cfg" "$stage/boot/grub/grub.cfg"
cp "$hypervisor" "$stage/boot/hypervisor.elf"
cp "$root" "$stage/boot/root.elf"

# grub-mkrescue picks up every installed platform (i386-pc, x86_64-efi) by itself.
if ! grub-mkrescue -o "$out.tmp" "$stage" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$out.tmp"
    echo "mkiso: grub-mkrescue failed" >&2
    exit 1
fi
mv "$out.tmp" "$out"
platforms=bios
[ -d /usr/lib/grub/x86_64-efi ] && platforms="bios+uefi"
echo "mkiso: $out ($platforms)"
