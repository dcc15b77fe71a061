package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func checkAgainstDocument(t *testing.T, r *http.Request, body []byte, w *httptest.ResponseRecorder) {}
