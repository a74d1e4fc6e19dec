package main

import (
	"errors"
	"fmt"
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
	err := keyValues(v, func(key, val string) error {
		switch key {
		case "name":
			c.ClusterName = hssfake.Ptr(val)
		case "id":
			c.ClusterID = hssfake.Ptr(val)
		case "status":
			c.ProtectStatus = hssfake.Ptr(val)
		case "policies":
			n, err := strconv.ParseInt(val, 10, 32)
			if err != nil || n < 0 {
				return fmt.Errorf("policies=%s: want a number of policies", val)
			}
			c.PolicyNum = hssfake.Ptr(n)
		case "type":
			c.ClusterType = hssfake.Ptr(val)
		case "version":
			c.ClusterVersion = hssfake.Ptr(val)
		case "state":
			c.ClusterStatus = hssfake.Ptr(val)
		default:
			return f.scope(key, val, "name, id, project, account, status, policies, type, version or state")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.ClusterName == nil {
		return errors.New("name= is required")
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
	err := keyValues(v, func(key, val string) error {
		switch key {
		case "cluster":
			f.cluster.ClusterName = hssfake.Ptr(val)
		case "status":
			f.cluster.ProtectStatus = hssfake.Ptr(val)
		default:
			return f.scope(key, val, "cluster, status, project or account")
		}
		return nil
	})
	if err == nil && (f.cluster.ClusterName == nil || f.cluster.ProtectStatus == nil) {
		err = errors.New("cluster= and status= are required")
	}
	if err == nil {
		o.clusters = append(o.clusters, f)
	}
	return err
}

// scope reads the project= and account= of a cluster flag; any other key is
// unknown, and keys lists those the flag takes.
func (f *clusterFlag) scope(key, val, keys string) error {
	switch key {
	case "project":
		f.project = val
	case "account":
		f.account = val
	default:
		return fmt.Errorf("unknown key %q: use %s", key, keys)
	}
	return nil
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
