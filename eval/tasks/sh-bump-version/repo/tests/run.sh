#!/bin/sh
# Runs every tests/test_*.sh; fails when one of them fails.
status=0
for test in tests/test_*.sh; do
  if sh "$test"; then echo "ok   $test"; else echo "FAIL $test"; status=1; fi
done
exit $status
