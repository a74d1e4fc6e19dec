package hssfake

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Event is one ClusterEventResponseInfo as the fake serves it. Nil fields are
// left out of the JSON, so tests can serve events with absent fields.
type Event struct {
	Action              *string   `json:"action,omitempty"`
	ClusterName         *string   `json:"cluster_name,omitempty"`
	ClusterID           *string   `json:"cluster_id,omitempty"`
	EventName           *string   `json:"event_name,omitempty"`
	EventClassID        *string   `json:"event_class_id,omitempty"`
	EventID             *string   `json:"event_id,omitempty"`
	EventType           *int64    `json:"event_type,omitempty"`
	EventContent        *string   `json:"event_content,omitempty"`
	HandleStatus        *string   `json:"handle_status,omitempty"`
	CreateTime          *int64    `json:"create_time,omitempty"`
	UpdateTime          *int64    `json:"update_time,omitempty"`
	ProjectID           *string   `json:"project_id,omitempty"`
	EnterpriseProjectID *string   `json:"enterprise_project_id,omitempty"`
	PolicyName          *string   `json:"policy_name,omitempty"`
	PolicyID            *string   `json:"policy_id,omitempty"`
	ResourceInfo        *Resource `json:"resource_info,omitempty"`
}

// Resource is ClusterEventResourceResponseInfo. EnforcementActionCamel is the
// spelling event_content uses, for serving events that carry it instead.
type Resource struct {
	EnforcementAction      *string `json:"enforcement_action,omitempty"`
	EnforcementActionCamel *string `json:"enforcementAction,omitempty"`
	Group                  *string `json:"group,omitempty"`
	Message                *string `json:"message,omitempty"`
	Name                   *string `json:"name,omitempty"`
	Namespace              *string `json:"namespace,omitempty"`
	Version                *string `json:"version,omitempty"`
	Kind                   *string `json:"kind,omitempty"`
	ResourceName           *string `json:"resource_name,omitempty"`
}

// Ptr returns a pointer to v, for building events.
func Ptr[T any](v T) *T { return &v }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// LoadEvents reads the events of a file as Load does.
func LoadEvents(path string) ([]Event, error) {
	d, err := Load(path)
	return d.Events, err
}

// SampleEnterpriseProjectID is an enterprise project ID as Huawei Cloud
// writes them, a hyphenated UUID, for tests and demos that spread events
// over an enterprise project besides the default "0".
const SampleEnterpriseProjectID = "5d7fc3d4-2a6e-4b8f-9c1d-3e0a7b6f8c21"

// GenerateOptions shape the generated events.
type GenerateOptions struct {
	Count     int
	Seed      uint64
	ProjectID string
	// EnterpriseProjectIDs to spread events over; {"0"} when empty.
	EnterpriseProjectIDs []string
	// Clusters is how many clusters; 3 when zero.
	Clusters int
	// NewestMillis is the create_time of the newest event; the others are
	// older, spaced a few seconds apart, or spread over Span when it is set.
	NewestMillis int64
	Span         time.Duration
}

var (
	kinds      = []string{"Pod", "Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Service", "ConfigMap"}
	namespaces = []string{"default", "kube-system", "payments", "web", "monitoring", "batch"}
	policies   = []struct{ name, class, msg string }{
		{"deny-privileged", "clusterprotect_1001", "privileged container is not allowed"},
		{"deny-host-network", "clusterprotect_1002", "hostNetwork is not allowed"},
		{"warn-latest-tag", "clusterprotect_1003", "image tag latest is discouraged"},
		{"deny-vuln-image", "clusterprotect_1004", "image with critical vulnerabilities can not start"},
		{"warn-no-limits", "clusterprotect_1005", "container has no resource limits"},
	}
)

