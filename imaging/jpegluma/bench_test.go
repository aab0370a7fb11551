package jpegluma

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks compare Decode with image/jpeg.Decode on the repository's
// test boards, easy-2.jpg (4032×3024, 12 MP) and large-60.jpg (3840×2160,
// 8 MP), both 4:2:0 baseline phone-style photos with fine texture, and on
// a real phone photo from the shared data sets, boofcv-close-005.jpg
// (4032×3024, smoother: most of its blocks have only low frequencies).
// Run natively and under wasm (single-threaded, node):
//
//	go test -short -run '^$' -bench . ./imaging/jpegluma
//	GOOS=js GOARCH=wasm go test -short -run '^$' -bench . \
//	    -exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec ./imaging/jpegluma

var benchFiles = []struct{ name, path string }{
	{"easy-2.jpg", filepath.Join(boardsDir, "boards", "easy-2.jpg")},
	{"large-60.jpg", filepath.Join(boardsDir, "boards", "large-60.jpg")},
	{"boofcv-close-005.jpg", filepath.Join(datasetsDir, "boofcv-qrcodes", "close", "image005.jpg")},
}

func benchData(b *testing.B, path string) []byte {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	return data
}

// benchFilesWith times decode on every file of benchFiles.
func benchFilesWith(b *testing.B, decode func(data []byte) error) {
	for _, f := range benchFiles {
		b.Run(f.name, func(b *testing.B) {
			data := benchData(b, f.path)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	benchFilesWith(b, func(data []byte) error {
		_, err := Decode(data)
		return err
	})
}

func BenchmarkImageJPEG(b *testing.B) {
	benchFilesWith(b, func(data []byte) error {
		_, err := jpeg.Decode(bytes.NewReader(data))
		return err
	})
}
