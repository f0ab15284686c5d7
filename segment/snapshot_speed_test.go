package segment

import (
	"bytes"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"testing"
	"time"
)

// snapshotLoad returns the base of n customers of genLoad with keys "k0",
// "k1", ... loaded by FromColumns, and its snapshot.
func snapshotLoad(t testing.TB, n int) (*Base, []byte) {
	t.Helper()
	d := genLoad(n, 1)
	for i := range d.keys {
		d.keys[i] = "k" + strconv.Itoa(i)
	}
	base, err := d.columns()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return base, buf.Bytes()
}

// TestSnapshotSpeed times ReadBase on a base of MICROSEG_SNAP_N customers
// (runs only when it is set); MICROSEG_SNAP_PROF names a CPU profile.
func TestSnapshotSpeed(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("MICROSEG_SNAP_N"))
	if err != nil {
		t.Skip("set MICROSEG_SNAP_N to time ReadBase")
	}
	_, data := snapshotLoad(t, n)
	runtime.GC()
	if p := os.Getenv("MICROSEG_SNAP_PROF"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var ds []float64
	for range 3 {
		t0 := time.Now()
		if _, err := ReadBase(bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, time.Since(t0).Seconds())
		runtime.GC()
	}
	slices.Sort(ds)
	t.Logf("ReadBase of %d customers, %.1f MB: median %.3f s, %.2f GB/s (%v)", n, float64(len(data))/1e6, ds[1], float64(len(data))/ds[1]/1e9, ds)
}
