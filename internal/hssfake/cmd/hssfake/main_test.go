package main

import (
	"cmp"
	"errors"
	"flag"
	"io"
	"net/http/httptest"
	"os"
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
		{"accounts: projects, keys and agencies of each", []string{
			"-keys", "SEC:sk", "-project", "region=ap-southeast-1",
			"-account", "name=member-a", "-account", "name=member-b,id=dom-b,keys=BAK:b-sk",
			"-project", "region=ap-southeast-1,account=member-a", "-project", "region=ap-southeast-1,account=member-b",
			"-agency", "hss-reader@member-a", "-agency", "hss-reader@member-b", "-cap", "50",
		}, "", func(t *testing.T, c hssfake.Config) {
			var got []string
			for _, a := range c.Accounts {
				got = append(got, a.DomainName+"/"+a.DomainID+"/"+strings.Join(sortedKeys(a.Keys), "+"))
			}
			if want := []string{"default/" + defaultDomainID + "/", "member-a/" + derivedID("member-a") + "/", "member-b/dom-b/BAK"}; !slices.Equal(got, want) {
				t.Errorf("accounts %q, want %q", got, want)
			}
			got = nil
			for _, p := range c.Projects {
				got = append(got, p.Name+"/"+p.ID+"/"+p.DomainID)
			}
			if want := []string{
				"ap-southeast-1/" + derivedID("ap-southeast-1") + "/" + defaultDomainID,
				"ap-southeast-1/" + derivedID("member-a/ap-southeast-1") + "/" + derivedID("member-a"),
				"ap-southeast-1/" + derivedID("member-b/ap-southeast-1") + "/dom-b",
			}; !slices.Equal(got, want) {
				t.Errorf("projects %q, want %q", got, want)
			}
			if want := []hssfake.Agency{
				{Name: "hss-reader", DomainName: "member-a", DomainID: derivedID("member-a"), Trusts: defaultDomainID},
				{Name: "hss-reader", DomainName: "member-b", DomainID: "dom-b", Trusts: defaultDomainID},
			}; !slices.Equal(c.Agencies, want) {
				t.Errorf("agencies %+v, want %+v", c.Agencies, want)
			}
			if c.Keys["SEC"].SecretKey != "sk" || c.TotalNumCap != 50 {
				t.Errorf("keys %v, cap %d", c.Keys, c.TotalNumCap)
			}
		}},
		{"account unknown to a project", []string{"-account", "name=a", "-project", "region=x,account=b"}, "account=b is not an -account", nil},
		{"account twice", []string{"-account", "name=a", "-account", "name=a"}, "given twice", nil},
		{"account named default", []string{"-account", "name=default"}, `"default" names the home account`, nil},
		{"account key typo", []string{"-account", "name=a,key=A:S"}, `unknown key "key"`, nil},
		{"agency of no account", []string{"-account", "name=a", "-agency", "r@b"}, "an agency is of an -account", nil},
		{"a project's name twice in one account", []string{"-account", "name=a", "-project", "region=x,account=a", "-project", "region=x,account=a"}, "given twice", nil},
		{"cap too high", []string{"-cap", "10001"}, "-cap must be", nil},
		{"cap negative", []string{"-cap", "-1"}, "-cap must be", nil},
		{"cluster without name", []string{"-cluster", "status=unprotected"}, "name= is required", nil},
		{"cluster key typo", []string{"-cluster", "name=x,staus=y"}, `unknown key "staus"`, nil},
		{"protect-status without status", []string{"-protect-status", "cluster=cluster-0"}, "cluster= and status= are required", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, io.Discard)
			if ended(t, err, tc.err) {
				return
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
	srv, out := startCommand(t, []string{"-events", "15", "-keys", "AK:SK",
		"-project", "region=ap-southeast-1", "-project", "region=cn-north-4", "-agency", "reader@sec"},
		"HW_HSS_ENDPOINT='{url}/{region}'", "HW_REGION_NAME=ap-southeast-1 ", "region cn-north-4: project cn-north-4",
		"HW_ACCESS_KEY=AK HW_SECRET_KEY=<its secret key>", "HW_ASSUME_ROLE_AGENCY_NAME=reader HW_ASSUME_ROLE_DOMAIN_NAME=sec")
	if strings.Contains(out, "SK\n") || strings.Contains(out, "=SK") {
		t.Errorf("the secret key is printed:\n%s", out)
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

// The clusters the command serves: those its events name, in their own
// project, then -cluster adds clusters without events and -protect-status
// sets statuses, spaces and all; -file may give the clusters instead.
func TestBuild_clusters(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/data.json"
	if err := os.WriteFile(file, []byte(`{"data_list": [{"event_id": "e1", "cluster_id": "c-1", "project_id": "p1"}],
		"clusters": [{"cluster_id": "c-1", "cluster_name": "one", "protect_status": "unprotected", "project_id": "p1"}, {"cluster_id": "c-2"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	events := []string{"-events", "20", "-project", "region=ap-southeast-1", "-project", "region=cn-north-4"}
	for _, tc := range []struct {
		name string
		args []string
		want []string // project/name (or ID)/status of each cluster, project "*" for every one; in any order
		err  string
	}{
		{"named by the events", events, []string{"ap-southeast-1/cluster-0/protected with policy", "ap-southeast-1/cluster-2/protected with policy",
			"ap-southeast-1/cluster-1/protected with policy", "cn-north-4/cluster-1/protected with policy", "cn-north-4/cluster-0/protected with policy",
			"cn-north-4/cluster-2/protected with policy"}, ""},
		{"set and added", append(slices.Clone(events),
			"-protect-status", "cluster=cluster-1,status=plugin error", "-protect-status", "cluster=cluster-0,status=unprotected,project=cn-north-4",
			"-cluster", "name=idle,project=cn-north-4,status=protected without policy,policies=0"),
			[]string{"ap-southeast-1/cluster-0/protected with policy", "ap-southeast-1/cluster-2/protected with policy",
				"ap-southeast-1/cluster-1/plugin error", "cn-north-4/cluster-1/plugin error", "cn-north-4/cluster-0/unprotected",
				"cn-north-4/cluster-2/protected with policy", "cn-north-4/idle/protected without policy"}, ""},
		{"from the file", []string{"-file", file, "-project", "region=ap-southeast-1,id=p1", "-protect-status", "cluster=c-2,status=uninstall failed"},
			[]string{"ap-southeast-1/one/unprotected", "*/c-2/uninstall failed"}, ""},
		{"a status of no cluster", append(slices.Clone(events), "-protect-status", "cluster=nope,status=x"), nil, `no cluster "nope"`},
		{"a cluster of two projects", append(slices.Clone(events), "-cluster", "name=x"), nil, "say which project"},
		{"a cluster of no project", append(slices.Clone(events), "-cluster", "name=x,project=eu-west-0"), nil, `no project "eu-west-0"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			cfg, data, err := o.build(time.Now())
			if ended(t, err, tc.err) {
				return
			}
			var got []string
			for _, c := range data.Clusters {
				where := "*"
				if i := slices.IndexFunc(cfg.Projects, func(p hssfake.Project) bool { return c.ProjectID != nil && p.ID == *c.ProjectID }); i >= 0 {
					where = cfg.Projects[i].Name
				}
				got = append(got, where+"/"+cmp.Or(str(c.ClusterName), str(c.ClusterID))+"/"+str(c.ProtectStatus))
			}
			slices.Sort(got)
			if !slices.Equal(got, slices.Sorted(slices.Values(tc.want))) {
				t.Errorf("clusters\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// Three accounts from flags, as the README rehearses them: each account's
// keys find and read their own account's project through the real clients,
// and a read of another account's project is refused with a 403.
func TestCommand_threeAccounts(t *testing.T) {
	srv, _ := startCommand(t, []string{"-events", "15", "-keys", "SEC:sec-sk", "-project", "region=ap-southeast-1",
		"-account", "name=member-a,keys=AAK:a-sk", "-project", "region=ap-southeast-1,account=member-a",
		"-account", "name=member-b,keys=BAK:b-sk", "-project", "region=ap-southeast-1,account=member-b",
		"-agency", "hss-reader@member-a"},
		"in account member-a", "access key AAK opens the projects of account member-a",
		"access key SEC opens the projects of account default", "may be assumed with the home account's keys")
	template := srv.URL + "/" + hwcloud.RegionPlaceholder
	iamBase, _ := iam.Endpoint(template, "ap-southeast-1", "")
	hssBase, _ := hss.Endpoint(template, "ap-southeast-1", "")
	ids := map[string]string{}
	for account, key := range map[string][2]string{"default": {"SEC", "sec-sk"}, "member-a": {"AAK", "a-sk"}, "member-b": {"BAK", "b-sk"}} {
		transport, err := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{AccessKey: key[0], SecretKey: key[1]}})
		if err != nil {
			t.Fatal(err)
		}
		projects, err := iam.New(transport, iamBase).ListProjects(t.Context(), "ap-southeast-1")
		if err != nil || len(projects) != 1 {
			t.Fatalf("%s: projects %+v, %v", account, projects, err)
		}
		ids[account] = projects[0].ID
		read, err := hss.New(transport, hssBase).ReadAllClusterEvents(t.Context(), hss.Filter{ProjectID: projects[0].ID})
		if err != nil || read.TotalNum != 15 {
			t.Fatalf("%s: %+v, %v", account, read, err)
		}
	}
	if len(ids) != 3 || ids["default"] == ids["member-a"] || ids["member-a"] == ids["member-b"] {
		t.Fatalf("each account has its own project: %v", ids)
	}
	transport, _ := hwcloud.New(hwcloud.Config{Credentials: hwcloud.StaticCredentials{AccessKey: "AAK", SecretKey: "a-sk"}})
	if _, err := hss.New(transport, hssBase).ReadAllClusterEvents(t.Context(), hss.Filter{ProjectID: ids["member-b"]}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("member-a's keys on member-b's project: %v, want a 403", err)
	}
}

// startCommand serves the fake the command builds from args until the test
// ends, and checks that its start-up lines hold each of want ({url} in one
// stands for the URL served); it returns the server and the lines.
func startCommand(t *testing.T, args []string, want ...string) (*httptest.Server, string) {
	t.Helper()
	o, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg, data, err := o.build(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fake := hssfake.New(cfg, data.Events)
	fake.SetClusters(data.Clusters)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	var out strings.Builder
	o.describe(&out, srv.URL, cfg, data)
	for _, w := range want {
		if w = strings.ReplaceAll(w, "{url}", srv.URL); !strings.Contains(out.String(), w) {
			t.Errorf("startup lines lack %q:\n%s", w, out.String())
		}
	}
	return srv, out.String()
}

// ended checks err against the error a case wants (a part of its message,
// "" for none), and reports whether the case ends with it.
func ended(t *testing.T, err error, want string) bool {
	t.Helper()
	switch {
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("err %v, want %q", err, want)
	case want == "" && err != nil:
		t.Fatal(err)
	}
	return want != ""
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

// -clusters spreads the generated events over that many clusters, each
// listed: a read past the cap has clusters to go through.
func TestFlags_clusters(t *testing.T) {
	o, err := parseFlags([]string{"-events", "600", "-clusters", "6"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	_, data, err := o.build(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, e := range data.Events {
		named[*e.ClusterID] = true
	}
	if len(data.Events) != 600 || len(named) != 6 || len(data.Clusters) != 6 {
		t.Errorf("%d events in %d clusters, %d listed; want 600 in 6, 6 listed", len(data.Events), len(named), len(data.Clusters))
	}
}
