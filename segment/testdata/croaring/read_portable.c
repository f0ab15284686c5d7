// read_portable reads one portable roaring bitmap from stdin with CRoaring
// (libroaring-dev) and prints its cardinality, then every value, one per
// line. It exits with status 1 when CRoaring rejects the bytes or when they
// are not exactly one bitmap. It is a second, independent reader of the bytes
// that segment.WriteSegment writes; see portable_test.go.
#include <roaring/roaring.h>
#include <stdio.h>
#include <stdlib.h>

static bool print_value(uint32_t v, void *arg) {
	(void)arg;
	printf("%u\n", v);
	return true;
}

int main(void) {
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	size_t size = roaring_bitmap_portable_deserialize_size(buf, n);
	if (size == 0 || size != n) {
		fprintf(stderr, "read_portable: %zu bytes hold a bitmap of %zu bytes\n", n, size);
		return 1;
	}
	roaring_bitmap_t *r = roaring_bitmap_portable_deserialize_safe(buf, n);
	if (r == NULL) {
		fprintf(stderr, "read_portable: CRoaring rejected the bitmap\n");
		return 1;
	}
	printf("%llu\n", (unsigned long long)roaring_bitmap_get_cardinality(r));
	roaring_iterate(r, print_value, NULL);
	roaring_bitmap_free(r);
	free(buf);
	return 0;
}
