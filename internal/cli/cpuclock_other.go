//go:build !unix

package cli

import "time"

// processCPU is not available here: --cpu-clock is refused.
func processCPU() (time.Duration, bool) { return 0, false }
