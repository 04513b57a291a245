#!/usr/bin/env bash
# Builds the files the DM images are made of besides the application itself, from this machine's JDK
# and Debian packages, so that images build without pulling a base image from any registry:
#   OUT/jre/  a jlink'd Java runtime at /opt/java/openjdk (the path of eclipse-temurin images), the shared
#             libraries it links against (found with ldd), /etc/passwd and /etc/group with the
#             non-root user dm (1000:1000), /etc/nsswitch.conf, /tmp, and the Debian copyright files of
#             whatever it copied. Same bytes for master and worker, so they share that layer.
#   OUT/app/  the working directory /var/lib/dm and, with --etcd, /usr/bin/etcd (Debian's etcd-server)
#             plus any library it needs that OUT/jre lacks.
# Usage: image-rootfs.sh OUT_DIR [--etcd[=true|false]] [--base=IMAGE]
#   --base=IMAGE  the image's base; anything but "scratch" (e.g. eclipse-temurin:17-jre) must bring its
#                 own Java at /opt/java/openjdk and glibc, and then no OUT/jre is made.
# Reproducible: the same JDK and packages give the same bytes (Jib then fixes times and owners).
set -euo pipefail

# The modules the services use (jdeps --print-module-deps over both services' jars and their libraries)
# plus the ones only loaded as services: EC crypto for TLS, the extra charsets MySQL may announce.
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.prefs,java.scripting
MODULES=$MODULES,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.crypto.ec,jdk.charsets
# java.desktop is there for java.beans only: its AWT, font and sound natives are never loaded on a
# headless server and would pull in X11, freetype and ALSA.
DESKTOP_NATIVES='libawt.so libawt_headless.so libawt_xawt.so libfontmanager.so libjawt.so libjavajpeg.so libjsound.so liblcms.so libmlib_image.so libsplashscreen.so'

out=""
etcd=false
base_has_jre=false
for arg in "$@"; do
  case "$arg" in
    --etcd|--etcd=true) etcd=true ;;
    --etcd=false) etcd=false ;;
    --base=scratch) base_has_jre=false ;;
    --base=*) base_has_jre=true ;;
    -*) echo "image-rootfs.sh: unknown option $arg" >&2; exit 2 ;;
    *) out=$arg ;;
  esac
done
[ -n "$out" ] || { echo "usage: image-rootfs.sh OUT_DIR [--etcd[=true|false]] [--base=IMAGE]" >&2; exit 2; }

for tool in ldd dpkg-query; do
  command -v "$tool" >/dev/null || { echo "image-rootfs.sh: $tool not found (a JDK 17+ and Debian/Ubuntu are needed)" >&2; exit 1; }
done
if $etcd && ! command -v etcd >/dev/null; then
  echo "image-rootfs.sh: etcd not found: install Debian's etcd-server (scripts/ensure-deps.sh does)" >&2
  exit 1
fi

rm -rf "$out"
jre="$out/jre"
app="$out/app"
mkdir -p "$app/var/lib/dm"

# Copies each shared library FILE... links against (and the dynamic loader) to the same path under
# ROOT, unless it is already under SKIP_ROOT, and records its Debian package for the copyright files.
copy_libs() {
  local root=$1 skip_root=$2; shift 2
  local lib
  for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u); do
    case "$lib" in "$jre_home"/*) continue ;; esac   # the runtime's own libraries
    [ -e "$skip_root$lib" ] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
    chmod 0755 "$root$lib"   # the kernel wants the loader executable; the rest do not mind
    add_copyright "$root" "$lib"
  done
}

add_copyright() {
  local root=$1 file=$2 pkg
  # Debian's merged /usr: the package database may know /usr/lib/... for /lib/... and vice versa.
  pkg=$(dpkg-query -S "$file" 2>/dev/null || dpkg-query -S "/usr$file" 2>/dev/null || dpkg-query -S "$(readlink -f "$file")" 2>/dev/null || true)
  pkg=${pkg%%:*}
  if [ -n "$pkg" ] && [ -f "/usr/share/doc/$pkg/copyright" ]; then
    mkdir -p "$root/usr/share/doc/$pkg"
    cp "/usr/share/doc/$pkg/copyright" "$root/usr/share/doc/$pkg/copyright"
  fi
}

# The JDK Maven runs on (it exports JAVA_HOME to this script), else the one on the PATH.
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ]; then
  java_bin=$(readlink -f "$JAVA_HOME/bin/jlink")
else
  java_bin=$(readlink -f "$(command -v jlink)")
fi
jdk=$(dirname "$(dirname "$java_bin")")
jre_home="$jre/opt/java/openjdk"

if ! $base_has_jre; then
  mkdir -p "$jre/opt/java" "$jre/etc" "$jre/tmp"
  jlink --module-path "$jdk/jmods" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$jre_home"
  for so in $DESKTOP_NATIVES; do rm -f "$jre_home/lib/$so"; done
  # jlink links the legal notices of each module to java.base's; files are simpler for image layers.
  find "$jre_home/legal" -type l | while read -r link; do cp --remove-destination "$(readlink -f "$link")" "$link"; done
  chmod 0755 "$jre_home/bin/"* "$jre_home/lib/jspawnhelper" "$jre_home/lib/jexec"
  add_copyright "$jre" "$java_bin"
  copy_libs "$jre" /nonexistent "$jre_home/bin/java" $(find "$jre_home" -name '*.so')
  # glibc dlopens libgcc_s for thread cancellation, which ldd cannot see.
  ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)   # /sbin is not on a user's PATH on Debian
  gcc_s=$("$ldconfig_bin" -p | awk '/libgcc_s\.so\.1 .*x86-64|libgcc_s\.so\.1 .*AArch64/ {print $NF; exit}')
  if [ -n "$gcc_s" ] && [ ! -e "$jre$gcc_s" ]; then
    mkdir -p "$jre$(dirname "$gcc_s")"; cp -L "$gcc_s" "$jre$gcc_s"; add_copyright "$jre" "$gcc_s"
  fi
  # LANG=C.UTF-8 (set by the images) makes the JVM's file name and console encoding UTF-8; glibc reads
  # that locale from here.
  if [ -d /usr/lib/locale/C.utf8 ]; then
    mkdir -p "$jre/usr/lib/locale"
    cp -r /usr/lib/locale/C.utf8 "$jre/usr/lib/locale/C.utf8"
    add_copyright "$jre" /usr/lib/locale/C.utf8
  fi
  cat > "$jre/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
dm:x:1000:1000:DM for Java:/var/lib/dm:/sbin/nologin
EOF
  cat > "$jre/etc/group" <<'EOF'
root:x:0:
dm:x:1000:
EOF
  # Name lookups: the container's /etc/hosts first, then DNS (both built into glibc 2.34+).
  cat > "$jre/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF
fi

if $etcd; then
  etcd_bin=$(readlink -f "$(command -v etcd)")
  mkdir -p "$app/usr/bin"
  cp "$etcd_bin" "$app/usr/bin/etcd"
  chmod 0755 "$app/usr/bin/etcd"
  add_copyright "$app" "$etcd_bin"
  # Debian's etcd needs only glibc, which OUT/jre (or the Java base image) already has.
  $base_has_jre || copy_libs "$app" "$jre" "$etcd_bin"
fi
echo "image-rootfs.sh: $(du -sh "$out" | cut -f1) in $out"
