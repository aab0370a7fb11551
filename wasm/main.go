//go:build js && wasm

// Command wasm is cardwall's browser entry point: Go compiled with
// GOOS=js GOARCH=wasm. It is the only code that touches syscall/js.
//
// After load it defines globalThis.cardwall with:
//
//	cardwall.ready                         a Promise resolved once the API is set
//	cardwall.templates()                   built-in template names
//	cardwall.print(issues, template, opts) Promise<Uint8Array> (PDF)
//	cardwall.markers(columns, template, opts) Promise<Uint8Array> (PDF)
//	cardwall.decode(photo, opts)           Promise<[{text, corners}]>
//	cardwall.scan(photo, {issues, map, onProgress}) Promise<report>
//
// issues is the text (string or Uint8Array) of any export the importers
// read; template is a built-in name or a template's JSON text (empty for the
// default); columns is an array of names or a comma-separated string; photo
// is a Uint8Array holding a JPEG, PNG or WebP file. The scan report has the
// shape `cardwall scan --json` prints. opts.onProgress, when given, is
// called with a fraction from 0 to 1. Errors reject the Promise with an
// Error whose message says what was wrong; a Go panic never escapes.
//
// Everything runs in the page (or the Web Worker that loads this module):
// no photo or issue data is sent anywhere.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/importer"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/pdf"
	"github.com/cardwall/cardwall/cards/template"
	"github.com/cardwall/cardwall/imaging"
	"github.com/cardwall/cardwall/sync/board"
	"github.com/cardwall/cardwall/sync/qrscan"
)

func main() {
	install()
	select {} // keep the Go runtime alive for the callbacks
}

// install defines globalThis.cardwall.
func install() {
	api := js.Global().Get("Object").New()
	api.Set("templates", js.FuncOf(func(js.Value, []js.Value) any {
		names := template.BuiltinNames()
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = n
		}
		return js.ValueOf(out)
	}))
	api.Set("print", promiseFunc(printCards))
	api.Set("markers", promiseFunc(printMarkers))
	api.Set("decode", promiseFunc(decode))
	api.Set("scan", promiseFunc(scan))
	api.Set("ready", js.Global().Get("Promise").Call("resolve", true))
	js.Global().Set("cardwall", api)
}

// promiseFunc wraps fn as a JS function returning a Promise. fn runs in its
// own goroutine; its result resolves the Promise, its error (or a panic)
// rejects it with an Error.
func promiseFunc(fn func(args []js.Value) (any, error)) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, pr []js.Value) any {
			resolve, reject := pr[0], pr[1]
			go func() {
				defer func() {
					if r := recover(); r != nil {
						reject.Invoke(js.Global().Get("Error").New(fmt.Sprintf("cardwall: internal error: %v", r)))
					}
				}()
				v, err := fn(args)
				if err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke(v)
			}()
			return nil
		}))
	})
}

// arg returns args[i], or undefined when it is missing.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// bytesOf copies a Uint8Array, ArrayBuffer or string argument into Go.
func bytesOf(v js.Value, what string) ([]byte, error) {
	switch {
	case v.Type() == js.TypeString:
		return []byte(v.String()), nil
	case v.InstanceOf(js.Global().Get("Uint8Array")):
		b := make([]byte, v.Get("length").Int())
		js.CopyBytesToGo(b, v)
		return b, nil
	case v.InstanceOf(js.Global().Get("ArrayBuffer")):
		return bytesOf(js.Global().Get("Uint8Array").New(v), what)
	}
	return nil, fmt.Errorf("%s: want a Uint8Array, ArrayBuffer or string, got %s", what, v.Type())
}

// toJS returns a Uint8Array holding b.
func toJS(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// jsonToJS converts a Go value to a plain JS object through JSON, so the
// browser gets exactly the shape the CLI prints.
func jsonToJS(v any) (js.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return js.Undefined(), err
	}
	return js.Global().Get("JSON").Call("parse", string(b)), nil
}

// progressOf returns the opts.onProgress callback as a Go function, or nil.
func progressOf(opts js.Value) func(float64) {
	if opts.Type() != js.TypeObject {
		return nil
	}
	f := opts.Get("onProgress")
	if f.Type() != js.TypeFunction {
		return nil
	}
	return func(done float64) { f.Invoke(done) }
}

