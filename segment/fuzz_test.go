package segment

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// The seed corpora live in testdata/fuzz/<target>; .ci/fuzz.sh runs each
// target for a bounded time.

var fuzzFixture = sync.OnceValues(func() (*Base, *oracle) {
	return randBase(rand.New(rand.NewPCG(1, 2)), 300, 2)
})

// FuzzParse: Parse never panics; what it accepts is valid (Err nil), prints
// as text that nests no deeper than Parse reads and parses to the same
// text, and evaluates as the oracle says.
func FuzzParse(f *testing.F) {
	f.Add(`country in ("NL", "BE") and age between 25 and 35 and bought has "skincare" and not gender = "x"`)
	f.Add("seen < 2024-03-01T00:00:00Z or spend >= 12.5 and (active = true or tier != 3)")
	base, o := fuzzFixture()
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Parse(text, base)
		if err != nil {
			if p != (Pred{}) {
				t.Fatalf("Parse(%q) returned a predicate with error %v", text, err)
			}
			return
		}
		if err := p.Err(); err != nil {
			t.Fatalf("Parse(%q) returned a predicate with Err %v", text, err)
		}
		printed := p.String()
		if d := textDepth(printed); d > maxDepth {
			t.Fatalf("Parse(%q) prints %q, nested %d deep, more than %d", text, printed, d, maxDepth)
		}
		q, err := Parse(printed, base)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", text, printed, err)
		}
		if q.String() != printed {
			t.Fatalf("Parse(%q) prints %q, which parses to %q", text, printed, q.String())
		}
		if !slices.Equal(base.Eval(p).ToArray(), o.eval(p)) {
			t.Fatalf("Eval(Parse(%q)) disagrees with the oracle", text)
		}
	})
}

// FuzzReadBase: ReadBase never panics; what it accepts writes and reads back
// to the same snapshot bytes it consumed.
func FuzzReadBase(f *testing.F) {
	base, _ := randBase(rand.New(rand.NewPCG(3, 4)), 6, 1) // small: the fuzzer minimizes what it finds
	var buf bytes.Buffer
	base.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data)
	})
}

// FuzzDecodePayload reaches the checks behind the checksum: payloads are
// decoded as if their checksum were right.
func FuzzDecodePayload(f *testing.F) {
	f.Add([]byte("\x01\x01x\x03\x00\x00\x01\x01k" + bitmapOf(0) + bitmapOf(0) + "\x00\x01" + bitmapOf(0)))
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkRead(t, reframe(payload)) // version 1
		checkRead(t, frame2(payload))  // version 2: other keys
	})
}

func checkRead(t *testing.T, data []byte) {
	rd := bytes.NewReader(data)
	b, err := ReadBase(rd)
	opened, oerr := OpenBase(slices.Clip(data))
	switch {
	case err != nil && oerr == nil:
		t.Fatalf("OpenBase accepts what ReadBase rejects: %v", err)
	case err == nil && oerr != nil && rd.Len() == 0:
		t.Fatalf("OpenBase rejects a snapshot ReadBase accepts: %v", oerr)
	case oerr != nil && !errors.Is(oerr, ErrBadSnapshot):
		t.Fatalf("OpenBase: %v does not wrap ErrBadSnapshot", oerr)
	case err != nil:
		return
	case oerr == nil:
		checkSame(t, b, opened)
	}
	codes := 0
	for _, c := range b.cols {
		codes += c.small.Bytes()
	}
	if limit := codeBudget * len(data); codes > limit {
		t.Fatalf("a base read from %d bytes holds %d bytes of code columns, more than %d", len(data), codes, limit)
	}
	var out bytes.Buffer
	if _, err := b.WriteTo(&out); err != nil {
		t.Fatalf("a base that was read cannot be written: %v", err)
	}
	again, err := ReadBase(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("a base that was read and written cannot be read: %v", err)
	}
	if again.IDCount() != b.IDCount() || !again.live.Equals(b.live) || len(again.cols) != len(b.cols) {
		t.Fatalf("a base read, written and read again changed")
	}
	for _, c := range b.cols {
		// every field answers Known and Missing the same way
		for _, p := range []Pred{known(c.spec), missing(c.spec)} {
			if !b.Eval(p).Equals(again.Eval(p)) {
				t.Fatalf("%s differs after a second round trip", p)
			}
		}
	}
}

// checkSame fails unless the bases a and b have the same IDs, live set and
// answers to Known and Missing of every field.
func checkSame(t *testing.T, a, b *Base) {
	t.Helper()
	if a.IDCount() != b.IDCount() || !a.live.Equals(b.live) || len(a.cols) != len(b.cols) {
		t.Fatalf("ReadBase and OpenBase read different bases")
	}
	for id := range a.IDCount() {
		ka, _ := a.Key(id)
		kb, _ := b.Key(id)
		if ka != kb {
			t.Fatalf("key of ID %d: ReadBase %q, OpenBase %q", id, ka, kb)
		}
	}
	for _, c := range a.cols {
		for _, p := range []Pred{known(c.spec), missing(c.spec)} {
			if !a.Eval(p).Equals(b.Eval(p)) {
				t.Fatalf("%s differs between ReadBase and OpenBase", p)
			}
		}
	}
}
