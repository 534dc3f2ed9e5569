package fakellm

import (
	"embed"
	"net/http"
)

// recordings are real payloads the fake serves byte for byte when
// Options.Recorded is set; recordings/README.md names their sources.
//
//go:embed recordings
var recordings embed.FS

func serveRecording(w http.ResponseWriter, name, contentType string, headers map[string]string) {
	b, err := recordings.ReadFile("recordings/" + name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	_, _ = w.Write(b)
}
