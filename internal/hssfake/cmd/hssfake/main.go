// Command hssfake serves the local fake HSS API, with the IAM project lookup
// on the same address, for `make demo`, `make bench` and trying the provider
// without a cloud account.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hssfake"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address; port 0 picks a free one")
	addrFile := flag.String("addr-file", "", "write the URL served to this file once listening")
	statsFile := flag.String("stats-file", "", "write request counters as JSON to this file on exit")
	count := flag.Int("events", 300, "how many events to generate")
	seed := flag.Uint64("seed", 1, "generator seed")
	project := flag.String("project-id", "0123456789abcdef0123456789abcdef", "project ID of the generated events")
	region := flag.String("region", "ap-southeast-1", "IAM lists the project as this region's main project")
	newest := flag.Duration("newest", 10*time.Minute, "the newest generated event is this long ago")
	span := flag.Duration("span", 72*time.Hour, "the generated events spread over this long before the newest")
	file := flag.String("file", "", "serve the events in this JSON file instead of generating them: a JSON array of events, or the API's answer {\"total_num\": N, \"data_list\": [...]}, each event with the API's fields (event_id, action, handle_status, create_time in epoch milliseconds, resource_info, ...)")
	token := flag.String("token", "", "accept this X-Auth-Token, scoped to the -project-id project")
	ak := flag.String("access-key", "", "accept this access key")
	sk := flag.String("secret-key", "", "with -access-key: its secret key")
	latency := flag.Duration("latency", 0, "delay before each answer")
	flag.Parse()

	events := hssfake.Generate(hssfake.GenerateOptions{
		Count: *count, Seed: *seed, ProjectID: *project,
		NewestMillis: time.Now().Add(-*newest).UnixMilli(), Span: *span,
	})
	if *file != "" {
		var err error
		if events, err = hssfake.LoadEvents(*file); err != nil {
			log.Fatal(err)
		}
	}
	cfg := hssfake.Config{
		Keys:     map[string]hssfake.Credential{},
		Projects: []hssfake.Project{{ID: *project, Name: *region, DomainID: "d0000000000000000000000000000001", Enabled: true}},
	}
	if *token != "" {
		cfg.Projects[0].Tokens = []string{*token}
	}
	if *ak != "" {
		cfg.Keys[*ak] = hssfake.Credential{SecretKey: *sk}
	}
	fake := hssfake.New(cfg, events)
	fake.SetFaults(hssfake.Faults{Latency: *latency})

	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(url), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "hssfake: %d events of project %s (region %s) on %s\n", len(events), *project, *region, url)
	fmt.Fprintf(os.Stderr, "hssfake: for the provider, export:\n  export HW_REGION_NAME=%s HW_HSS_ENDPOINT=%s HW_IAM_ENDPOINT=%s\n", *region, url, url)
	switch {
	case *ak != "":
		fmt.Fprintf(os.Stderr, "  export HW_ACCESS_KEY=%s HW_SECRET_KEY=<the -secret-key given>\n", *ak)
	case *token != "":
		fmt.Fprintf(os.Stderr, "  export HW_AUTH_TOKEN=<the -token given>\n")
	default:
		fmt.Fprintf(os.Stderr, "hssfake: no -token nor -access-key: every request will be refused\n")
	}
	fmt.Fprintf(os.Stderr, "  (the project, %s, is found through IAM; or export HW_PROJECT_ID=%s)\n", *project, *project)

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
	if *statsFile != "" {
		if err := hssfake.WriteStats(*statsFile, fake.Stats()); err != nil {
			log.Fatal(err)
		}
	}
}
