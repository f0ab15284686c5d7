module github.com/fabeed28/microseg/benchmarks

go 1.24.0

replace github.com/fabeed28/microseg => ../
