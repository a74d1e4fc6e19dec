package provider

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The client logs from many goroutines at once through one masked context;
// that must neither crash nor leak the masked value.
func TestTflogLogger_concurrentWithMasks(t *testing.T) {
	var buf bytes.Buffer
	var bufMu sync.Mutex
	ctx := tflogtest.RootLogger(context.Background(), &lockedWriter{w: &buf, mu: &bufMu})
	ctx = tflog.SetField(ctx, "tf_rpc", "ReadDataSource")
	ctx = tflog.MaskAllFieldValuesStrings(ctx, "s3cr3t")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				tflogLogger(ctx, "HSS request", map[string]any{"status": 200, "note": "token s3cr3t"})
			}
		}()
	}
	wg.Wait()
	bufMu.Lock()
	defer bufMu.Unlock()
	if strings.Contains(buf.String(), "s3cr3t") || strings.Count(buf.String(), "HSS request") != 4000 {
		t.Fatalf("lines %d, leak %v", strings.Count(buf.String(), "HSS request"), strings.Contains(buf.String(), "s3cr3t"))
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
