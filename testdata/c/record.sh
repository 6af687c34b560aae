#!/bin/sh
# Rebuilds leaky_c / leaky_cpp and records them under valgrind massif and heaptrack into
# recordings/. Builds in a fixed directory (/tmp/memleak-testdata-c) with -fdebug-prefix-map,
# so that the paths inside the recordings do not depend on where the repository lives.
# Needs: gcc, g++, valgrind (massif, ms_print), heaptrack. Timings differ from run to run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/memleak-testdata-c
out="$here/recordings"
rm -rf "$work"
mkdir -p "$work" "$out"
cp "$here/leaky_c.c" "$here/leaky_cpp.cpp" "$work/"
cd "$work"
gcc -g -O0 -fdebug-prefix-map="$work"=. -o leaky_c leaky_c.c
g++ -g -O0 -std=c++17 -fdebug-prefix-map="$work"=. -o leaky_cpp leaky_cpp.cpp

massif() {  # massif NAME TIME_UNIT PROGRAM [MASSIF OPTION...]
  name=$1 unit=$2 prog=$3
  shift 3
  valgrind --tool=massif --detailed-freq=1 --time-unit="$unit" "$@" \
    --massif-out-file="$out/massif.out.$name" "./$prog" >/dev/null 2>&1
  # Replace massif's echo of the output path with the file name alone.
  sed -i "1s|--massif-out-file=$out/|--massif-out-file=|" "$out/massif.out.$name"
  (cd "$out" && ms_print "massif.out.$name" > "massif.out.$name.ms_print.txt")
}
massif leaky_c.ms ms leaky_c
massif leaky_c.i i leaky_c
# C++ stacks are long (template names): fewer snapshots keep the file small.
massif leaky_cpp.ms ms leaky_cpp --max-snapshots=30

heaptrack_record() {  # heaptrack_record PROGRAM
  rm -f heaptrack."$1".*
  heaptrack -o "heaptrack.$1" "./$1" >/dev/null 2>&1
  f=$(ls heaptrack."$1".* | head -n 1)
  ext=${f##*.}
  cp "$f" "$out/heaptrack.$1.$ext"
}
heaptrack_record leaky_c
heaptrack_record leaky_cpp
ls -l "$out"
