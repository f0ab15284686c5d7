// write_portable reads unsigned 32-bit integers from stdin, one per line,
// builds a CRoaring bitmap of them, run-optimizes it and writes its portable
// serialization to stdout: the reverse direction of read_portable.c, so the
// test can check that segment.ReadSegment reads what CRoaring writes.
#include <roaring/roaring.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
	roaring_bitmap_t *r = roaring_bitmap_create();
	unsigned long v;
	while (scanf("%lu", &v) == 1) {
		roaring_bitmap_add(r, (uint32_t)v);
	}
	roaring_bitmap_run_optimize(r);
	size_t n = roaring_bitmap_portable_size_in_bytes(r);
	char *buf = malloc(n);
	if (roaring_bitmap_portable_serialize(r, buf) != n) {
		return 1;
	}
	fwrite(buf, 1, n, stdout);
	roaring_bitmap_free(r);
	free(buf);
	return 0;
}
