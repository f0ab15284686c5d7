package score_test

import (
	"errors"
	"testing"

	"github.com/fabeed28/microseg/persona"
	"github.com/fabeed28/microseg/score"
	"github.com/fabeed28/microseg/segment"
)

// TestSharedSentinels: the sentinel errors that mean the same thing in
// several packages are one value, so errors.Is works across them.
func TestSharedSentinels(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b error
	}{
		{"score.ErrInvalidArgument", score.ErrInvalidArgument, segment.ErrInvalidArgument},
		{"persona.ErrInvalidArgument", persona.ErrInvalidArgument, segment.ErrInvalidArgument},
		{"score.ErrUnknownKey", score.ErrUnknownKey, segment.ErrUnknownKey},
	} {
		if !errors.Is(tt.a, tt.b) {
			t.Errorf("%s is not segment's", tt.name)
		}
	}
}
