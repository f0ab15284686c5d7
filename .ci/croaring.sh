#!/bin/sh
# Installs CRoaring (Debian: libroaring-dev) when it is missing, then runs
# the test that decodes our portable bitmaps with it and reads its bitmaps
# back. Not fatal when the package or apt-get is unavailable: the test then
# skips, and the golden-bytes test (TestPortableGolden) still checks the
# format against the specification.
set -u
cd "$(dirname "$0")/.."
if [ ! -f /usr/include/roaring/roaring.h ]; then
	# apt-cache knows nothing before the first 'apt-get update' on a new machine.
	command -v apt-get >/dev/null 2>&1 && apt-get update >/dev/null 2>&1
	if command -v apt-get >/dev/null 2>&1 && apt-cache policy libroaring-dev 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		apt-get install -y libroaring-dev >/dev/null 2>&1 ||
			echo "croaring.sh: could not install libroaring-dev; TestPortableCRoaring will skip"
	else
		echo "croaring.sh: libroaring-dev is not available here; TestPortableCRoaring will skip"
	fi
fi
if [ -f /usr/include/roaring/roaring.h ]; then
	MICROSEG_REQUIRE_CROARING=1 go test -count=1 -run '^TestPortableCRoaring$' ./segment/
else
	go test -count=1 -run '^TestPortableCRoaring$' ./segment/
fi
