package qreval_test

import (
	"context"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/cardwall/cardwall/sync/qreval"
	"github.com/cardwall/cardwall/sync/qreval/scanfile"
)

// regressionFloors are the codes (BoofCV categories) or images (ZXing
// sets) that qrscan.Scan with default options must keep reading in each
// shared photo set, with no false reads. They are ratchets: set to what
// the scanner reached when last measured (qrscan 7841e3e, 24 Nov 2026:
// 176/179 ZXing images, 355/410 BoofCV codes), never above it. Raise a floor
// when the scanner improves; the test logs when a set is above its floor.
var regressionFloors = map[string]int{
	"zxing-blackbox/qrcode-1": 20,
	"zxing-blackbox/qrcode-2": 34,
	"zxing-blackbox/qrcode-3": 42,
	"zxing-blackbox/qrcode-4": 47,
	"zxing-blackbox/qrcode-5": 19,
	"zxing-blackbox/qrcode-6": 15,

	"boofcv-qrcodes/blurred":      27,
	"boofcv-qrcodes/bright_spots": 38,
	"boofcv-qrcodes/brightness":   42,
	"boofcv-qrcodes/close":        10,
	"boofcv-qrcodes/curved":       23,
	"boofcv-qrcodes/damaged":      13,
	"boofcv-qrcodes/glare":        22,
	"boofcv-qrcodes/high_version": 16,
	"boofcv-qrcodes/monitor":      6,
	"boofcv-qrcodes/nominal":      39,
	"boofcv-qrcodes/noncompliant": 13,
	"boofcv-qrcodes/pathological": 18,
	"boofcv-qrcodes/perspective":  14,
	"boofcv-qrcodes/rotations":    66,
	"boofcv-qrcodes/shadows":      11,
}

// regressionTimeout is TestRegression's per-image hang guard.
const regressionTimeout = 5 * time.Minute

// TestRegression runs cardwall's scanner over every shared photo set and
// checks each against its floor. The sets run in parallel subtests. Counts
// must not depend on how busy the machine is, so the per-image time limit
// here is only a guard against a hang (regressionTimeout, far above any
// image's time even on a loaded 2-core CI machine): an image over it, or
// one that fails, is an error. Speed is measured by benchmarks and
// qrbench, not here.
func TestRegression(t *testing.T) {
	if testing.Short() {
		t.Skip("scans every shared photo set; skipped in -short")
	}
	if runtime.GOOS == "js" {
		t.Skip("too slow single-threaded under wasm")
	}
	root := qreval.DatasetsDir(t)
	sets, err := qreval.LoadSets(filepath.Join(root, "zxing-blackbox"), filepath.Join(root, "boofcv-qrcodes"))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, s := range sets {
		found[qreval.ShortName(s.Dir)] = true
	}
	var names []string
	for name := range regressionFloors {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !found[name] {
			t.Errorf("%s: has a floor but is not in %s", name, root)
		}
	}
	dec := scanfile.Decoder(nil)
	for _, s := range sets {
		name := qreval.ShortName(s.Dir)
		floor, ok := regressionFloors[name]
		if !ok {
			t.Errorf("%s: no floor in regressionFloors; add one", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sr, err := qreval.Run(context.Background(), "cardwall", s, dec, &qreval.Options{Timeout: regressionTimeout})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d/%d read, %d false, %d located, median %.0f ms", sr.Read, sr.Present, sr.False, sr.Located, sr.MedianMS)
			if sr.Errors > 0 || sr.Timeouts > 0 {
				t.Errorf("%d images failed and %d ran over %v (a hang?): %q", sr.Errors, sr.Timeouts, regressionTimeout, sr.Failures)
			}
			if sr.Read < floor {
				t.Errorf("read %d of %d, below the floor %d", sr.Read, sr.Present, floor)
			} else if sr.Read > floor {
				t.Logf("read %d: the floor %d can be raised", sr.Read, floor)
			}
			if sr.False != 0 {
				t.Errorf("%d false reads, want 0", sr.False)
			}
		})
	}
}
