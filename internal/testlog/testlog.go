// Package testlog holds what tests need to read a server's log while it
// runs: a buffer the server's goroutines write to as the test reads it, and
// the address the server says it listens on. Tests of several packages start
// the service (in process or as a child) and wait for that line; they share
// this so they read the log the same way.
package testlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"sync"
)

// Buffer is a log sink safe for concurrent writers and readers.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p; it never fails.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Records returns the JSON log records written so far, one per line; lines
// that are not JSON objects are left out.
func (s *Buffer) Records() []map[string]any {
	var recs []map[string]any
	sc := bufio.NewScanner(bytes.NewReader([]byte(s.String())))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var r map[string]any
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			recs = append(recs, r)
		}
	}
	return recs
}

// ListenAddr returns the addr of the first "listening" record written so
// far (what paniers serve logs once its socket is open), and whether there
// is one.
func (s *Buffer) ListenAddr() (string, bool) {
	for _, r := range s.Records() {
		if r["msg"] == "listening" {
			addr, ok := r["addr"].(string)
			return addr, ok
		}
	}
	return "", false
}
