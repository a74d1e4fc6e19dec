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
	t.Parallel()
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

// A secret issued after a read began is masked in the client's lines from
// then on.
func TestSecretSet_maskesSecretsIssuedLater(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	var secrets secretSet
	secrets.add("configured-secret")
	secrets.logger(ctx, "before", map[string]any{"a": "configured-secret"})
	secrets.add("issued-later")
	secrets.logger(ctx, "after issued-later", map[string]any{"a": "issued-later", "b": "configured-secret"})
	if out := buf.String(); strings.Contains(out, "issued-later") || strings.Contains(out, "configured-secret") || strings.Count(out, "***") < 4 {
		t.Fatal(out)
	}
}
