package iam_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

func TestListProjects(t *testing.T) {
	fake := hssfake.New(hssfake.Config{
		Keys: map[string]hssfake.Credential{"AK": {SecretKey: "SK"}},
		Projects: []hssfake.Project{
			{ID: "p1", Name: "ap-southeast-1", Enabled: true},
			{ID: "p2", Name: "ap-southeast-1_dev team", Enabled: true},
			{ID: "p3", Name: "cn-north-4", Enabled: true},
		},
	}, nil)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := func(secret string) *iam.Client {
		tr, err := hwcloud.New(hwcloud.Config{AccessKey: "AK", SecretKey: secret, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		base, err := iam.Endpoint(srv.URL, "", "")
		if err != nil {
			t.Fatal(err)
		}
		return iam.New(tr, base)
	}
	for name, want := range map[string]string{"ap-southeast-1": "p1", "ap-southeast-1_dev team": "p2"} {
		got, err := client("SK").ListProjects(context.Background(), name)
		if err != nil || len(got) != 1 || got[0].ID != want || got[0].Name != name || !got[0].Enabled {
			t.Errorf("%q: %+v, %v", name, got, err)
		}
	}
	if got, err := client("SK").ListProjects(context.Background(), "nowhere"); err != nil || len(got) != 0 {
		t.Errorf("nowhere: %+v, %v", got, err)
	}
	_, err := client("wrong").ListProjects(context.Background(), "ap-southeast-1")
	var apiErr *hwcloud.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || apiErr.Service != "IAM" {
		t.Fatalf("a wrong signature: %v", err)
	}
	if st := fake.Stats(); st.IAMRequests != 4 || st.Requests != 0 {
		t.Errorf("%d IAM and %d HSS requests", st.IAMRequests, st.Requests)
	}
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct{ region, cloud, want string }{
		{"ap-southeast-1", "", "https://iam.ap-southeast-1.myhuaweicloud.com"},
		{"eu-west-101", "", "https://iam.eu-west-101.myhuaweicloud.eu"},
		{"cn-north-4", "example.com", "https://iam.cn-north-4.example.com"},
	} {
		u, err := iam.Endpoint("", tc.region, tc.cloud)
		if err != nil || u.String() != tc.want {
			t.Errorf("%s %s: %v %v", tc.region, tc.cloud, u, err)
		}
	}
}
