package benchmarks

import (
	"runtime"
	"time"
)

// Engine answers the benchmark queries over one customer base. Build is
// called once; after it the other methods may be called any number of times
// (not concurrently).
type Engine interface {
	// Name is the short name used in benchmark names and tables.
	Name() string
	// Build indexes d. Customer i has ID i.
	Build(d *Data) error
	// Count returns the number of customers q matches.
	Count(q *Query) uint64
	// Members returns the customers q matches in the engine's own result
	// type; the benchmarks time this call.
	Members(q *Query) Result
	// Cube returns the CubeCells counts of Q4.
	Cube() []uint64
	// Bytes returns the bytes the engine holds by its own accounting, or -1
	// to have the harness measure the Go heap growth of Build instead.
	Bytes() int64
	// Close releases what the engine holds (database handles).
	Close() error
}

// Result is a member set in an engine's own form.
type Result interface {
	// IDs returns the members in increasing order (used only for checks).
	IDs() []uint32
}

// Slice is a Result held as a sorted slice of IDs.
type Slice []uint32

// IDs returns s.
func (s Slice) IDs() []uint32 { return s }

// Constructors of every engine compiled in, in table order. The duckdb
// build tag adds DuckDB.
var engines = []func() Engine{
	func() Engine { return &Rows{} },
	func() Engine { return &Columns{} },
	func() Engine { return &Bitsets{} },
	func() Engine { return &Roaring{} },
	func() Engine { return &Sroar{} },
	func() Engine { return &SQLite{} },
	func() Engine { return &Microseg{} },
}

// Engines returns a new, unbuilt instance of every engine compiled in.
func Engines() []Engine {
	out := make([]Engine, len(engines))
	for i, f := range engines {
		out[i] = f()
	}
	return out
}

// Built is an engine with the cost of building it.
type Built struct {
	Engine
	BuildTime time.Duration
	HeapBytes int64 // Go heap growth over Build, after GC
}

// BytesHeld returns the engine's own accounting, or the heap growth.
func (b *Built) BytesHeld() int64 {
	if n := b.Engine.Bytes(); n >= 0 {
		return n
	}
	return b.HeapBytes
}

// BuildEngine builds e on d, timing it and measuring the Go heap it keeps.
func BuildEngine(e Engine, d *Data) (*Built, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	if err := e.Build(d); err != nil {
		return nil, err
	}
	el := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	return &Built{Engine: e, BuildTime: el, HeapBytes: int64(after.HeapAlloc) - int64(before.HeapAlloc)}, nil
}
