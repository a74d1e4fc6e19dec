package main

import (
	"errors"
	"flag"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hwcloud"
	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/iam"
)

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		err  string
		want func(*testing.T, hssfake.Config)
	}{
		{"defaults: one project, as before", []string{"-access-key", "AK", "-secret-key", "SK", "-token", "T"}, "", func(t *testing.T, c hssfake.Config) {
			if len(c.Projects) != 1 || c.Projects[0].ID != defaultProjectID || c.Projects[0].Name != "ap-southeast-1" ||
				!slices.Equal(c.Projects[0].Tokens, []string{"T"}) || c.Keys["AK"].SecretKey != "SK" {
				t.Errorf("%+v", c)
			}
		}},
		{"regions, projects, keys, IdPs, agencies, ECS", []string{
			"-project", "region=ap-southeast-1,id=p1,token=t1,token=t2",
			"-project", "name=ap-southeast-1_dev",
			"-project", "region=cn-north-4",
			"-keys", "AK1:SK1", "-keys", "AK2:s:k",
			"-idp", "gh=tok1", "-idp", "gh=tok2", "-idp", "gl=tok3",
			"-agency", "hss-reader@security-account",
			"-ecs-agency",
		}, "", func(t *testing.T, c hssfake.Config) {
			names := []string{}
			for _, p := range c.Projects {
				names = append(names, p.Region()+"/"+p.Name+"/"+p.ID+"/"+strings.Join(p.Tokens, "+"))
			}
			want := []string{"ap-southeast-1/ap-southeast-1/p1/t1+t2", "ap-southeast-1/ap-southeast-1_dev/" + derivedID("ap-southeast-1_dev") + "/", "cn-north-4/cn-north-4/" + derivedID("cn-north-4") + "/"}
			if !slices.Equal(names, want) {
				t.Errorf("projects %q, want %q", names, want)
			}
			if c.Keys["AK1"].SecretKey != "SK1" || c.Keys["AK2"].SecretKey != "s:k" || len(c.Keys) != 2 {
				t.Errorf("keys %v", c.Keys)
			}
			if !slices.Equal(c.IdentityProviders["gh"], []string{"tok1", "tok2"}) || len(c.IdentityProviders) != 2 {
				t.Errorf("IdPs %v", c.IdentityProviders)
			}
			if len(c.Agencies) != 1 || c.Agencies[0] != (hssfake.Agency{Name: "hss-reader", DomainName: "security-account", DomainID: derivedID("security-account")}) {
				t.Errorf("agencies %+v", c.Agencies)
			}
			if !c.ECSAgency {
				t.Error("no ECS agency")
			}
		}},
		{"project without region", []string{"-project", "id=x"}, "region= (or name=) is required", nil},
		{"project key typo", []string{"-project", "regoin=x"}, `unknown key "regoin"`, nil},
		{"project not key=value", []string{"-project", "ap-southeast-1"}, "is not key=value", nil},
		{"name of another region", []string{"-project", "region=cn-north-4,name=ap-southeast-1_dev"}, "not a project of region cn-north-4", nil},
		{"project twice", []string{"-project", "region=cn-north-4", "-project", "region=cn-north-4"}, "given twice", nil},
		{"keys without secret", []string{"-keys", "AK"}, "want AK:SK", nil},
		{"idp without token", []string{"-idp", "gh"}, "want ID=TOKEN", nil},
		{"agency without domain", []string{"-agency", "reader"}, "want NAME@DOMAIN_NAME", nil},
		{"token with -project", []string{"-project", "region=cn-north-4", "-token", "T"}, "-token is for the one project", nil},
		{"region without its project", []string{"-project", "region=cn-north-4", "-region", "ap-southeast-1"}, "-region ap-southeast-1 has no -project", nil},
		{"half a key pair", []string{"-access-key", "AK"}, "go together", nil},
		{"stray argument", []string{"-keys", "A:S", "extra"}, "unexpected arguments", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, _, err := o.build(time.Now())
			if err != nil {
				t.Fatal(err)
			}
			tc.want(t, cfg)
		})
	}
}

// The command's fake, set up from flags for two regions, is each region's
// endpoint under /{region}: the real clients find each region's project
// through IAM and read its events, signed with the keys given.
func TestCommand_twoRegions(t *testing.T) {
	o, err := parseFlags([]string{"-events", "15", "-keys", "AK:SK",
		"-project", "region=ap-southeast-1", "-project", "region=cn-north-4", "-agency", "reader@sec"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg, events, err := o.build(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hssfake.New(cfg, events))
	defer srv.Close()
	var out strings.Builder
	o.describe(&out, srv.URL, cfg, len(events))
	for _, want := range []string{"HW_HSS_ENDPOINT='" + srv.URL + "/{region}'", "HW_REGION_NAME=ap-southeast-1 ", "region cn-north-4: project cn-north-4",
		"HW_ACCESS_KEY=AK HW_SECRET_KEY=<its secret key>", "HW_ASSUME_ROLE_AGENCY_NAME=reader HW_ASSUME_ROLE_DOMAIN_NAME=sec"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("startup lines lack %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "SK\n") || strings.Contains(out.String(), "=SK") {
		t.Errorf("the secret key is printed:\n%s", out.String())
	}

	transport, err := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{AccessKey: "AK", SecretKey: "SK"}})
	if err != nil {
		t.Fatal(err)
	}
	template := srv.URL + "/" + hwcloud.RegionPlaceholder
	for _, region := range []string{"ap-southeast-1", "cn-north-4"} {
		iamBase, _ := iam.Endpoint(template, region, "")
		projects, err := iam.New(transport, iamBase).ListProjects(t.Context(), region)
		if err != nil || len(projects) != 1 || projects[0].ID != derivedID(region) {
			t.Fatalf("%s: projects %+v, %v", region, projects, err)
		}
		hssBase, _ := hss.Endpoint(template, region, "")
		read, err := hss.New(transport, hssBase).ReadAllClusterEvents(t.Context(), hss.Filter{ProjectID: projects[0].ID})
		if err != nil || read.TotalNum != 15 || len(read.Events) != 15 {
			t.Fatalf("%s: %+v, %v", region, read, err)
		}
	}
	// A region's endpoint does not serve another region's project.
	hssBase, _ := hss.Endpoint(template, "cn-north-4", "")
	if _, err := hss.New(transport, hssBase).ReadAllClusterEvents(t.Context(), hss.Filter{ProjectID: derivedID("ap-southeast-1")}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("another region's project at cn-north-4: %v, want a 403", err)
	}
}

// -h says which enterprise project the events of -file without one belong
// to, so that a read of another enterprise project seeing none of them is
// no surprise.
func TestParseFlags_helpOfFile(t *testing.T) {
	var out strings.Builder
	if _, err := parseFlags([]string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err %v, want flag.ErrHelp", err)
	}
	help := strings.Join(strings.Fields(out.String()), " ")
	if want := `an event without enterprise_project_id belongs to the default enterprise project "0", and a read of another enterprise project does not see it`; !strings.Contains(help, want) {
		t.Errorf("-h lacks %q:\n%s", want, out.String())
	}
}
