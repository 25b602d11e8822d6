#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Assemble the bootable GRUB ISO (BIOS, plus UEFI when GRUB's x86_64-efi modules are present).
set -euo pipefail

usage() {
    cat >&2 <<USAGE
usage: $0 OUT.iso HYPERVISOR.elf ROOT.elf GRUB.cfg
       $0 OUT.iso HYPERVISOR.elf --module "FILE ARGS" [--module "FILE ARGS"]... [--append CMDLINE]
The first form boots with GRUB.cfg, which names /boot/hypervisor.elf and /boot/root.elf. The
second writes the menu itself: the hypervisor with CMDLINE, then every module in order (the first
is the root task), each with its arguments as its command line (ARGS defaults to FILE's name).
USAGE
    exit 2
}
[ $# -ge 3 ] || usage
out=$1 hypervisor=$2
shift 2
modules=() append="" cfg="" root=""
if [ "${1:-}" = --module ]; then
    while [ $# -gt 0 ]; do
        case "$1" in
        --module) [ $# -ge 2 ] || usage; modules+=("$2"); shift 2 ;;
        --append) [ $# -ge 2 ] || usage; append=$2; shift 2 ;;
        *) usage ;;
        esac
    done
else
    [ $# -eq 2 ] || usage
    root=$1 cfg=$2
fi

for f in "$hypervisor" ${root:+"$root"} ${cfg:+"$cfg"}; do
    [ -f "$f" ] || { echo "mkiso: $f is missing; run 'make' first" >&2; exit 1; }
done
for m in "${modules[@]}"; do
    file=${m%% *}
    [ -f "$file" ] || { echo "mkiso: module file '$file' is missing" >&2; exit 1; }
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
cp "$hypervisor" "$stage/boot/hypervisor.elf"
if [ -n "$cfg" ]; then
    cp "$cfg" "$stage/boot/grub/grub.cfg"
    cp "$root" "$stage/boot/root.elf"
else
    # Numbered file names keep two modules with the same base name apart.
    {
        echo "set timeout=0"
        echo "set default=0"
        echo "menuentry \"NOVA microhypervisor\" {"
        echo "    multiboot2 /boot/hypervisor.elf${append:+ $append}"
        n=0
        for m in "${modules[@]}"; do
            file=${m%% *} args=${m#"$file"}
            args=${args# }
            n=$((n + 1))
            cp "$file" "$stage/boot/$n-$(basename "$file")"
            echo "    module2 /boot/$n-$(basename "$file") ${args:-$(basename "$file")}"
        done
        echo "    boot"
        echo "}"
    } >"$stage/boot/grub/grub.cfg"
fi

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
