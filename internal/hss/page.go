package hss

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
)

// The page call, written once for every cluster-protect list of the API:
// GET /v5/{project_id}/cluster-protect/{list}?offset&limit
// [&enterprise_project_id], with the list's own parameters besides, its
// answer checked against the document's ranges.

// pageRequest is the part of a page request every list has.
type pageRequest struct {
	ProjectID           string
	EnterpriseProjectID string
	Offset, Limit       int
}

// validate checks the request against the document's ranges.
func (r pageRequest) validate() error {
	if err := checkID("project_id", r.ProjectID, true); err != nil {
		return err
	}
	if r.ProjectID == "." || r.ProjectID == ".." {
		return fmt.Errorf("project_id %q is not a project ID", r.ProjectID)
	}
	if err := checkID("enterprise_project_id", r.EnterpriseProjectID, false); err != nil {
		return err
	}
	if r.Offset < 0 || r.Offset > MaxOffset {
		return fmt.Errorf("offset %d is out of range: it must be 0 to %d", r.Offset, MaxOffset)
	}
	if r.Limit < MinLimit || r.Limit > MaxLimit {
		return fmt.Errorf("limit %d is out of range: it must be %d to %d", r.Limit, MinLimit, MaxLimit)
	}
	return nil
}

func checkID(name, v string, required bool) error {
	n := utf8.RuneCountInString(v)
	if n == 0 && !required {
		return nil
	}
	if n < 1 || n > MaxIDLength {
		return fmt.Errorf("%s must be 1 to %d characters, got %d", name, MaxIDLength, n)
	}
	return nil
}

// pageAnswer is the body of a page: its total_num and how many items it
// holds.
type pageAnswer interface {
	counts() (total int64, items int)
}

// getPage reads the page of list that r asks for, with the list's own
// parameters in extra, into out. The request is validated by the caller.
func (c *Client) getPage(ctx context.Context, list, noun string, r pageRequest, extra url.Values, out pageAnswer) error {
	q := url.Values{}
	for k, v := range extra {
		q[k] = v
	}
	q.Set("offset", strconv.Itoa(r.Offset))
	q.Set("limit", strconv.Itoa(r.Limit))
	if r.EnterpriseProjectID != "" {
		q.Set("enterprise_project_id", r.EnterpriseProjectID)
	}
	u := c.base.JoinPath("v5", url.PathEscape(r.ProjectID), "cluster-protect", list)
	u.RawQuery = hwcloud.EncodeQuery(q)
	if err := c.t.GetJSON(ctx, "HSS", u, out); err != nil {
		return err
	}
	total, n := out.counts()
	if total < 0 {
		return fmt.Errorf("the API answered total_num %d, below the documented minimum 0", total)
	}
	if n > r.Limit {
		return fmt.Errorf("the API answered %d %s for limit %d at offset %d", n, noun, r.Limit, r.Offset)
	}
	return nil
}

// pageCall is a list's page request: validated, and moved to an offset.
type pageCall[R any] interface {
	Validate() error
	page() pageRequest
	at(offset int) R
}

// pageOf is a list's page answer as ReadAll takes it.
type pageOf[T any] interface {
	asPage() Page[T]
}

// listSpec is what tells one list of the API apart in a read of all of it.
type listSpec[T any] struct {
	id           func(T) (string, bool)
	idName, noun string
	capHint      string
}

// readAll reads every item of a list (see ReadAll): base, validated first,
// sent through call at each offset ReadAll asks for.
func readAll[T any, R pageCall[R], A pageOf[T]](ctx context.Context, c *Client, base R, call func(context.Context, R) (A, error), l listSpec[T]) (*Result[T], error) {
	if err := base.Validate(); err != nil {
		return nil, err
	}
	return ReadAll(ctx, Paged[T]{
		Limit:          base.page().Limit,
		MaxConcurrency: c.t.MaxConcurrency(),
		Cap:            c.cap,
		ID:             l.id,
		IDName:         l.idName,
		Noun:           l.noun,
		CapHint:        l.capHint,
		Fetch: func(ctx context.Context, offset int) (Page[T], error) {
			resp, err := call(ctx, base.at(offset))
			if err != nil {
				return Page[T]{}, err
			}
			return resp.asPage(), nil
		},
	})
}
