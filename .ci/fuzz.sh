#!/bin/sh
# Runs every fuzz target of the text form, the snapshot reader and the
# state machine of the base (FuzzBaseOps) for a
# bounded number of inputs, starting from the seed corpora in
# segment/testdata/fuzz. A panic, a hang (-timeout) or a failed property
# fails the script; the fuzzer writes the failing input under
# segment/testdata/fuzz.
#
# The budgets are counts of inputs, 15–25 s each on this machine, not
# durations: with a duration, Go 1.26's fuzz coordinator can report
# "context deadline exceeded" as a failure when the time runs out while a
# worker is busy (go.dev/issue/75804, fixed in Go 1.27), which it did here
# on FuzzReadBase with no failing input. FUZZSCALE multiplies the budgets.
set -eu
cd "$(dirname "$0")/.."
FUZZSCALE="${FUZZSCALE:-1}"
for spec in FuzzParse:300000 FuzzReadBase:200000 FuzzDecodePayload:100000 FuzzBaseOps:8000; do
	target=${spec%%:*}
	execs=$(( ${spec#*:} * FUZZSCALE ))
	echo "== $target (${execs} inputs)"
	go test -run '^$' -fuzz "^${target}\$" -fuzztime "${execs}x" -fuzzminimizetime 5s -timeout 10m ./segment/
done
