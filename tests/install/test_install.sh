#!/bin/sh
# `make install` into a scratch DESTDIR, then build and run a program against the installed
# header, shared library (SONAME) and pkg-config file, and the static library.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

make -s install DESTDIR="$D/root" PREFIX=/opt/tco >"$D/install.log" 2>&1 && ok || { bad "make install"; cat "$D/install.log"; }
for f in bin/tco include/tco.h lib/libtco.a lib/libtco.so lib/libtco.so.0 lib/pkgconfig/tco.pc \
         share/man/man1/tco.1 share/man/man3/tco.3 lib/libtcosim.so.0; do
    [ -e "$D/root/opt/tco/$f" ] && ok || bad "missing $f"
done
readelf -d "$D/root/opt/tco/lib/libtco.so" | grep -q 'SONAME.*libtco.so.0' && ok || bad "SONAME"
grep -q '^prefix=/opt/tco$' "$D/root/opt/tco/lib/pkgconfig/tco.pc" && ok || bad "pc prefix"
grep -q '^Libs.private:.*-lcrypto' "$D/root/opt/tco/lib/pkgconfig/tco.pc" && ok || bad "pc Libs.private"
grep -q '^Libs.private:.*-lusb-1.0' "$D/root/opt/tco/lib/pkgconfig/tco.pc" && ok || bad "pc Libs.private libusb"
grep -q 'ATTR{idProduct}=="6010".*GROUP="plugdev".*uaccess' "$D/root/etc/udev/rules.d/99-tco.rules" \
    && ok || bad "udev rule"
# only the public API is exported
extra=$(nm -D --defined-only "$D/root/opt/tco/lib/libtco.so" | awk '{print $3}' | grep -v '^tco_' | head -3)
[ -z "$extra" ] && ok || bad "non-API symbols exported: $extra"

cat > "$D/app.c" <<'C'
#include <tco.h>
#include <stdio.h>
int main(void)
{
    tco_dev *d = NULL;
    tco_status st = tco_open(&d, "soft:");
    printf("%s\n", tco_strerror(st));
    tco_close(d);
    return st == TCO_OK ? 0 : 1;
}
C
export PKG_CONFIG_SYSROOT_DIR="$D/root" PKG_CONFIG_PATH="$D/root/opt/tco/lib/pkgconfig"
if cc "$D/app.c" $(pkg-config --cflags --libs tco) -o "$D/app" 2>"$D/cc.log"; then
    LD_LIBRARY_PATH="$D/root/opt/tco/lib" "$D/app" | grep -q '^success$' && ok || bad "shared app run"
else bad "shared app build"; cat "$D/cc.log"; fi
if cc "$D/app.c" $(pkg-config --cflags tco) "$D/root/opt/tco/lib/libtco.a" \
      $(pkg-config --static --libs-only-l tco | sed 's/-ltco//') -o "$D/app-static" 2>"$D/cc2.log"; then
    "$D/app-static" | grep -q '^success$' && ok || bad "static app run"
else bad "static app build"; cat "$D/cc2.log"; fi
env -u TCO_SIM_LIB "$D/root/opt/tco/bin/tco" --dev soft: selftest | grep -q 'selftest=pass' && ok || bad "installed tco"
# the installed program finds the installed libtcosim through its RUNPATH
env -u TCO_SIM_LIB "$D/root/opt/tco/bin/tco" --dev sim: selftest | grep -q 'selftest=pass' && ok || bad "installed tco on sim:"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
