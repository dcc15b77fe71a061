package jobs

import (
	"os"
	"runtime"
)

// RoomForRequests gives the Go scheduler one more processor than the
// machine has CPUs (unless the GOMAXPROCS variable says otherwise) and
// returns the previous setting. The planner's rounds keep a search busy on
// every CPU (planner.PlanWeek runs two at a time) for seconds to tens of
// seconds; with as many processors as searches, a request arriving
// meanwhile waits for the scheduler to preempt one (10 ms at a time, for
// every step of the request), and health checks and reads took 50 ms and
// more. With a processor to spare, a request runs at once and the
// operating system shares the cores between it and the searches: reads
// answer in milliseconds while a week plans (TestAnswersWhilePlanning in
// package api). serve calls it once, at start.
func RoomForRequests() (previous int) {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	return runtime.GOMAXPROCS(runtime.NumCPU() + 1)
}
