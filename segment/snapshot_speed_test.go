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
	base, data := snapshotLoad(t, n)
	v1 := snapshotV1(t, base)
	base = nil
	runtime.GC()
	if p := os.Getenv("MICROSEG_SNAP_PROF"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ds, cpu := map[string][]float64{}, map[string][]float64{}
	for range 5 {
		for _, way := range []string{"ReadBase", "OpenBase", "ReadBase v1", "OpenBase v1"} {
			t0, c0 := time.Now(), threadCPU()
			var err error
			switch way {
			case "ReadBase":
				_, err = ReadBase(bytes.NewReader(data))
			case "OpenBase":
				_, err = OpenBase(data)
			case "ReadBase v1":
				_, err = ReadBase(bytes.NewReader(v1))
			case "OpenBase v1":
				_, err = OpenBase(v1)
			}
			if err != nil {
				t.Fatal(err)
			}
			ds[way] = append(ds[way], time.Since(t0).Seconds())
			cpu[way] = append(cpu[way], (threadCPU() - c0).Seconds())
			runtime.GC()
		}
	}
	for _, way := range []string{"ReadBase", "OpenBase", "ReadBase v1", "OpenBase v1"} {
		d, c := ds[way], cpu[way]
		slices.Sort(d)
		slices.Sort(c)
		t.Logf("%s of %d customers, %.1f MB: median %.3f s wall, %.3f s CPU of the thread, %.2f GB/s of CPU (wall %.3f)",
			way, n, float64(len(data))/1e6, d[2], c[2], float64(len(data))/c[2]/1e9, d)
	}
}
