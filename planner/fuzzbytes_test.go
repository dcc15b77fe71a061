package planner_test

// fuzzBytes turns a fuzzer's input into a stream of small integers for the
// structure-aware fuzz targets (FuzzPlanTiny, FuzzRounds): each call takes
// the next byte, and an exhausted input reads as zeros, so every input,
// however short, builds a whole week.
func fuzzBytes(data []byte) func() int {
	return func() int {
		if len(data) == 0 {
			return 0
		}
		b := int(data[0])
		data = data[1:]
		return b
	}
}