// templateOf resolves a template argument: a built-in name, a template's
// JSON text, or empty for the default.
func templateOf(v js.Value, def string) (*template.Template, error) {
	var s string
	if v.Type() == js.TypeString {
		s = v.String()
	} else if v.Truthy() {
		return nil, errors.New("template: want a built-in name or the template's JSON text")
	}
	t, _, err := template.ResolveText(s, def)
	return t, err
}

// issuesOf reads an issues argument (export text or bytes).
func issuesOf(v js.Value) ([]cards.Issue, error) {
	data, err := bytesOf(v, "issues")
	if err != nil {
		return nil, err
	}
	issues, _, err := importer.Read("issues", data)
	return issues, err
}

func renderPDF(pages []layout.Page, title string) (any, error) {
	var buf bytes.Buffer
	if err := pdf.Render(&buf, pages, pdf.Options{Title: title}); err != nil {
		return nil, err
	}
	return toJS(buf.Bytes()), nil
}

func printCards(args []js.Value) (any, error) {
	issues, err := issuesOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if len(issues) == 0 {
		return nil, errors.New("issues: the file holds no issues; nothing to print")
	}
	tpl, err := templateOf(arg(args, 1), template.DefaultName)
	if err != nil {
		return nil, err
	}
	pages, err := layout.Cards(context.Background(), tpl, issues)
	if err != nil {
		return nil, err
	}
	return renderPDF(pages, "cardwall cards")
}

func printMarkers(args []js.Value) (any, error) {
	var cols []string
	switch v := arg(args, 0); {
	case v.Type() == js.TypeString:
		for _, c := range strings.Split(v.String(), ",") {
			if c = strings.TrimSpace(c); c != "" {
				cols = append(cols, c)
			}
		}
	case v.InstanceOf(js.Global().Get("Array")):
		for i := 0; i < v.Length(); i++ {
			cols = append(cols, v.Index(i).String())
		}
	}
	if len(cols) == 0 {
		return nil, errors.New("columns: give at least one column name")
	}
	tpl, err := templateOf(arg(args, 1), template.DefaultName)
	if err != nil {
		return nil, err
	}
	pages, err := layout.Markers(context.Background(), tpl, cols)
	if err != nil {
		return nil, err
	}
	return renderPDF(pages, "cardwall column headers")
}

// photoOf decodes the photo argument.
func photoOf(v js.Value) (*imaging.Photo, error) {
	data, err := bytesOf(v, "photo")
	if err != nil {
		return nil, err
	}
	photo, err := imaging.DecodeBytes(data, nil)
	if errors.Is(err, imaging.ErrTooBig) {
		return nil, fmt.Errorf("photo: %w; take it at a lower resolution, or scale it down", err)
	}
	if err != nil {
		return nil, fmt.Errorf("photo: %w", err)
	}
	return photo, nil
}

func decode(args []js.Value) (any, error) {
	photo, err := photoOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	codes, err := qrscan.Scan(context.Background(), photo.Gray, &qrscan.Options{Progress: progressOf(arg(args, 1))})
	if err != nil {
		return nil, err
	}
	type found struct {
		Text    string        `json:"text"`
		Corners [4][2]float64 `json:"corners"`
	}
	out := []found{}
	for _, c := range codes {
		if !c.Decoded {
			continue
		}
		f := found{Text: c.Text}
		for i, p := range c.Corners {
			f.Corners[i] = [2]float64{p.X, p.Y}
		}
		out = append(out, f)
	}
	return jsonToJS(out)
}

func scan(args []js.Value) (any, error) {
	photo, err := photoOf(arg(args, 0))
	if err != nil {
		return nil, err
	}
	opts := arg(args, 1)
	r, err := board.ScanPhoto(context.Background(), photo, &qrscan.Options{Progress: progressOf(opts), Effort: board.DefaultEffort})
	if err != nil {
		return nil, err
	}
	var plan *board.Plan
	if opts.Type() == js.TypeObject && opts.Get("issues").Truthy() {
		issues, err := issuesOf(opts.Get("issues"))
		if err != nil {
			return nil, err
		}
		var colmap map[string]string
		if m := opts.Get("map"); m.Truthy() {
			data, err := bytesOf(m, "map")
			if err != nil {
				return nil, err
			}
			if colmap, err = board.ParseColumnMap(data, "map"); err != nil {
				return nil, err
			}
		}
		plan = board.ProposeUpdates(r, issues, colmap)
	}
	return jsonToJS(board.NewReport("", r, plan))
}
