#!/usr/bin/env bash
# fio 4 KiB random reads at iodepth 32 on one file, in rounds so that every engine sees the same
# machine: native kernel libaio, glibc posixaio, libaio under `aioemu exec`. Prints each run's
# IOPS, then the medians. Not a test (nothing asserts on speed); figures go to the README.
#   fio-compare.sh [ROUNDS] [SECONDS] [--direct]
# The file (64 MiB) is written once and read back so that it is page-cached for the buffered runs.
set -euo pipefail
rounds=${1:-5} secs=${2:-3} direct=0
[ "${3:-}" = "--direct" ] && direct=1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)
aioemu=${AIOEMU:-$root/aioemu}   # a command: e.g. "java --enable-native-access=ALL-UNNAMED -jar cli/target/aioemu-cli.jar"
file=${FIO_FILE:-/tmp/aioemu-fio-compare.dat}
[ -f "$file" ] || fio --name=prep --filename="$file" --size=64m --rw=write --bs=1m --output-format=terse >/dev/null
cat "$file" >/dev/null
job=(--name=r --filename="$file" --size=64m --rw=randread --bs=4k --iodepth=32 --direct=$direct
     --time_based --runtime="$secs" --output-format=json)
# fio drops the file from the page cache before each job unless told not to (invalidate=1)
[ "$direct" = 0 ] && job+=(--invalidate=0)
# fio may print a note before its JSON
iops() { python3 -c 'import json,sys; t=sys.stdin.read(); print(round(json.loads(t[t.index("{"):])["jobs"][0]["read"]["iops"]))'; }
declare -A all
for r in $(seq "$rounds"); do
  n=$(fio "${job[@]}" --ioengine=libaio | iops)
  p=$(fio "${job[@]}" --ioengine=posixaio | iops)
  e=$($aioemu exec --abi linux -- fio "${job[@]}" --ioengine=libaio | iops)
  echo "round $r: libaio $n  posixaio $p  aioemu-libaio $e"
  all[libaio]+="$n "; all[posixaio]+="$p "; all[aioemu]+="$e "
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median IOPS (direct=$direct): libaio $(echo ${all[libaio]} | med)  posixaio $(echo ${all[posixaio]} | med)  aioemu-libaio $(echo ${all[aioemu]} | med)"
