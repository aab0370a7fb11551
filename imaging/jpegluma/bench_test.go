package jpegluma

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks compare Decode with image/jpeg.Decode on the repository's
// test boards: easy-2.jpg (4032×3024, 12 MP) and large-60.jpg (3840×2160,
// 8 MP), both 4:2:0 baseline phone-style photos. Run natively and under
// wasm (single-threaded, node):
//
//	go test -short -run '^$' -bench . ./imaging/jpegluma
//	GOOS=js GOARCH=wasm go test -short -run '^$' -bench . \
//	    -exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec ./imaging/jpegluma

var benchFiles = []string{"easy-2.jpg", "large-60.jpg"}

func benchData(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(boardsDir, "boards", name))
	if err != nil {
		b.Skip(err)
	}
	return data
}

func BenchmarkDecode(b *testing.B) {
	for _, name := range benchFiles {
		data := benchData(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkImageJPEG(b *testing.B) {
	for _, name := range benchFiles {
		data := benchData(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
