# cardwall — see README.md. `make run` and `make test` work on a fresh machine.

GO        ?= go
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
BIN       := bin/cardwall
OUT       := out
# Packages that must build and pass their tests under GOOS=js GOARCH=wasm.
PURE_PKGS := ./cards/... ./imaging/... ./sync/...
# The browser entry point, tested under node like the pure packages.
WASM_PKGS := ./wasm/...

.PHONY: all build run test test-native test-wasm wasm bench bench-native bench-wasm bench-decode bench-scan bench-speed lint fuzz clean

all: build wasm

build:
	$(GO) build -o $(BIN) ./cmd/cardwall

## run: the main job with demo data: print the demo issues as cards and
## column headers, then read them back from a rendered page.
run: build
	@mkdir -p $(OUT)
	./$(BIN) print --issues testdata/demo/issues.json -o $(OUT)/cards.pdf
	./$(BIN) markers --columns "To Do,In Progress,Review,Done" -o $(OUT)/headers.pdf
	@echo "wrote $(OUT)/cards.pdf and $(OUT)/headers.pdf"
	./$(BIN) scan --issues testdata/demo/issues.json testdata/demo/board.jpg

## test: every test: lint, native tests (fuzz seed corpora included), wasm tests under node.
test: lint test-native test-wasm

test-native:
	$(GO) test -count=1 ./...

test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -short -exec="$(WASM_EXEC)" $(PURE_PKGS) $(WASM_PKGS)

## wasm: the browser build.
wasm:
	GOOS=js GOARCH=wasm $(GO) build -o web/cardwall.wasm ./wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" web/wasm_exec.js

lint:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet $(WASM_PKGS) $(PURE_PKGS)
	@files=$$(gofmt -l . ); if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi

## bench: speed and memory, natively and in wasm under node.
bench: bench-native bench-wasm bench-decode bench-scan bench-speed

bench-native:
	$(GO) test -run='^$$' -bench=. -benchmem $(PURE_PKGS)

bench-wasm:
	GOOS=js GOARCH=wasm $(GO) test -run='^$$' -bench=. -benchmem -exec="$(WASM_EXEC)" $(PURE_PKGS) $(WASM_PKGS)

## bench-decode: our decoder beside the peers (shared/tools/peer_decode.py) on the shared
## photo sets, in one run: codes read / present, false reads, median ms per image.
## Peers that are not installed are skipped with a message.
bench-decode:
	$(GO) run ./cmd/qrbench --markdown ../shared/datasets/zxing-blackbox ../shared/datasets/boofcv-qrcodes

BOOFCV := ../shared/datasets/boofcv-qrcodes

## bench-speed: ms per photo for our decode+scan natively (1 and 2 threads) and as wasm under
## node, beside zxing-wasm and zbar on the same photos, best of 5 rounds; node or peers that
## are not installed are skipped with a message.
bench-speed:
	$(GO) run ./cmd/qrspeed --markdown --repeat 5 testdata/boards/*.jpg testdata/demo/board.jpg \
	  $(wildcard $(addprefix $(BOOFCV)/,nominal/image041.jpg blurred/image019.jpg curved/image015.jpg glare/image013.jpg shadows/image009.jpg))

## bench-scan: the board scanner on generated photos per difficulty level, beside zbar and
## zxing-wasm. The first run generates 50 photos into $(OUT)/boards; later runs reuse them.
bench-scan:
	$(GO) run ./cmd/scanbench -generate 10 -o $(OUT)/boards

## fuzz: each fuzz target for FUZZTIME (default 30s).
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin $(OUT) web/cardwall.wasm web/wasm_exec.js
