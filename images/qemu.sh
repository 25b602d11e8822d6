#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot the hypervisor under QEMU (TCG, serial on stdio): the one launcher `make run` and the tests share.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
qemu=${QEMU:-qemu-system-x86_64}

usage() {
    cat <<USAGE
usage: images/qemu.sh [options] [-- extra QEMU arguments]

  --kernel            boot build/hypervisor.mb1 with QEMU -kernel (multiboot v1; default)
  --iso               boot build/nova.iso from the CD-ROM drive (GRUB, multiboot v2)
  --iso-file FILE     like --iso, with another ISO (e.g. one made by images/mkiso.sh)
  --uefi              with --iso: boot through OVMF instead of the BIOS
  --smp N             number of CPUs (default 1)
  --machine TYPE      q35 or pc (default q35)
  --cpu MODEL         QEMU CPU model (default max)
  --mem SIZE          guest RAM (default 512M)
  --append STR        hypervisor command line (--kernel only)
  --module "FILE ARGS"
                      add a boot module (repeatable, --kernel only); FILE is loaded and
                      "FILE ARGS" is its command line. Default: "build/root.elf root.elf"
  --no-module         boot without any module
  --exit-when-done    tell the root task to exit QEMU through isa-debug-exit when it is done
                      (adds " qemu-exit" to the first module's arguments)
  --dry-run           print the QEMU command instead of running it
  -h, --help          this text

Exit status: 0 when the root task reported success through isa-debug-exit, 1 when it
reported failure (in general: value V written to port 0xf4 gives status V), 2 for usage
errors or when QEMU ended without a report while --exit-when-done was given.
USAGE
}

die() {
    echo "qemu.sh: $*" >&2
    exit 2
}

mode=kernel uefi=0 smp=1 machine=q35 cpu=max mem=512M append="" no_module=0 exit_when_done=0
dry_run=0 append_set=0 iso=""
modules=()
extra=()

need_arg() {
    [ $# -ge 2 ] || die "option $1 needs an argument (see --help)"
}

while [ $# -gt 0 ]; do
    case $1 in
    --kernel) mode=kernel ;;
    --iso) mode=iso ;;
    --iso-file) need_arg "$@"; mode=iso; iso=$2; shift ;;
    --uefi) uefi=1 ;;
    --smp) need_arg "$@"; smp=$2; shift ;;
    --machine) need_arg "$@"; machine=$2; shift ;;
    --cpu) need_arg "$@"; cpu=$2; shift ;;
    --mem) need_arg "$@"; mem=$2; shift ;;
    --append) need_arg "$@"; append=$2; append_set=1; shift ;;
    --module) need_arg "$@"; modules+=("$2"); shift ;;
    --no-module) no_module=1 ;;
    --exit-when-done) exit_when_done=1 ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
done

[[ $smp =~ ^[1-9][0-9]*$ ]] || die "--smp wants a positive number, not '$smp'"
case $machine in
q35 | pc) ;;
*) die "--machine must be q35 or pc, not '$machine'" ;;
esac

command -v "$qemu" >/dev/null 2>&1 || {
    echo "qemu.sh: '$qemu' not found (package qemu-system-x86); run 'make deps' first" >&2
    exit 2
}

# A file the build produces: say so when it is missing.
need_built() {
    [ -f "$1" ] || {
        echo "qemu.sh: $1 not found; run 'make' first" >&2
        exit 2
    }
}

# shellcheck disable=SC2054 # the commas belong to QEMU's -device syntax
args=(-accel tcg -machine "$machine" -cpu "$cpu" -smp "$smp" -m "$mem"
      -display none -serial stdio -monitor none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)

