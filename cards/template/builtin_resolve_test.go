package template

import (
	"strings"
	"testing"
)

func TestResolveText(t *testing.T) {
	a6, _ := Builtin("a6")
	tests := []struct {
		name, arg, wantName, wantErr string
	}{
		{"empty gives the default", "", DefaultName, ""},
		{"built-in name", "a6", "a6", ""},
		{"template JSON", string(a6.JSON()), "a6", ""},
		{"unknown name", "no-such", "", `"no-such" is neither a built-in`},
		{"bad JSON", `{"version": 1, "nope": true}`, "", "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := ResolveText(tt.arg, DefaultName)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName {
				t.Errorf("got template %q, want %q", got.Name, tt.wantName)
			}
		})
	}
}
