#!/usr/bin/env bash
# Builds one ABI's shim library with the machine's gcc; run by the parent pom's "native-shim"
# profile in every module that has src/main/c/include (abi-linux, abi-freebsd).
#   build-shim.sh ABI MODULE_DIR JDK_HOME
# Compiles MODULE_DIR/src/main/c/*.c with this directory's aioemu_jvm.c into
# MODULE_DIR/target/native/libaioemu-ABI.so, and puts the library and the include/ tree under
# target/classes/native/ABI/ so that the module's jar carries them.
set -euo pipefail
abi=$1 module=$2 jdk=$3
bridge=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "aioemu: '$cc' not found: the $abi shim library is C and needs gcc (Debian: apt-get install gcc)" >&2
  exit 1
fi
jni=""
for home in "$jdk" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$home" ] && [ -f "$home/include/jni.h" ]; then jni=$home/include; break; fi
done
if [ -z "$jni" ]; then
  echo "aioemu: no jni.h under $jdk/include, \$JAVA_HOME/include or /usr/lib/jvm/temurin-25-jdk-amd64/include: the $abi shim needs a JDK's headers" >&2
  exit 1
fi
out=$module/target/native
pack=$module/target/classes/native/$abi
mkdir -p "$out" "$pack"
"$cc" -O2 -shared -fPIC -fvisibility=hidden -Wall -Wextra \
  -I"$module/src/main/c/include" -I"$bridge" -I"$jni" -I"$jni/linux" \
  "$module"/src/main/c/*.c "$bridge/aioemu_jvm.c" \
  -Wl,-soname,libaioemu-$abi.so -o "$out/libaioemu-$abi.so" -ldl -lpthread
cp "$out/libaioemu-$abi.so" "$pack/"
rm -rf "$pack/include"
cp -r "$module/src/main/c/include" "$pack/include"
