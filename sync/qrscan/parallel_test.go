package qrscan

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestForEachVisitsEveryItemOnce(t *testing.T) {
	const n = 1000
	var seen [n]atomic.Int32
	if err := forEach(context.Background(), n, func(i int) { seen[i].Add(1) }); err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("item %d visited %d times, want 1", i, c)
		}
	}
}

func TestForEachRaisesWorkerPanicInCaller(t *testing.T) {
	defer func() {
		r := recover()
		if r != "boom at 7" {
			t.Fatalf("recovered %v, want the worker's panic value", r)
		}
	}()
	forEach(context.Background(), 100, func(i int) {
		if i == 7 {
			panic("boom at 7")
		}
	})
	t.Fatal("forEach returned normally after a worker panicked")
}

func TestForEachStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32
	if err := forEach(ctx, 100, func(int) { calls.Add(1) }); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls.Load() != 0 {
		t.Fatalf("%d items ran after cancellation", calls.Load())
	}
}
