package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// fileClustersHelp ends -h: what -file holds besides events.
const fileClustersHelp = `
-file may also list clusters, beside the events: {"data_list": [events...], "clusters": [clusters...]},
each cluster with the API's fields (cluster_name, cluster_id, cluster_version, protect_status, policy_num,
cluster_status, cluster_type; any may be left out) and, never served, project_id and enterprise_project_id
to say where it is listed (left out: in every one). Without "clusters", the fake lists the clusters its
events name, "protected with policy".
`

// clusterFlag is one -cluster (add) or -protect-status (set) value.
type clusterFlag struct {
	add              bool
	cluster          hssfake.Cluster // add: the cluster; set: ClusterName is the name or ID to match
	project, account string          // the project (name or ID) and account it applies to; "" for any
}

// addCluster reads one -cluster value.
func (o *options) addCluster(v string) error {
	f := clusterFlag{add: true, cluster: hssfake.Cluster{
		ProtectStatus: hssfake.Ptr("protected with policy"), PolicyNum: hssfake.Ptr(int64(1)), ClusterStatus: hssfake.Ptr("Available"),
		ClusterType: hssfake.Ptr("cce"), ClusterVersion: hssfake.Ptr("v1.29"),
	}}
	c := &f.cluster
	err := f.parse(v, map[string]**string{
		"name": &c.ClusterName, "id": &c.ClusterID, "status": &c.ProtectStatus,
		"type": &c.ClusterType, "version": &c.ClusterVersion, "state": &c.ClusterStatus,
	}, "policies", func(val string) error {
		n, err := strconv.ParseInt(val, 10, 32)
		if err != nil || n < 0 {
			return fmt.Errorf("policies=%s: want a number of policies", val)
		}
		c.PolicyNum = hssfake.Ptr(n)
		return nil
	})
	if err == nil && c.ClusterName == nil {
		err = errors.New("name= is required")
	}
	if err != nil {
		return err
	}
	if c.ClusterID == nil {
		c.ClusterID = hssfake.Ptr(derivedID("cluster/" + f.account + "/" + f.project + "/" + *c.ClusterName))
	}
	o.clusters = append(o.clusters, f)
	return nil
}

// addProtectStatus reads one -protect-status value.
func (o *options) addProtectStatus(v string) error {
	var f clusterFlag
	err := f.parse(v, map[string]**string{"cluster": &f.cluster.ClusterName, "status": &f.cluster.ProtectStatus}, "", nil)
	if err == nil && (f.cluster.ClusterName == nil || f.cluster.ProtectStatus == nil) {
		err = errors.New("cluster= and status= are required")
	}
	if err == nil {
		o.clusters = append(o.clusters, f)
	}
	return err
}

// parse reads the key=value pairs of a cluster flag: project= and
// account=, the string fields, and the key other, which set reads.
func (f *clusterFlag) parse(v string, fields map[string]**string, other string, set func(string) error) error {
	keys := append(slices.Sorted(maps.Keys(fields)), "project", "account")
	if other != "" {
		keys = append(keys, other)
	}
	return keyValues(v, func(key, val string) error {
		switch field, ok := fields[key]; {
		case ok:
			*field = hssfake.Ptr(val)
		case key == "project":
			f.project = val
		case key == "account":
			f.account = val
		case key == other:
			return set(val)
		default:
			return fmt.Errorf("unknown key %q: use %s", key, strings.Join(keys, ", "))
		}
		return nil
	})
}

// keyValues calls set for each key=value of v, separated by commas.
func keyValues(v string, set func(key, val string) error) error {
	for _, part := range strings.Split(v, ",") {
		key, val, ok := strings.Cut(part, "=")
		if !ok || val == "" {
			return fmt.Errorf("%q is not key=value", part)
		}
		if err := set(key, val); err != nil {
			return err
		}
	}
	return nil
}

// applyClusters adds the -cluster clusters to clusters and sets the
// -protect-status statuses, in the order given.
func (o *options) applyClusters(projects []hssfake.Project, clusters []hssfake.Cluster) ([]hssfake.Cluster, error) {
	for _, f := range o.clusters {
		in := o.projectsOf(projects, f)
		if len(in) == 0 {
			return nil, fmt.Errorf("no project %q in account %q", f.project, f.account)
		}
		if f.add {
			if len(in) > 1 {
				return nil, fmt.Errorf("-cluster %s: say which project (project=, account=): %d match", *f.cluster.ClusterName, len(in))
			}
			c := f.cluster
			c.ProjectID = hssfake.Ptr(in[0])
			clusters = append(clusters, c)
			continue
		}
		set := 0
		for i, c := range clusters {
			if (*f.cluster.ClusterName == str(c.ClusterName) || *f.cluster.ClusterName == str(c.ClusterID)) &&
				(c.ProjectID == nil || slices.Contains(in, *c.ProjectID)) {
				clusters[i].ProtectStatus = f.cluster.ProtectStatus
				set++
			}
		}
		if set == 0 {
			return nil, fmt.Errorf("-protect-status: no cluster %q listed in the projects it names", *f.cluster.ClusterName)
		}
	}
	return clusters, nil
}

// projectsOf are the IDs of the projects a cluster flag applies to.
func (o *options) projectsOf(projects []hssfake.Project, f clusterFlag) []string {
	domain := ""
	switch {
	case f.account == homeAccount:
		domain = defaultDomainID
	case f.account != "":
		i := slices.IndexFunc(o.accounts, func(a hssfake.Account) bool { return a.DomainName == f.account })
		if i < 0 {
			return nil
		}
		domain = o.accounts[i].DomainID
	}
	var ids []string
	for _, p := range projects {
		if (f.project == "" || f.project == p.ID || f.project == p.Name) && (domain == "" || p.DomainID == domain) {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
