package imaging

import (
	"runtime"
	"sync"
)

// minRowsPerBand is the fewest rows worth handing to a goroutine; below it
// the cost of starting the goroutine outweighs the work.
const minRowsPerBand = 32

// parallelRows calls fn(y0, y1) on disjoint bands of rows that together cover
// [0, rows), and returns when every call has returned. Natively the bands run
// on up to runtime.GOMAXPROCS goroutines. Under GOOS=js, with one proc, or for
// few rows, fn(0, rows) runs inline on the calling goroutine.
//
// fn must only write to data belonging to its own rows.
func parallelRows(rows int, fn func(y0, y1 int)) {
	bands := runtime.GOMAXPROCS(0)
	if runtime.GOOS == "js" {
		bands = 1
	}
	if most := rows / minRowsPerBand; bands > most {
		bands = most
	}
	if bands <= 1 {
		if rows > 0 {
			fn(0, rows)
		}
		return
	}
	var wg sync.WaitGroup
	for b := 0; b < bands; b++ {
		y0, y1 := rows*b/bands, rows*(b+1)/bands
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(y0, y1)
		}()
	}
	wg.Wait()
}
