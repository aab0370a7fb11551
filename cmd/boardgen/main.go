// Command boardgen writes synthetic photos of a card wall with their
// ground truth, for testing and benchmarking the board scanner.
//
//	go run ./cmd/boardgen -level hard -n 20 -o /tmp/boards
//	go run ./cmd/boardgen -level medium -issues testdata/demo/issues.json -misplaced 0.25 -o testdata/demo -name board
//	go run ./cmd/boardgen -level easy -url https://jira.example.com/browse/ -o /tmp/boards
//
// Each photo NAME.jpg comes with NAME.json (see boardgen.Truth): the
// column of every card and the corners of every code in the photo.
// With -preview, a downscaled NAME.preview.png is written too.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cardwall/cardwall/cards/importer"
	"github.com/cardwall/cardwall/cards/template"
	"github.com/cardwall/cardwall/sync/boardgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "boardgen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("boardgen", flag.ContinueOnError)
	level := fs.String("level", "medium", "difficulty: easy, medium, hard, beyond-hard")
	n := fs.Int("n", 1, "number of photos")
	seed := fs.Uint64("seed", 1, "seed of the first photo; photo i uses seed+i")
	cardsN := fs.Int("cards", 0, "cards per board (0: random within the level's range)")
	out := fs.String("o", ".", "output folder")
	name := fs.String("name", "", "file name without extension (default LEVEL-SEED); only with -n 1")
	issuesFile := fs.String("issues", "", "issues file to draw cards from (any importer format)")
	columns := fs.String("columns", "", "comma-separated column names (default To Do,In Progress,Review,Done)")
	misplaced := fs.Float64("misplaced", 0, "share of cards pinned in a column other than their status's")
	preview := fs.Bool("preview", false, "also write a downscaled PNG preview")
	tplName := fs.String("template", "", "card template: a built-in name or a JSON file (default "+template.DefaultName+")")
	urlBase := fs.String("url", "", "print URL codes: this base URL followed by the key (e.g. https://jira.example.com/browse/)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lv, err := boardgen.ParseLevel(*level)
	if err != nil {
		return err
	}
	if *name != "" && *n != 1 {
		return fmt.Errorf("-name needs -n 1")
	}
	opt := boardgen.Options{Level: lv, Cards: *cardsN, Misplaced: *misplaced}
	if *tplName != "" || *urlBase != "" {
		tpl, _, err := template.Resolve(*tplName, template.DefaultName)
		if err != nil {
			return err
		}
		if *urlBase != "" && tpl.QR != nil {
			tpl.QR.Content, tpl.QR.BaseURL = "url", *urlBase
		}
		opt.Template = tpl
	}
	if *columns != "" {
		opt.Columns = strings.Split(*columns, ",")
	}
	if *issuesFile != "" {
		is, _, err := importer.ReadFile(*issuesFile)
		if err != nil {
			return err
		}
		opt.Issues = is
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for i := 0; i < *n; i++ {
		opt.Seed = *seed + uint64(i)
		start := time.Now()
		s, err := boardgen.Generate(context.Background(), opt)
		if err != nil {
			return err
		}
		base := *name
		if base == "" {
			base = fmt.Sprintf("%s-%d", lv, opt.Seed)
		}
		path := filepath.Join(*out, base)
		if err := os.WriteFile(path+".jpg", s.JPEG, 0o644); err != nil {
			return err
		}
		tj, _ := json.MarshalIndent(s.Truth, "", " ")
		if err := os.WriteFile(path+".json", append(tj, '\n'), 0o644); err != nil {
			return err
		}
		if *preview {
			if err := writePreview(path+".preview.png", s.Image, 1200); err != nil {
				return err
			}
		}
		fmt.Printf("%s.jpg: %d×%d, %d cards, %.2f px/module (min %.2f), %d KB, %.1fs\n", path, s.Truth.Width, s.Truth.Height,
			len(s.Truth.Cards), s.Truth.ModulePx, s.Truth.MinModulePx, len(s.JPEG)/1024, time.Since(start).Seconds())
	}
	return nil
}

// writePreview writes img box-downscaled to at most width pixels wide.
func writePreview(path string, img *image.RGBA, width int) error {
	f := (img.Rect.Dx() + width - 1) / width
	w, h := img.Rect.Dx()/f, img.Rect.Dy()/f
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				sum := 0
				for dy := 0; dy < f; dy++ {
					row := img.Pix[(y*f+dy)*img.Stride+x*f*4:]
					for dx := 0; dx < f; dx++ {
						sum += int(row[dx*4+c])
					}
				}
				out.Pix[y*out.Stride+x*4+c] = uint8(sum / (f * f))
			}
			out.Pix[y*out.Stride+x*4+3] = 255
		}
	}
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(fh, out); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
