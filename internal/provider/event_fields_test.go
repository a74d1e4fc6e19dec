package provider

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/clusterprotect/terraform-provider-clusterprotect/internal/hss"
)

// A row of eventFields gives the schema and the state the same name, type
// and value by construction, so they cannot disagree. What the table cannot
// rule out is a row against the client's model: a getter that reads another
// field, a field of hss.ClusterEvent that no row shows, or two rows of one
// name. TestEventState_everyClientField rules those out.

// fillFields sets every field of v, a struct of pointers, to a value of
// its own, recursively, and records that value under the field's JSON key
// path ("resource_info.kind").
func fillFields(t *testing.T, v reflect.Value, prefix string, want map[string]string) {
	t.Helper()
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		key := prefix + name
		f := v.Field(i)
		f.Set(reflect.New(f.Type().Elem()))
		switch elem := f.Elem(); elem.Kind() {
		case reflect.String:
			elem.SetString("value of " + key)
			want[key] = elem.String()
		case reflect.Int64:
			elem.SetInt(int64(len(want)+1) << 40)
			want[key] = fmt.Sprint(elem.Int())
		case reflect.Struct:
			fillFields(t, elem, key+".", want)
		default:
			t.Fatalf("%s: no test value for a %s", key, elem.Kind())
		}
	}
}

// flattenState is the inverse of fillFields, for a state value; a null is
// recorded as "null".
func flattenState(t *testing.T, v tftypes.Value, prefix string, got map[string]string) {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	for name, a := range attrs {
		key := prefix + name
		switch {
		case a.IsNull():
			got[key] = "null"
		case a.Type().Is(tftypes.String):
			var s string
			if err := a.As(&s); err != nil {
				t.Fatal(err)
			}
			got[key] = s
		case a.Type().Is(tftypes.Number):
			var n big.Float
			if err := a.As(&n); err != nil {
				t.Fatal(err)
			}
			got[key] = n.Text('f', 0)
		default:
			flattenState(t, a, key+".", got)
		}
	}
}

func TestEventState_everyClientField(t *testing.T) {
	elemType := eventsSchemaType(t).AttributeTypes["data_list"].(tftypes.List).ElementType.(tftypes.Object)
	var e hss.ClusterEvent
	want := map[string]string{}
	fillFields(t, reflect.ValueOf(&e).Elem(), "", want)
	got := map[string]string{}
	flattenState(t, objectValue(elemType, eventFields, &e), "", got)
	if !maps.Equal(got, want) {
		t.Errorf("state of a full event:\n got %v\nwant %v", got, want)
	}
	for _, names := range [][]string{fieldNames(eventFields), fieldNames(resourceInfoFields)} {
		if unique := slices.Compact(slices.Sorted(slices.Values(names))); len(unique) != len(names) {
			t.Errorf("rows of one name among %v", names)
		}
	}
}

// An event without fields is all nulls, resource_info included.
func TestEventState_absentFieldsAreNull(t *testing.T) {
	elemType := eventsSchemaType(t).AttributeTypes["data_list"].(tftypes.List).ElementType.(tftypes.Object)
	got := map[string]string{}
	flattenState(t, objectValue(elemType, eventFields, &hss.ClusterEvent{}), "", got)
	for _, name := range fieldNames(eventFields) {
		if got[name] != "null" {
			t.Errorf("%s = %q, want null", name, got[name])
		}
	}
	if len(got) != len(eventFields) {
		t.Errorf("%d attributes, want %d: %v", len(got), len(eventFields), got)
	}
}

func fieldNames[T any](fields []field[T]) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}

// data_list is a list of objects, whose type holds no descriptions: its own
// description lists every attribute of an event and of its resource_info,
// in the table's words, so the docs keep one line per attribute.
func TestEventsSchema_dataListDescribesEveryField(t *testing.T) {
	var resp datasource.SchemaResponse
	NewEventsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	desc := resp.Schema.Attributes["data_list"].GetMarkdownDescription()
	lines := map[string]bool{}
	for _, f := range eventFields {
		lines["  - `"+f.name+"` ("+typeName(f.typ)+") "+f.desc] = true
	}
	for _, f := range resourceInfoFields {
		lines["    - `"+f.name+"` (String) "+f.desc] = true
	}
	for line := range strings.SplitSeq(desc, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "- ") && !lines[line] {
			t.Errorf("a line of no field: %q", line)
		}
		delete(lines, line)
	}
	for line := range lines {
		t.Errorf("no line %q in:\n%s", line, desc)
	}
}
