package provider

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// The plugin protocol carries state as MessagePack. For data_list the
// provider writes it straight from the events: building 240,000 tftypes
// values for 10,000 events and encoding them through terraform-plugin-go
// costs more CPU and memory than reading every page (BenchmarkReadDataSource).
// The encodings are the ones terraform-plugin-go picks; TestMsgPackWriter_lengths
// checks every length and integer boundary against it, and
// TestServer_matchesFramework checks whole states against the framework's.

// mpWriter appends MessagePack in the encodings terraform-plugin-go's
// encoder (vmihailenco/msgpack) picks: the shortest header for each length
// and the shortest integer for each number.
type mpWriter struct{ buf []byte }

func (w *mpWriter) null() { w.buf = append(w.buf, 0xc0) }

func (w *mpWriter) header(n int, fix byte, code16, code32 byte) {
	switch {
	case n < 16:
		w.buf = append(w.buf, fix|byte(n))
	case n <= math.MaxUint16:
		w.buf = binary.BigEndian.AppendUint16(append(w.buf, code16), uint16(n))
	default:
		w.buf = binary.BigEndian.AppendUint32(append(w.buf, code32), uint32(n))
	}
}

func (w *mpWriter) mapLen(n int)   { w.header(n, 0x80, 0xde, 0xdf) }
func (w *mpWriter) arrayLen(n int) { w.header(n, 0x90, 0xdc, 0xdd) }

func (w *mpWriter) str(s string) {
	switch n := len(s); {
	case n < 32:
		w.buf = append(w.buf, 0xa0|byte(n))
	case n < 256:
		w.buf = append(w.buf, 0xd9, byte(n))
	case n <= math.MaxUint16:
		w.buf = binary.BigEndian.AppendUint16(append(w.buf, 0xda), uint16(n))
	default:
		w.buf = binary.BigEndian.AppendUint32(append(w.buf, 0xdb), uint32(n))
	}
	w.buf = append(w.buf, s...)
}

func (w *mpWriter) int(n int64) {
	switch {
	case n >= 0 && n <= math.MaxInt8:
		w.buf = append(w.buf, byte(n))
	case n >= 0 && n <= math.MaxUint8:
		w.buf = append(w.buf, 0xcc, byte(n))
	case n >= 0 && n <= math.MaxUint16:
		w.buf = binary.BigEndian.AppendUint16(append(w.buf, 0xcd), uint16(n))
	case n >= 0 && n <= math.MaxUint32:
		w.buf = binary.BigEndian.AppendUint32(append(w.buf, 0xce), uint32(n))
	case n >= 0:
		w.buf = binary.BigEndian.AppendUint64(append(w.buf, 0xcf), uint64(n))
	case n >= -32:
		w.buf = append(w.buf, byte(n))
	case n >= math.MinInt8:
		w.buf = append(w.buf, 0xd0, byte(n))
	case n >= math.MinInt16:
		w.buf = binary.BigEndian.AppendUint16(append(w.buf, 0xd1), uint16(n))
	case n >= math.MinInt32:
		w.buf = binary.BigEndian.AppendUint32(append(w.buf, 0xd2), uint32(n))
	default:
		w.buf = binary.BigEndian.AppendUint64(append(w.buf, 0xd3), uint64(n))
	}
}

func (w *mpWriter) optStr(p *string) {
	if p == nil {
		w.null()
		return
	}
	w.str(*p)
}

func (w *mpWriter) optInt(p *int64) {
	if p == nil {
		w.null()
		return
	}
	w.int(*p)
}

// events writes data_list. An object is a map of every attribute, in
// sorted order of the attribute names, as terraform-plugin-go writes it;
// eventTfType's attribute set is checked against these names by the tests.
func (w *mpWriter) events(events []hss.ClusterEvent) {
	w.arrayLen(len(events))
	for i := range events {
		e := &events[i]
		w.mapLen(16)
		w.str("action")
		w.optStr(e.Action)
		w.str("cluster_id")
		w.optStr(e.ClusterID)
		w.str("cluster_name")
		w.optStr(e.ClusterName)
		w.str("create_time")
		w.optInt(e.CreateTime)
		w.str("enterprise_project_id")
		w.optStr(e.EnterpriseProjectID)
		w.str("event_class_id")
		w.optStr(e.EventClassID)
		w.str("event_content")
		w.optStr(e.EventContent)
		w.str("event_id")
		w.optStr(e.EventID)
		w.str("event_name")
		w.optStr(e.EventName)
		w.str("event_type")
		w.optInt(e.EventType)
		w.str("handle_status")
		w.optStr(e.HandleStatus)
		w.str("policy_id")
		w.optStr(e.PolicyID)
		w.str("policy_name")
		w.optStr(e.PolicyName)
		w.str("project_id")
		w.optStr(e.ProjectID)
		w.str("resource_info")
		w.resourceInfo(e.ResourceInfo)
		w.str("update_time")
		w.optInt(e.UpdateTime)
	}
}

func (w *mpWriter) resourceInfo(r *hss.ResourceInfo) {
	if r == nil {
		w.null()
		return
	}
	w.mapLen(8)
	w.str("enforcement_action")
	w.optStr(r.EnforcementAction)
	w.str("group")
	w.optStr(r.Group)
	w.str("kind")
	w.optStr(r.Kind)
	w.str("message")
	w.optStr(r.Message)
	w.str("name")
	w.optStr(r.Name)
	w.str("namespace")
	w.optStr(r.Namespace)
	w.str("resource_name")
	w.optStr(r.ResourceName)
	w.str("version")
	w.optStr(r.Version)
}

// stateMsgPack is the state after a read as the plugin protocol carries it:
// the value of r.stateValue(typ), in the bytes tfprotov6.NewDynamicValue
// writes for it (up to the order of a map's entries, which terraform-plugin-go
// writes in Go's map order).
// data_list is written from the events; the other attributes are small and
// go through terraform-plugin-go.
func (r *eventsRead) stateMsgPack(typ tftypes.Object) ([]byte, error) {
	attrs := r.attributes()
	names := make([]string, 0, len(typ.AttributeTypes))
	for name := range typ.AttributeTypes {
		names = append(names, name)
	}
	sort.Strings(names)

	// Events take about 780 bytes each: one allocation in the usual case.
	w := mpWriter{buf: make([]byte, 0, 4096+800*len(r.events))}
	w.mapLen(len(names))
	for _, name := range names {
		w.str(name)
		if name == "data_list" {
			w.events(r.events)
			continue
		}
		v, ok := attrs[name]
		if !ok {
			return nil, fmt.Errorf("no value for attribute %q", name)
		}
		dv, err := tfprotov6.NewDynamicValue(typ.AttributeTypes[name], v)
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", name, err)
		}
		w.buf = append(w.buf, dv.MsgPack...)
	}
	return w.buf, nil
}
