// Command hssfake serves the local fake HSS API, with the IAM routes and
// the ECS metadata route on the same address, for `make demo`, `make bench`
// and rehearsing the provider's credential flows without a cloud account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hssfake:", err)
		os.Exit(2)
	}
	cfg, data, err := o.build(time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, "hssfake:", err)
		os.Exit(2)
	}
	fake := hssfake.New(cfg, data.Events)
	fake.SetClusters(data.Clusters)
	fake.SetFaults(hssfake.Faults{Latency: o.latency})

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", o.addr)
	if err != nil {
		log.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	if o.addrFile != "" {
		if err := os.WriteFile(o.addrFile, []byte(url), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	o.describe(os.Stderr, url, cfg, data)

	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
	if o.statsFile != "" {
		if err := hssfake.WriteStats(o.statsFile, fake.Stats()); err != nil {
			log.Fatal(err)
		}
	}
}

// describe prints what the fake serves and what a user exports to use it.
// It prints the access keys, IdP IDs and agencies given, never a secret key
// or a token: those the user typed and knows.
func (o *options) describe(w io.Writer, url string, cfg hssfake.Config, data hssfake.Data) {
	template := url + "/{region}"
	fmt.Fprintf(w, "hssfake: %d events and %d clusters on %s; each region also on its own, as %s\n", len(data.Events), len(data.Clusters), url, template)
	describeProjects(w, cfg)
	describeCredentials(w, url, cfg)
	o.describeExports(w, url, template, cfg)
}

// describeProjects prints each project with its account, and the cap.
func describeProjects(w io.Writer, cfg hssfake.Config) {
	account := func(domainID string) string { return "" }
	if len(cfg.Accounts) > 0 {
		account = func(domainID string) string {
			i := slices.IndexFunc(cfg.Accounts, func(a hssfake.Account) bool { return a.DomainID == domainID })
			return fmt.Sprintf(" in account %s", cfg.Accounts[i].DomainName)
		}
	}
	for _, p := range cfg.Projects {
		fmt.Fprintf(w, "hssfake: region %s: project %s (ID %s)%s, %d token(s) scoped to it\n", p.Region(), p.Name, p.ID, account(p.DomainID), len(p.Tokens))
	}
	if cfg.TotalNumCap > 0 {
		fmt.Fprintf(w, "hssfake: each query reaches at most %d records, and total_num says at most that (-cap)\n", cfg.TotalNumCap)
	}
}

// describeCredentials prints which keys, agencies, identity providers and
// metadata open what, and warns when nothing opens anything.
func describeCredentials(w io.Writer, url string, cfg hssfake.Config) {
	opens := "every project"
	if len(cfg.Accounts) > 0 {
		opens = "the projects of account " + homeAccount
		for _, a := range cfg.Accounts[1:] {
			fmt.Fprintf(w, "hssfake: account %s (domain ID %s)\n", a.DomainName, a.DomainID)
			for _, ak := range sortedKeys(a.Keys) {
				fmt.Fprintf(w, "hssfake: access key %s opens the projects of account %s\n", ak, a.DomainName)
			}
		}
	}
	for _, ak := range sortedKeys(cfg.Keys) {
		fmt.Fprintf(w, "hssfake: access key %s opens %s\n", ak, opens)
	}
	for _, a := range cfg.Agencies {
		fmt.Fprintf(w, "hssfake: agency %s of domain %s (domain ID %s) may be assumed with %s keys\n", a.Name, a.DomainName, a.DomainID,
			map[bool]string{true: "those", false: "the home account's"}[len(cfg.Accounts) == 0])
	}
	for _, id := range sortedKeys(cfg.IdentityProviders) {
		fmt.Fprintf(w, "hssfake: identity provider %s accepts %d id token(s)\n", id, len(cfg.IdentityProviders[id]))
	}
	if cfg.ECSAgency {
		fmt.Fprintf(w, "hssfake: ECS metadata hands out an agency's temporary keys at %s/openstack/latest/securitykey\n", url)
	}
	if len(cfg.Keys) == 0 && len(cfg.IdentityProviders) == 0 && !cfg.ECSAgency && !slices.ContainsFunc(cfg.Projects, func(p hssfake.Project) bool { return len(p.Tokens) > 0 }) {
		fmt.Fprintln(w, "hssfake: no -keys, -token, -idp nor -ecs-agency: every request will be refused")
	}
}

// describeExports prints what a user exports to point the provider at the
// fake, and one line for each credential source it was given.
func (o *options) describeExports(w io.Writer, url, template string, cfg hssfake.Config) {
	fmt.Fprintf(w, "hssfake: for the provider, export:\n  export HW_REGION_NAME=%s HW_HSS_ENDPOINT='%s' HW_IAM_ENDPOINT='%s'\n", o.defaultRegion(cfg), template, template)
	fmt.Fprintln(w, "  and one credential source:")
	if ak, ok := first(sortedKeys(cfg.Keys)); ok {
		fmt.Fprintf(w, "  access keys:    export HW_ACCESS_KEY=%s HW_SECRET_KEY=<its secret key>\n", ak)
		if a, ok := first(cfg.Agencies); ok {
			fmt.Fprintf(w, "  assume_role:    the keys, and export HW_ASSUME_ROLE_AGENCY_NAME=%s HW_ASSUME_ROLE_DOMAIN_NAME=%s\n", a.Name, a.DomainName)
		}
	}
	if id, ok := first(sortedKeys(cfg.IdentityProviders)); ok {
		fmt.Fprintf(w, "  OIDC:           export HW_ASSUME_ROLE_IDP_ID=%s HW_ASSUME_ROLE_ID_TOKEN=<an id token given>\n", id)
	}
	if cfg.ECSAgency {
		fmt.Fprintf(w, "  ECS metadata:   export HW_METADATA_ENDPOINT=%s (and no keys, token or IdP)\n", url)
	}
	if i := slices.IndexFunc(cfg.Projects, func(p hssfake.Project) bool { return len(p.Tokens) > 0 }); i >= 0 {
		fmt.Fprintf(w, "  token:          export HW_AUTH_TOKEN=<a token given> (it opens project %s only)\n", cfg.Projects[i].ID)
	}
}

// first is the first of s, if any.
func first[T any](s []T) (T, bool) {
	var zero T
	if len(s) == 0 {
		return zero, false
	}
	return s[0], true
}
