#!/bin/sh
# Compiles the sources and the tests, then runs every *Test class (each has a main that throws on a failure).
set -e
rm -rf build
mkdir -p build
javac -d build $(find src test -name '*.java')
for class in $(cd build && find . -name '*Test.class' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort); do
  echo "== $class"
  java -ea -cp build "$class"
done
