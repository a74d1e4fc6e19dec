package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

// defaultProjectID is the -project-id default, which scripts and the README
// export as HW_PROJECT_ID.
const defaultProjectID = "0123456789abcdef0123456789abcdef"

// defaultDomainID is the account the fake's projects belong to: the home
// account, named homeAccount, with -account.
const (
	defaultDomainID = "d0000000000000000000000000000001"
	homeAccount     = "default"
)

// options are the command's flags.
type options struct {
	addr, addrFile, statsFile, file string
	count, clusterCount             int
	seed                            uint64
	newest, span, latency           time.Duration

	// One project, for the flags that predate -project.
	region, projectID, token, accessKey, secretKey string

	projects  []hssfake.Project
	inAccount []string // the account= of each of projects, "" for the home account
	accounts  []hssfake.Account
	keys      map[string]hssfake.Credential
	idps      map[string][]string
	agencies  []hssfake.Agency
	ecsAgency bool
	setByUser map[string]bool // the flags given

	cap      int
	clusters []clusterFlag // -cluster and -protect-status, in order
}

// parseFlags reads the command line; usage and errors go to out.
func parseFlags(args []string, out io.Writer) (*options, error) {
	o := &options{keys: map[string]hssfake.Credential{}, idps: map[string][]string{}, setByUser: map[string]bool{}}
	fs := flag.NewFlagSet("hssfake", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:0", "listen address; port 0 picks a free one")
	fs.StringVar(&o.addrFile, "addr-file", "", "write the URL served to this file once listening")
	fs.StringVar(&o.statsFile, "stats-file", "", "write request counters as JSON to this file on exit")
	fs.IntVar(&o.count, "events", 300, "how many events to generate, in each project")
	fs.IntVar(&o.clusterCount, "clusters", 3, "how many clusters the generated events of each project fall in")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	fs.DurationVar(&o.newest, "newest", 10*time.Minute, "the newest generated event is this long ago")
	fs.DurationVar(&o.span, "span", 72*time.Hour, "the generated events spread over this long before the newest")
	fs.StringVar(&o.file, "file", "", "serve the events in this JSON file instead of generating them: a JSON array of events, or the API's answer {\"total_num\": N, \"data_list\": [...]}, each event with the API's fields (event_id, action, handle_status, create_time in epoch milliseconds, resource_info, project_id, enterprise_project_id, ...); an event without enterprise_project_id belongs to the default enterprise project \"0\", and a read of another enterprise project does not see it (all_granted_eps does)")
	fs.DurationVar(&o.latency, "latency", 0, "delay before each answer")
	fs.StringVar(&o.region, "region", "ap-southeast-1", "without -project: the region of the one project; with -project: the region to export as HW_REGION_NAME")
	fs.StringVar(&o.projectID, "project-id", defaultProjectID, "without -project: the ID of the one project")
	fs.StringVar(&o.token, "token", "", "without -project: accept this X-Auth-Token, scoped to the one project")
	fs.StringVar(&o.accessKey, "access-key", "", "accept this access key (as -keys AK:SK)")
	fs.StringVar(&o.secretKey, "secret-key", "", "with -access-key: its secret key")
	fs.Func("project", "a project, repeatable: region=R[,name=N][,id=ID][,token=T]...[,account=A]; name defaults to R (a sub-project is R_suffix), id to one derived from the name (and account); each token=T is an X-Auth-Token scoped to it; account=A puts it in -account A", o.addProject)
	fs.Func("keys", "an access key pair that opens every project (with -account, the home account's), repeatable: AK:SK", o.addKeys)
	fs.Func("idp", "an OIDC identity provider and an id token it accepts, repeatable: ID=TOKEN", o.addIdP)
	fs.Func("agency", "an agency the access keys may assume, repeatable: NAME@DOMAIN_NAME (its domain ID is derived and printed)", o.addAgency)
	fs.BoolVar(&o.ecsAgency, "ecs-agency", false, "serve ECS metadata (/openstack/latest/securitykey) with an agency's temporary keys")
	fs.Func("account", "another account (domain), repeatable: name=N[,id=ID][,keys=AK:SK]...; id defaults to one derived from the name. With -account, each account opens only its own projects: -project account=N puts a project in N; -agency NAME@N is N's agency, which the home account (\""+homeAccount+"\": -keys, -access-key, -idp, -ecs-agency and the projects without account=) may assume; keys=AK:SK are N's own keys. Without -account, every key and agency opens every project", o.addAccount)
	fs.IntVar(&o.cap, "cap", 0, "the most records one query can reach, and the most total_num says; 0 for the API's 10,000 (a small value rehearses the cap)")
	fs.Func("cluster", "add a cluster with no events, repeatable: name=N[,id=ID][,project=P][,account=A][,status=S][,policies=N][,type=T][,version=V][,state=Available|Unavailable]; project (name or ID; default: the only project) and account pick its one project", o.addCluster)
	fs.Func("protect-status", "set the protect_status of listed clusters, repeatable: cluster=C,status=S[,project=P][,account=A]; C is a cluster's name or ID (the generated ones are cluster-0, cluster-1, ...), in every project unless project= (name or ID) or account= narrow it; S is any value, such as \"plugin error\" (quote the spaces)", o.addProtectStatus)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage of hssfake (every setting is a flag):")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), fileClustersHelp)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: every setting is a flag", fs.Args())
	}
	fs.Visit(func(f *flag.Flag) { o.setByUser[f.Name] = true })
	return o, o.check()
}