// Generate makes count realistic events, newest first, reproducibly for a seed.
func Generate(o GenerateOptions) []Event {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	eps := o.EnterpriseProjectIDs
	if len(eps) == 0 {
		eps = []string{"0"}
	}
	clusters := o.Clusters
	if clusters <= 0 {
		clusters = 3
	}
	newest := o.NewestMillis
	if newest == 0 {
		newest = 1_767_225_600_000 // 2026-01-01T00:00:00Z
	}
	project := o.ProjectID
	if project == "" {
		project = "0123456789abcdef0123456789abcdef"
	}
	events := make([]Event, o.Count)
	created := newest
	for i := range events {
		c := rng.IntN(clusters)
		p := policies[rng.IntN(len(policies))]
		action := "warn"
		if p.name[:4] == "deny" {
			action = "deny"
		}
		kind := kinds[rng.IntN(len(kinds))]
		ns := namespaces[rng.IntN(len(namespaces))]
		name := fmt.Sprintf("%s-%04x", kind[:3], rng.IntN(0x10000))
		status := "unhandled"
		if rng.IntN(3) == 0 {
			status = "handled"
		}
		content, _ := json.Marshal(map[string]string{
			"enforcementAction": action, "group": "", "kind": kind, "message": p.msg,
			"name": name, "namespace": ns, "version": "v1",
		})
		clusterID := fmt.Sprintf("c%07d-415e-11ee-834b-0255ac1001b2", c)
		events[i] = Event{
			Action:              Ptr(action),
			ClusterName:         Ptr(fmt.Sprintf("cluster-%d", c)),
			ClusterID:           Ptr(clusterID),
			EventName:           Ptr("Policy violation: " + p.name),
			EventClassID:        Ptr(p.class),
			EventID:             Ptr(fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(0x10000), rng.IntN(0x1000), rng.IntN(0x1000), rng.Uint64()&0xffffffffffff)),
			EventType:           Ptr(int64(3000 + rng.IntN(20))),
			EventContent:        Ptr(string(content)),
			HandleStatus:        Ptr(status),
			CreateTime:          Ptr(created),
			UpdateTime:          Ptr(created + int64(rng.IntN(60_000))),
			ProjectID:           Ptr(project),
			EnterpriseProjectID: Ptr(eps[rng.IntN(len(eps))]),
			PolicyName:          Ptr(p.name),
			PolicyID:            Ptr(fmt.Sprintf("policy-%s", p.class)),
			ResourceInfo: &Resource{
				EnforcementAction: Ptr(action),
				Group:             Ptr(""),
				Message:           Ptr(p.msg),
				Name:              Ptr(name),
				Namespace:         Ptr(ns),
				Version:           Ptr("v1"),
				Kind:              Ptr(kind),
				ResourceName:      Ptr(ns + "/" + name),
			},
		}
		if step := o.Span.Milliseconds() / int64(max(o.Count, 1)); step > 0 {
			created -= step/2 + rng.Int64N(step)
		} else {
			created -= int64(1000 + rng.IntN(5000))
		}
	}
	return events
}

// eventsBody is the answer of the events route.
type eventsBody struct {
	TotalNum       int64   `json:"total_num"`
	LastUpdateTime int64   `json:"last_update_time"`
	DataList       []Event `json:"data_list"`
}

// eventsList is the events route: its cluster_id filter, and the page of
// project's events, newest first, once the events that Faults add on
// arrival are in. s.mu is held.
func (s *Server) eventsList() listRoute {
	return listRoute{params: []string{"cluster_id"}, page: func(project string, q listQuery) any {
		s.arrive(project, q.eps, q.cluster)
		var body eventsBody
		body.DataList, body.TotalNum = pageOf(s.events, q, s.reach(), func(e Event) bool {
			if !q.inScope(project, e.ProjectID, enterpriseProjectOf(e)) || q.cluster != "" && str(e.ClusterID) != q.cluster {
				return false
			}
			body.LastUpdateTime = max(body.LastUpdateTime, num(e.UpdateTime), num(e.CreateTime))
			return true
		})
		s.headAfterFirstPage(q.offset)
		return body
	}}
}

// Events returns the events served now, newest first.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}
