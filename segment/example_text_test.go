package segment_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/fabeed28/microseg/segment"
)

// textBase uses the fields declared in example_test.go.
func textBase() *segment.Base {
	b := segment.NewBuilder()
	t := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	b.Add("c-1", country.Value("NL"), age.Value(31), bought.Values("skincare"), seen.Value(t))
	b.Add("c-2", country.Value("BE"), age.Value(52), bought.Values("shoes"))
	b.Add("c-3", country.Value("NL"), age.Value(27), bought.Values("skincare", "shoes"), seen.Value(t.AddDate(1, 0, 0)))
	base, _ := b.Build()
	return base
}

// A segment definition travels as text: printed by String, stored or
// reviewed, and parsed back against the fields of a base.
func ExampleParse() {
	base := textBase()
	def := segment.And(country.In("NL", "BE"), age.Between(25, 35), bought.Has("skincare"))
	text := def.String()
	fmt.Println(text)

	p, err := segment.Parse(text, base)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(base.AppendKeys(nil, base.Eval(p)))

	p, _ = segment.Parse(`last_seen >= 2025-01-01T00:00:00Z or age > 50`, base)
	fmt.Println(base.AppendKeys(nil, base.Eval(p)))
	// Output:
	// country in ("NL", "BE") and age between 25 and 35 and bought has "skincare"
	// [c-1 c-3]
	// [c-2 c-3]
}

// Errors say where, what was found and what was expected.
func ExampleParse_errors() {
	schema := segment.NewSchema(country, age, bought) // fields declared in code
	_, err := segment.Parse("country = \"NL\"\nand age >= \"30\"", schema)
	fmt.Println(err)
	var pe *segment.ParseError
	fmt.Println(errors.As(err, &pe), pe.Line, pe.Col, errors.Is(err, segment.ErrType))
	// Output:
	// segment: parse 2:12: wrong type: found "\"30\"", expected an integer for int field "age"
	// true 2 12 true
}

// A base goes through any io.Writer and comes back from any io.Reader.
func ExampleReadBase() {
	base := textBase()
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		fmt.Println(err)
		return
	}
	back, err := segment.ReadBase(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Len(), back.Count(bought.Has("skincare")))

	data := []byte("MSEG\x07\x00\x00\x00")
	_, err = segment.ReadBase(bytes.NewReader(data))
	fmt.Println(err)
	// Output:
	// 3 2
	// segment: read base: bad snapshot: unknown version 7, this library reads versions 1 and 2
}

// A segment leaves in the portable roaring format, with its keys as CSV.
func ExampleWriteSegment() {
	base := textBase()
	var bitmap, keys bytes.Buffer
	if err := segment.WriteSegment(&bitmap, &keys, base, base.Eval(country.Eq("NL"))); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("% x\n", bitmap.Bytes()[:4]) // the portable format's cookie
	fmt.Print(keys.String())
	// Output:
	// 3a 30 00 00
	// id,key
	// 0,c-1
	// 2,c-3
}
