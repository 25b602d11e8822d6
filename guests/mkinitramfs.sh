#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the guest initramfs (gzip'd newc cpio): busybox, its applet links, /init and /tests.
# Usage: mkinitramfs.sh OUT.cpio.gz BUSYBOX INIT [TESTDIR [PROGRAM...]]  (programs go to /bin)
set -eu

if [ $# -lt 3 ]; then
    echo "usage: $0 OUT.cpio.gz BUSYBOX INIT [TESTDIR [PROGRAM...]]" >&2
    exit 2
fi
out=$1 busybox=$2 init=$3 tests=${4:-}
shift $(($# < 4 ? $# : 4))

work=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/root

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
    "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/run" "$stage/root" \
    "$stage/etc" "$stage/tests"
cp "$busybox" "$stage/bin/busybox"
chmod 0755 "$stage/bin/busybox"
cp "$init" "$stage/init"
chmod 0755 "$stage/init"
if [ -n "$tests" ] && [ -d "$tests" ]; then
    for f in "$tests"/*; do
        [ -f "$f" ] && cp "$f" "$stage/tests/" && chmod 0755 "$stage/tests/${f##*/}"
    done
fi
for program in "$@"; do
    cp "$program" "$stage/bin/${program##*/}"
    chmod 0755 "$stage/bin/${program##*/}"
done
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"
echo "guest" >"$stage/etc/hostname"
# The shell prompt names the guest, so a harness can tell it from the host's.
echo 'PS1="guest:\w# "' >"$stage/etc/profile"

# One absolute link per applet, where busybox says it lives (bin/sh, sbin/poweroff, ...).
"$busybox" --list-full | while read -r applet; do
    case "$applet" in
    bin/busybox | init | linuxrc | "") continue ;;
    esac
    mkdir -p "$stage/${applet%/*}"
    [ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

# No /dev/console node: the kernel's built-in initramfs provides it (and creating one needs
# root). Fixed owner, mtimes and inode numbers keep the archive reproducible.
find "$stage" -exec touch -h -d @0 {} +
if command -v cpio >/dev/null 2>&1; then
    cpio="cpio --quiet"
else
    cpio="$busybox cpio" # Debian's busybox-static can write newc archives too
fi
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort >"$work/list")
(cd "$stage" && $cpio -o -H newc -R 0:0 --ignore-devno --renumber-inodes <"$work/list" >"$work/initramfs.cpio")
mkdir -p "$(dirname "$out")"
gzip -9 -n <"$work/initramfs.cpio" >"$out.tmp"
mv "$out.tmp" "$out"
