package qreval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFiles creates files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadSets(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"text/1.png":          "png",
		"text/1.txt":          "one\r\n",
		"text/1.metadata.txt": "ERRORS_CORRECTED=2",
		"text/2.PNG":          "png",
		"text/2.txt":          "two",
		"text/3.png":          "no label beside it",
		"text/notes.md":       "not an image",
		"text/sub/9.png":      "in a sub-folder of an image folder: not part of the set",
		"text/sub/9.txt":      "nine",
		"quads/a.jpg":         "jpg",
		"quads/a.txt":         "# c\nSETS\n1 2 3 4 5 6 7 8\n",
		"empty/readme.txt":    "no images",
		"README.md":           "the root has no images",
	})
	sets, err := LoadSets(root)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, s := range sets {
		dirs = append(dirs, filepath.Base(s.Dir))
	}
	if want := []string{"empty", "quads", "text"}; !reflect.DeepEqual(dirs, want) {
		t.Fatalf("sets %v, want %v", dirs, want)
	}
	if k := sets[0].Kind(); k != "empty" || len(sets[0].Images) != 0 {
		t.Errorf("empty: kind %q, %d images", k, len(sets[0].Images))
	}
	if k := sets[1].Kind(); k != "quads" || len(sets[1].Images) != 1 || len(sets[1].Images[0].Label.Codes) != 1 {
		t.Errorf("quads: kind %q, images %+v", k, sets[1].Images)
	}
	text := sets[2]
	var names, labels []string
	for _, im := range text.Images {
		names = append(names, filepath.Base(im.Path))
		labels = append(labels, im.Label.Text)
	}
	if !reflect.DeepEqual(names, []string{"1.png", "2.PNG"}) || !reflect.DeepEqual(labels, []string{"one\r\n", "two"}) {
		t.Errorf("text set: images %q with labels %q, want [1.png 2.PNG] with [\"one\\r\\n\" \"two\"]", names, labels)
	}
	if text.Kind() != "text" {
		t.Errorf("text set kind %q", text.Kind())
	}

	// An image folder given directly is used as it is.
	direct, err := LoadSets(filepath.Join(root, "text"))
	if err != nil || len(direct) != 1 || len(direct[0].Images) != 2 {
		t.Errorf("LoadSets(text folder) = %+v, %v; want the one set of 2 images", direct, err)
	}
}

func TestLoadSetsErrors(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"bad/x.jpg": "jpg",
		"bad/x.txt": "# c\nSETS\n1 2 3\n",
	})
	_, err := LoadSets(filepath.Join(root, "bad"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "bad", "x.txt")+":3:") {
		t.Errorf("bad label: error %v, want one naming x.txt line 3", err)
	}
	_, err = LoadSets(filepath.Join(root, "missing"))
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: error %v, want one naming it", err)
	}
}
