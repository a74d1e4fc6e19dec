package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

// projectCache holds the project IDs found through IAM for the provider's
// lifetime: ten data sources in one region make one IAM request, also when
// they read at once. Failures are not kept; the next read asks again.
type projectCache struct {
	calls singleflight.Group
	mu    sync.Mutex
	ids   map[string]string // by IAM endpoint and project name
}

// lookupTimeout bounds a shared look-up. It runs apart from the reads that
// wait for it, so that one read giving up does not fail the others, and may
// take as long as a read does by default.
const lookupTimeout = defaultReadTimeout

// get returns the ID cached under key, else the one find gives. Concurrent
// callers share one find, which runs on a context of its own (ctx's values,
// not its cancellation); each waits for it only as long as its own ctx
// allows.
func (c *projectCache) get(ctx context.Context, key string, find func(context.Context) (string, error)) (string, error) {
	c.mu.Lock()
	id, ok := c.ids[key]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	ch := c.calls.DoChan(key, func() (any, error) {
		shared, cancel := context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
		defer cancel()
		id, err := find(shared)
		if err == nil {
			c.mu.Lock()
			if c.ids == nil {
				c.ids = map[string]string{}
			}
			c.ids[key] = id
			c.mu.Unlock()
		}
		return id, err
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return "", res.Err
		}
		return res.Val.(string), nil
	}
}

// projectError is a project that IAM could not resolve to exactly one ID.
type projectError struct {
	summary, detail string
}

func (e *projectError) Error() string { return e.summary + ": " + e.detail }

// hssClient is the HSS client of region.
func (d *providerData) hssClient(region string) (*hss.Client, error) {
	base, err := hss.Endpoint(d.hssEndpoint, region, d.cloud)
	if err != nil {
		return nil, err
	}
	return hss.New(d.transport, base, d.hssOptions...), nil
}

// projectOf is the provider's project_id (or HW_PROJECT_ID, or a profile's
// projectId) when region is the provider's, else "": a project belongs to
// one region, and another region's is found through IAM.
func (d *providerData) projectOf(region string) string {
	if region != d.region {
		return ""
	}
	return d.projectID
}

// resolveProject finds the ID of region's project through IAM: the project
// named project_name in the provider's region, else the one named after
// the region.
func (d *providerData) resolveProject(ctx context.Context, region string) (string, error) {
	name := region
	if d.projectName != "" && region == d.region {
		name = d.projectName
	}
	base, err := iam.Endpoint(d.iamEndpoint, region, d.cloud)
	if err != nil {
		return "", err
	}
	id, err := d.projects.get(ctx, base.String()+"\x00"+name, func(ctx context.Context) (string, error) {
		projects, err := iam.New(d.transport, base).ListProjects(ctx, name)
		if err != nil {
			return "", fmt.Errorf("resolving the project of region %q through IAM (%s, project name %q): %w", region, base, name, err)
		}
		switch len(projects) {
		case 1:
			return projects[0].ID, nil
		case 0:
			return "", &projectError{"No project found",
				fmt.Sprintf("IAM (%s) lists no project named %q for region %q. Check region (or %s) and project_name (or %s); "+
					"the credentials may also lack permission to list projects (IAM action iam:projects:list). "+
					"%s", base, name, region, envRegion, envProjectName, skipLookup)}
		}
		found := make([]string, len(projects))
		for i, p := range projects {
			found[i] = fmt.Sprintf("%s (%s)", p.ID, p.Name)
		}
		return "", &projectError{"More than one project found",
			fmt.Sprintf("IAM (%s) lists %d projects named %q for region %q: %s. Set project_id on the data source (or, for the provider's region, on the provider or %s) to the one whose events to read.",
				base, len(projects), name, region, strings.Join(found, ", "), envProjectID)}
	})
	if ctx.Err() != nil {
		return "", fmt.Errorf("waiting for the project of region %q from IAM (%s): %w", region, base, ctx.Err())
	}
	return id, err
}

// skipLookup says how to do without the IAM lookup.
const skipLookup = "Setting project_id on the data source (or, for the provider's region, on the provider or " + envProjectID + ") skips the lookup."