// check refuses flags that contradict each other.
func (o *options) check() error {
	if (o.accessKey == "") != (o.secretKey == "") {
		return errors.New("-access-key and -secret-key go together")
	}
	if o.cap < 0 || o.cap > 10_000 {
		return errors.New("-cap must be 0 (the API's 10,000) to 10000")
	}
	if o.accessKey != "" {
		o.keys[o.accessKey] = hssfake.Credential{SecretKey: o.secretKey}
	}
	if err := o.placeProjects(); err != nil {
		return err
	}
	for _, g := range o.agencies {
		if len(o.accounts) > 0 && g.DomainName != homeAccount && !slices.ContainsFunc(o.accounts, func(a hssfake.Account) bool { return a.DomainName == g.DomainName }) {
			return fmt.Errorf("-agency %s@%s: with -account, an agency is of an -account", g.Name, g.DomainName)
		}
	}
	if len(o.projects) == 0 {
		return nil
	}
	for _, name := range []string{"project-id", "token"} {
		if o.setByUser[name] {
			return fmt.Errorf("-%s is for the one project without -project: with -project, use its id= and token=", name)
		}
	}
	if o.setByUser["region"] && !slices.ContainsFunc(o.projects, func(p hssfake.Project) bool { return p.Region() == o.region }) {
		return fmt.Errorf("-region %s has no -project", o.region)
	}
	return nil
}

// addProject reads one -project value.
func (o *options) addProject(v string) error {
	p, region, account, err := parseProject(v)
	if err != nil {
		return err
	}
	switch {
	case region == "" && p.Name == "":
		return errors.New("region= (or name=) is required")
	case p.Name == "":
		p.Name = region
	case region != "" && p.Region() != region:
		return fmt.Errorf("name %q is not a project of region %s: a region's projects are named R or R_suffix", p.Name, region)
	}
	o.projects = append(o.projects, p)
	o.inAccount = append(o.inAccount, account)
	return nil
}

// parseProject splits region=R,name=N,id=ID,token=T...,account=A into a
// project, its region and its account.
func parseProject(v string) (p hssfake.Project, region, account string, err error) {
	p = hssfake.Project{DomainID: defaultDomainID, Enabled: true}
	for _, part := range strings.Split(v, ",") {
		key, val, ok := strings.Cut(part, "=")
		if !ok || val == "" {
			return p, "", "", fmt.Errorf("%q is not key=value (keys: region, name, id, token, account)", part)
		}
		switch key {
		case "region":
			region = val
		case "name":
			p.Name = val
		case "id":
			p.ID = val
		case "token":
			p.Tokens = append(p.Tokens, val)
		case "account":
			account = val
		default:
			return p, "", "", fmt.Errorf("unknown key %q: use region, name, id, token or account", key)
		}
	}
	return p, region, account, nil
}

// placeProjects puts each project in its account, gives it its derived ID
// (of the name, and of the account's name outside the home account, as
// each account has its own project of a region), and refuses a project
// given twice: a name twice in one account, or an ID twice.
func (o *options) placeProjects() error {
	for i := range o.projects {
		p, account := &o.projects[i], o.inAccount[i]
		if account != "" && account != homeAccount {
			a := slices.IndexFunc(o.accounts, func(a hssfake.Account) bool { return a.DomainName == account })
			if a < 0 {
				return fmt.Errorf("-project %s: account=%s is not an -account", p.Name, account)
			}
			p.DomainID = o.accounts[a].DomainID
		}
		if p.ID == "" {
			p.ID = derivedID(p.Name)
			if p.DomainID != defaultDomainID {
				p.ID = derivedID(account + "/" + p.Name)
			}
		}
		if slices.ContainsFunc(o.projects[:i], func(q hssfake.Project) bool {
			return q.ID == p.ID || q.Name == p.Name && q.DomainID == p.DomainID
		}) {
			return fmt.Errorf("project %s (ID %s) is given twice", p.Name, p.ID)
		}
	}
	return nil
}

