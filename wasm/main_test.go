//go:build js && wasm

package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"strings"
	"syscall/js"
	"testing"
)

// await waits for a JS Promise and returns its value or its rejection message.
func await(t *testing.T, p js.Value) (js.Value, string) {
	t.Helper()
	type outcome struct {
		v   js.Value
		err string
	}
	ch := make(chan outcome, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- outcome{v: a[0]}; return nil })
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- outcome{err: a[0].Get("message").String()}; return nil })
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	o := <-ch
	return o.v, o.err
}

func api(t *testing.T) js.Value {
	t.Helper()
	if c := js.Global().Get("cardwall"); c.Truthy() {
		return c
	}
	install()
	return js.Global().Get("cardwall")
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPrintReturnsPDF(t *testing.T) {
	issues := string(readFile(t, "../testdata/demo/issues.json"))
	v, err := await(t, api(t).Call("print", issues, "a4-2x4"))
	if err != "" {
		t.Fatalf("print rejected: %s", err)
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("print returned %d bytes that are not a PDF: %q", len(b), b[:min(len(b), 16)])
	}
	// 24 demo issues on an 8-card template: 3 pages.
	if n := bytes.Count(b, []byte("/Type /Page\n")); n != 3 {
		t.Errorf("PDF has %d pages, want 3", n)
	}
}

func TestBadInputRejectsWithMessage(t *testing.T) {
	tests := []struct {
		name, method string
		args         []any
		want         string
	}{
		{"empty issues", "print", []any{"", ""}, "empty"},
		{"unknown template", "print", []any{"key,summary\nA-1,x\n", "no-such"}, "no-such"},
		{"no columns", "markers", []any{""}, "column"},
		{"garbage photo", "scan", []any{js.Global().Get("Uint8Array").New(10)}, "photo"},
		{"photo of wrong type", "decode", []any{42}, "photo"},
		{"photo over the pixel limit", "decode", []any{toJS(hugePNGHeader(t))}, "over the pixel limit of 50 mp; take it at a lower resolution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := await(t, api(t).Call(tt.method, tt.args...))
			if err == "" || !strings.Contains(strings.ToLower(err), tt.want) {
				t.Errorf("%s: rejection %q, want one mentioning %q", tt.method, err, tt.want)
			}
		})
	}
}

func TestScanDemoBoard(t *testing.T) {
	if testing.Short() {
		t.Skip("scanning a photo in wasm takes seconds; run without -short")
	}
	photo := toJS(readFile(t, "../testdata/demo/board.jpg"))
	opts := js.Global().Get("Object").New()
	opts.Set("issues", string(readFile(t, "../testdata/demo/issues.json")))
	var calls int
	progress := js.FuncOf(func(js.Value, []js.Value) any { calls++; return nil })
	defer progress.Release()
	opts.Set("onProgress", progress)
	v, err := await(t, api(t).Call("scan", photo, opts))
	if err != "" {
		t.Fatalf("scan rejected: %s", err)
	}
	if n := v.Get("cards").Length(); n != 24 {
		t.Errorf("scan placed %d cards, want the 24 on the demo board", n)
	}
	if n := v.Get("columns").Length(); n != 4 {
		t.Errorf("scan found %d columns, want 4", n)
	}
	if !v.Get("updates").Truthy() || v.Get("updates").Length() == 0 {
		t.Errorf("scan proposed no updates for the demo board")
	}
	if calls == 0 {
		t.Errorf("onProgress was never called")
	}
}

// hugePNGHeader returns the start of a PNG whose header claims 100000×100000
// pixels: enough for the size check, which must refuse it before any
// pixel is decoded.
func hugePNGHeader(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()[:33] // signature and IHDR chunk
	binary.BigEndian.PutUint32(b[16:], 100000)
	binary.BigEndian.PutUint32(b[20:], 100000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}