if [ "$mode" = kernel ]; then
    [ "$uefi" -eq 0 ] || die "--uefi needs --iso"
    kernel=$top/build/hypervisor.mb1
    need_built "$kernel"
    if [ "$no_module" -eq 1 ]; then
        [ ${#modules[@]} -eq 0 ] || die "--no-module and --module exclude each other"
    elif [ ${#modules[@]} -eq 0 ]; then
        need_built "$top/build/root.elf"
        # Relative to the repository when possible: the module's command line shows the path.
        if [ "$(pwd)" = "$top" ]; then
            modules=("build/root.elf root.elf")
        else
            modules=("$top/build/root.elf root.elf")
        fi
    fi
    if [ "$exit_when_done" -eq 1 ] && [ ${#modules[@]} -gt 0 ]; then
        modules[0]="${modules[0]} qemu-exit"
    fi
    initrd=""
    for m in "${modules[@]}"; do
        file=${m%% *}
        [ -f "$file" ] || { echo "qemu.sh: module file '$file' not found" >&2; exit 2; }
        # QEMU splits the module list at ',' and reads ',,' as a literal comma.
        initrd+="${initrd:+,}${m//,/,,}"
    done
    args+=(-kernel "$kernel")
    [ "$append_set" -eq 0 ] || args+=(-append "$append")
    [ -z "$initrd" ] || args+=(-initrd "$initrd")
else
    [ "$append_set" -eq 0 ] || die "--append needs --kernel (the ISO's command line is in images/grub.cfg)"
    if [ ${#modules[@]} -gt 0 ] || [ "$no_module" -eq 1 ]; then
        die "--module/--no-module need --kernel (the ISO's modules are in images/grub.cfg)"
    fi
    [ "$exit_when_done" -eq 0 ] ||
        die "--exit-when-done needs --kernel (the ISO's module arguments are in images/grub.cfg)"
    if [ -z "$iso" ]; then
        iso=$top/build/nova.iso
        need_built "$iso"
    fi
    [ -f "$iso" ] || { echo "qemu.sh: ISO file '$iso' not found" >&2; exit 2; }
    args+=(-cdrom "$iso" -boot d)
    if [ "$uefi" -eq 1 ]; then
        ovmf=/usr/share/OVMF/OVMF_CODE.fd
        [ -f "$ovmf" ] || { echo "qemu.sh: $ovmf not found (package ovmf); run 'make deps' first" >&2; exit 2; }
        args+=(-bios "$ovmf")
    fi
fi

args+=("${extra[@]}")

if [ "$dry_run" -eq 1 ]; then
    printf '%q' "$qemu"
    printf ' %q' "${args[@]}"
    printf '\n'
    exit 0
fi

# QEMU's stderr is copied aside: its own start-up errors also end it with status 1, which
# would otherwise read as the guest's "success" report. The copy is unlinked at once (kept
# open on fds 5 and 6), so nothing is left behind when the tests kill us.
errlog=$(mktemp "${TMPDIR:-/tmp}/nova-qemu.XXXXXX")
# shellcheck disable=SC2094 # one writer (tee, through fd 5), read back through fd 6 afterwards
exec 5>"$errlog" 6<"$errlog"
rm -f "$errlog"
exec 3>&1
set +e
"$qemu" "${args[@]}" 2>&1 1>&3 3>&- 5>&- 6<&- | tee /dev/fd/5 >&2
status=${PIPESTATUS[0]}
set -e
exec 3>&-

if [ "$status" -eq 1 ] && grep -v 'warning:' <&6 | grep -q .; then
    echo "qemu.sh: QEMU failed (see its message above)" >&2
    exit 2
fi
# isa-debug-exit ends QEMU with status (V << 1) | 1 for the value V the guest wrote.
if [ $((status & 1)) -eq 1 ] && [ "$status" -lt 128 ]; then
    exit $((status >> 1))
fi
if [ "$exit_when_done" -eq 1 ] && [ "$status" -eq 0 ]; then
    echo "qemu.sh: QEMU ended without a result from the root task (reset, triple fault or shutdown?)" >&2
    exit 2
fi
exit "$status"