// addAccount reads one -account value.
func (o *options) addAccount(v string) error {
	a := hssfake.Account{Keys: map[string]hssfake.Credential{}}
	for _, part := range strings.Split(v, ",") {
		key, val, ok := strings.Cut(part, "=")
		if !ok || val == "" {
			return fmt.Errorf("%q is not key=value (keys: name, id, keys)", part)
		}
		switch key {
		case "name":
			a.DomainName = val
		case "id":
			a.DomainID = val
		case "keys":
			ak, sk, ok := strings.Cut(val, ":")
			if !ok || ak == "" || sk == "" {
				return errors.New("keys: want AK:SK")
			}
			a.Keys[ak] = hssfake.Credential{SecretKey: sk}
		default:
			return fmt.Errorf("unknown key %q: use name, id or keys", key)
		}
	}
	if a.DomainName == "" || a.DomainName == homeAccount {
		return fmt.Errorf("name= is required, and %q names the home account", homeAccount)
	}
	a.DomainID = cmp.Or(a.DomainID, derivedID(a.DomainName))
	if slices.ContainsFunc(o.accounts, func(b hssfake.Account) bool { return b.DomainName == a.DomainName || b.DomainID == a.DomainID }) {
		return fmt.Errorf("account %s (ID %s) is given twice", a.DomainName, a.DomainID)
	}
	o.accounts = append(o.accounts, a)
	return nil
}

func (o *options) addKeys(v string) error {
	ak, sk, ok := strings.Cut(v, ":")
	if !ok || ak == "" || sk == "" {
		return errors.New("want AK:SK")
	}
	o.keys[ak] = hssfake.Credential{SecretKey: sk}
	return nil
}

func (o *options) addIdP(v string) error {
	id, token, ok := strings.Cut(v, "=")
	if !ok || id == "" || token == "" {
		return errors.New("want ID=TOKEN")
	}
	o.idps[id] = append(o.idps[id], token)
	return nil
}

func (o *options) addAgency(v string) error {
	name, domain, ok := strings.Cut(v, "@")
	if !ok || name == "" || domain == "" {
		return errors.New("want NAME@DOMAIN_NAME")
	}
	o.agencies = append(o.agencies, hssfake.Agency{Name: name, DomainName: domain, DomainID: derivedID(domain)})
	return nil
}

// derivedID is a stable 32-hex-digit ID for name, as IAM's IDs look.
func derivedID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:16])
}

// build makes the fake's configuration, events and clusters: each project
// gets -events generated events of its own, unless -file gives them, and
// the clusters the events name, unless -file gives them; then -cluster and
// -protect-status apply.
func (o *options) build(now time.Time) (hssfake.Config, hssfake.Data, error) {
	projects := o.projects
	if len(projects) == 0 {
		p := hssfake.Project{ID: o.projectID, Name: o.region, DomainID: defaultDomainID, Enabled: true}
		if o.token != "" {
			p.Tokens = []string{o.token}
		}
		projects = []hssfake.Project{p}
	}
	cfg := hssfake.Config{Keys: o.keys, Projects: projects, IdentityProviders: o.idps, Agencies: o.agencies, ECSAgency: o.ecsAgency,
		TotalNumCap: o.cap}
	o.configureAccounts(&cfg)
	var data hssfake.Data
	if o.file != "" {
		var err error
		if data, err = hssfake.Load(o.file); err != nil {
			return cfg, data, err
		}
	} else {
		for i, p := range projects {
			data.Events = append(data.Events, hssfake.Generate(hssfake.GenerateOptions{
				Count: o.count, Seed: o.seed + uint64(i), ProjectID: p.ID, Clusters: o.clusterCount,
				NewestMillis: now.Add(-o.newest).UnixMilli(), Span: o.span,
			})...)
		}
	}
	if data.Clusters == nil {
		data.Clusters = hssfake.ClustersOf(data.Events)
	}
	var err error
	data.Clusters, err = o.applyClusters(projects, data.Clusters)
	return cfg, data, err
}

// configureAccounts makes cfg several accounts when -account is given: the
// home account first, each agency granted by the account it names and
// trusting the home account.
func (o *options) configureAccounts(cfg *hssfake.Config) {
	if len(o.accounts) == 0 {
		return
	}
	cfg.Accounts = append([]hssfake.Account{{DomainID: defaultDomainID, DomainName: homeAccount}}, o.accounts...)
	cfg.Agencies = slices.Clone(o.agencies)
	for i, g := range cfg.Agencies {
		if a := slices.IndexFunc(cfg.Accounts, func(a hssfake.Account) bool { return a.DomainName == g.DomainName }); a >= 0 {
			cfg.Agencies[i].DomainID = cfg.Accounts[a].DomainID
		}
		cfg.Agencies[i].Trusts = defaultDomainID
	}
}

// defaultRegion is the region to export as HW_REGION_NAME.
func (o *options) defaultRegion(cfg hssfake.Config) string {
	if o.setByUser["region"] || len(cfg.Projects) == 0 {
		return o.region
	}
	return cfg.Projects[0].Region()
}

// sortedKeys are m's keys in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
