package qreval

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// imageExts are the image file name endings (compared in lower case) that
// make a file part of a set: the same list as the peer script's.
var imageExts = []string{".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"}

// Image is one labelled photo of a set.
type Image struct {
	Path  string
	Label Label
}

// Set is one folder of labelled photos.
type Set struct {
	Dir    string  // the folder, as given or as found under a given root
	Images []Image // sorted by file name
}

// Kind names the label kinds in the set as the peer script does: "quads",
// "text", "quads/text" or "empty".
func (s Set) Kind() string {
	var quads, text bool
	for _, im := range s.Images {
		quads = quads || im.Label.Kind == CornerLabel
		text = text || im.Label.Kind == TextLabel
	}
	switch {
	case quads && text:
		return "quads/text"
	case quads:
		return "quads"
	case text:
		return "text"
	}
	return "empty"
}

// Folders expands the given folders as the peer script does: a folder
// holding at least one image is kept; any other folder is replaced by its
// sub-folders (one level, sorted by name), so a dataset root works.
func Folders(dirs ...string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		ents, err := os.ReadDir(d)
		if err != nil {
			return nil, fmt.Errorf("photo set: %w", err)
		}
		if hasImage(ents) {
			out = append(out, d)
			continue
		}
		for _, e := range ents {
			if isDir(d, e) {
				out = append(out, filepath.Join(d, e.Name()))
			}
		}
	}
	return out, nil
}

// LoadSets expands dirs with Folders and loads each resulting set.
func LoadSets(dirs ...string) ([]Set, error) {
	folders, err := Folders(dirs...)
	if err != nil {
		return nil, err
	}
	sets := make([]Set, 0, len(folders))
	for _, d := range folders {
		s, err := LoadSet(d)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return sets, nil
}

// LoadSet reads the images of folder dir that have a label file NAME.txt
// beside them, and parses each label. Images without a label are not part
// of the set; NAME.metadata.txt files are never labels (no image is named
// NAME.metadata). A label that does not parse is an error naming its file.
func LoadSet(dir string) (Set, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return Set{}, fmt.Errorf("photo set: %w", err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	s := Set{Dir: dir}
	for _, n := range names {
		if !isImageName(n) {
			continue
		}
		txt := filepath.Join(dir, strings.TrimSuffix(n, filepath.Ext(n))+".txt")
		data, err := os.ReadFile(txt)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return Set{}, fmt.Errorf("photo set %s: label of %s: %w", dir, n, err)
		}
		lab, err := ParseLabel(txt, data)
		if err != nil {
			return Set{}, err
		}
		s.Images = append(s.Images, Image{Path: filepath.Join(dir, n), Label: lab})
	}
	return s, nil
}

func hasImage(ents []os.DirEntry) bool {
	for _, e := range ents {
		if isImageName(e.Name()) {
			return true
		}
	}
	return false
}

func isImageName(n string) bool {
	l := strings.ToLower(n)
	for _, ext := range imageExts {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// isDir reports whether entry e of folder d is a directory, following
// symbolic links as the peer script's os.path.isdir does.
func isDir(d string, e os.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	fi, err := os.Stat(filepath.Join(d, e.Name()))
	return err == nil && fi.IsDir()
}
