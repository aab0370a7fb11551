package qrscan

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach calls work(i) for every i < n: natively on up to GOMAXPROCS
// goroutines taking items in order, under GOOS=js (one thread) inline. It
// stops early and returns ctx.Err() when ctx is cancelled (checked between
// items). work must only write data of its own item. A panic in work is
// re-raised in the caller's goroutine, where Scan turns it into an error.
func forEach(ctx context.Context, n int, work func(i int)) error {
	workers := runtime.GOMAXPROCS(0)
	if runtime.GOOS == "js" || workers < 2 || n < 2 {
		for i := 0; i < n; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			work(i)
		}
		return ctx.Err()
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	var failure atomic.Value // first panic value of a worker, as a workerPanic
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failure.CompareAndSwap(nil, workerPanic{r})
					next.Store(int64(n)) // stop the other workers
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				work(i)
			}
		}()
	}
	wg.Wait()
	if p, ok := failure.Load().(workerPanic); ok {
		panic(p.value)
	}
	return ctx.Err()
}

// workerPanic wraps a panic value so atomic.Value always stores one type.
type workerPanic struct{ value any }
