package scanfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/sync/qreval"
)

func TestDecoder(t *testing.T) {
	set := filepath.Join("..", "..", "..", "..", "shared", "datasets", "zxing-blackbox", "qrcode-6")
	if _, err := os.Stat(set); err != nil {
		t.Skipf("shared datasets missing: %v", err)
	}
	s, err := qreval.LoadSet(set)
	if err != nil || len(s.Images) == 0 {
		t.Fatalf("LoadSet(%s) = %d images, %v", set, len(s.Images), err)
	}
	im := s.Images[0]
	results, err := Decoder(nil)(context.Background(), im.Path)
	if err != nil {
		t.Fatal(err)
	}
	if tally := qreval.Score(im.Label, results); tally.Read != 1 || tally.False != 0 {
		t.Errorf("%s: results %+v score %+v, want the labelled text %q read", im.Path, results, tally, im.Label.Text)
	}
	for _, r := range results {
		if len(r.Corners) != 4 {
			t.Errorf("result %+v: want 4 corners", r)
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.png")
	if _, err := Decoder(nil)(context.Background(), missing); err == nil || !strings.Contains(err.Error(), "missing.png") {
		t.Errorf("missing file: error %v, want one naming it", err)
	}
	bad := filepath.Join(t.TempDir(), "zero.png")
	if err := os.WriteFile(bad, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Decoder(nil)(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "zero.png") {
		t.Errorf("empty file: error %v, want one naming it", err)
	}
}
