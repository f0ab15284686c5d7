//go:build !amd64 || purego

package engine

func canAVX512() bool { return false }

func setAVX512(on bool) {}
