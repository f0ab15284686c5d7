#!/bin/sh
# Runs every fuzz target of the text form and the snapshot reader for a
# bounded time (FUZZTIME, default 20s each), starting from the seed corpora
# in segment/testdata/fuzz. A panic, a hang or a failed property fails the
# script; the fuzzer writes the failing input under segment/testdata/fuzz.
set -eu
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-20s}"
for target in FuzzParse FuzzReadBase FuzzDecodePayload; do
	echo "== $target ($FUZZTIME)"
	go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 5s ./segment/
done
