//go:build !linux

package imaging

import "time"

// processCPU is not measured on this platform (wasm has no getrusage).
func processCPU() time.Duration { return 0 }
