package provider

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A list data source's items are a table of fields (eventFields): the
// table gives the schema's list attribute (listAttribute), its description
// of each field, and the state (listValue), so a second list data source
// gives only its own table.

// field is one computed attribute of an object of the state whose value
// is read from a T: its name, description and type, and its value in the
// type the schema gives it.
type field[T any] struct {
	name string
	desc string
	typ  attr.Type
	// fields lists an object's own fields in Markdown; nil for other types.
	fields func(indent string) string
	value  func(tftypes.Type, *T) tftypes.Value
}

func stringField[T any](name, desc string, get func(*T) *string) field[T] {
	return field[T]{name: name, desc: desc, typ: types.StringType, value: func(typ tftypes.Type, v *T) tftypes.Value {
		if p := get(v); p != nil {
			return tftypes.NewValue(typ, *p)
		}
		return tftypes.NewValue(typ, nil)
	}}
}

func int64Field[T any](name, desc string, get func(*T) *int64) field[T] {
	return field[T]{name: name, desc: desc, typ: types.Int64Type, value: func(typ tftypes.Type, v *T) tftypes.Value {
		if p := get(v); p != nil {
			return tftypes.NewValue(typ, new(big.Float).SetInt64(*p))
		}
		return tftypes.NewValue(typ, nil)
	}}
}

// objectField is a nested object, null where get returns nil.
func objectField[T, U any](name, desc string, get func(*T) *U, fields []field[U]) field[T] {
	return field[T]{
		name: name, desc: desc, typ: objectType(fields),
		fields: func(indent string) string { return fieldsMarkdown(fields, indent) },
		value: func(typ tftypes.Type, v *T) tftypes.Value {
			return objectValue(typ.(tftypes.Object), fields, get(v))
		},
	}
}

// listAttribute is a computed list of objects of fields. It is a list
// attribute of an object type, not a list nested attribute: terraform test
// cannot override a list nested attribute (hashicorp/terraform#38369), so
// a gate over the list could not be tested with planted items. An object
// type carries no descriptions, so the fields' are listed in the list's.
func listAttribute[T any](desc string, fields []field[T]) schema.ListAttribute {
	return schema.ListAttribute{
		Computed:    true,
		ElementType: objectType(fields),
		MarkdownDescription: desc + " Each element is an object of these attributes:\n\n" + fieldsMarkdown(fields, "  ") +
			"\n  A list of objects rather than of nested attributes, so that `override_data` and `mock_data` in `terraform test` can set it; its nested schema repeats the attributes' names and types.",
	}
}

// objectType is the type of an object of fields.
func objectType[T any](fields []field[T]) types.ObjectType {
	attrTypes := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		attrTypes[f.name] = f.typ
	}
	return types.ObjectType{AttrTypes: attrTypes}
}

// fieldsMarkdown is a Markdown list of fields, by name as the generated
// docs order attributes, each line as the docs write one: name, (type),
// description; an object's fields are listed under it.
func fieldsMarkdown[T any](fields []field[T], indent string) string {
	sorted := slices.SortedFunc(slices.Values(fields), func(a, b field[T]) int { return strings.Compare(a.name, b.name) })
	var b strings.Builder
	for _, f := range sorted {
		fmt.Fprintf(&b, "%s- `%s` (%s) %s\n", indent, f.name, typeName(f.typ), f.desc)
		if f.fields != nil {
			b.WriteString(f.fields(indent + "  "))
		}
	}
	return b.String()
}

// typeName is a field's type as the generated docs name it.
func typeName(t attr.Type) string {
	switch t.(type) {
	case basetypes.StringType:
		return "String"
	case basetypes.Int64Type:
		return "Number"
	case basetypes.ObjectType:
		return "Object"
	}
	panic(fmt.Sprintf("no docs name for the type %T of a field", t))
}

// listValue is items as a list of objects of fields, of typ as the schema
// gives it.
func listValue[T any](typ tftypes.List, fields []field[T], items []T) tftypes.Value {
	elemType := typ.ElementType.(tftypes.Object)
	elems := make([]tftypes.Value, len(items))
	for i := range items {
		elems[i] = objectValue(elemType, fields, &items[i])
	}
	return tftypes.NewValue(typ, elems)
}

// objectValue is v as an object of fields, of typ as the schema gives it;
// null when v is nil.
func objectValue[T any](typ tftypes.Object, fields []field[T], v *T) tftypes.Value {
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	out := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		out[f.name] = f.value(typ.AttributeTypes[f.name], v)
	}
	return tftypes.NewValue(typ, out)
}
