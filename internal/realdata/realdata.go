// Package realdata locates the public customer data sets that sit beside a
// checkout of the repository in ../shared/data. Tests and benchmarks that use
// them skip with a clear message when the folder is absent, as it is in a
// user's clone. The example programs do not use it (a user's copy of them
// could not import an internal package): they take the folder as a -data
// flag instead.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the data folder, or "" when it cannot be found. It looks for
// shared/data beside the module root (the first parent folder that holds a
// go.mod naming the library) and honours MICROSEG_DATA when set.
func Dir() string {
	if d := os.Getenv("MICROSEG_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && isLibraryModule(b) {
			d := filepath.Join(dir, "..", "shared", "data")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return d
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func isLibraryModule(gomod []byte) bool {
	const want = "module github.com/fabeed28/microseg\n"
	return len(gomod) >= len(want) && string(gomod[:len(want)]) == want
}

// Path returns the path of the named data file, or skips tb with a message
// saying where the file was expected when it is absent.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("real data not found: %s needs ../shared/data beside the repository (or MICROSEG_DATA); skipping", name)
	}
	p := filepath.Join(d, name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("real data file %s not found (%v); skipping", p, err)
	}
	return p
}
