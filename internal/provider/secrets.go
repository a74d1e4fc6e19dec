package provider

import (
	"context"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// secretSet holds every secret the provider knows of, to mask in its log
// lines: those configured, and temporary ones as they are issued (IAM and
// the ECS metadata service hand them to add before anything else sees
// them). It is safe for concurrent use.
type secretSet struct {
	mu  sync.Mutex
	all []string
}

func (s *secretSet) add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		if v != "" && !slices.Contains(s.all, v) {
			s.all = append(s.all, v)
		}
	}
}

// mask masks, in ctx's log lines, the secrets known now.
func (s *secretSet) mask(ctx context.Context) context.Context {
	s.mu.Lock()
	all := slices.Clone(s.all)
	s.mu.Unlock()
	ctx = tflog.MaskAllFieldValuesStrings(ctx, all...)
	return tflog.MaskMessageStrings(ctx, all...)
}

// logger is the client's logger: tflogLogger with the secrets known at
// each line masked, also those issued after the read began.
func (s *secretSet) logger(ctx context.Context, msg string, fields map[string]any) {
	tflogLogger(s.mask(ctx), msg, fields)
}
