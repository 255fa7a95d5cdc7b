package provider

import (
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// Every computed attribute is declared once: its name, its description, its type and how its value
// is taken from a dtsapi result. The schema and the state are both derived from that declaration,
// so they cannot disagree, and a response field reaches state through one line of code.
//
// To add a field of a response:
//   - internal/dtsapi: the field, with its wire name, in the response type (String, Int, Bool,
//     Object[T] or List[T]: they decode loose wire values and tell a missing value from a zero one);
//   - here: one declaration, such as stringAttr("job_name", "Name of the job.", func(j *dtsJob)
//     dtsapi.String { return j.DtsJobName }), in the object that shows it: in the data source's file
//     when only that data source shows it, or in shapes.go, current_job.go or legacy_job.go when
//     several do (declare it once there and name it where it is shown);
//   - then make generate, which documents it from the description.
//
// To add a data source: one file data_source_<name>.go, a leaf that uses no other data source's
// names (TestDataSourcesAreLeaves checks it), reading top to bottom: the type, Metadata and Schema
// (what it is), its declarations, its arguments model (a struct of types.* fields with tfsdk tags,
// read with readArguments), and Read (startRead, one dtsapi call or waitOrRead, then record).
// Register its constructor in provider.go's DataSources, and add its arguments model to
// TestArgumentsModelsAreTheSchemasArguments, templates/data-sources/<name>.md.tmpl and
// examples/data-sources/dts_<name>/data-source.tf; make generate writes its page.
//
// The state is built as tftypes values directly rather than by State.Set: the framework's reflection
// compiles a regular expression for every struct field it visits (terraform-plugin-framework issue
// 725), which made mapping one response cost more than a millisecond (see BENCHMARKS.md).

// attribute declares one computed attribute of an object read from a value of type S.
type attribute[S any] struct {
	name   string
	schema schema.Attribute
	typ    tftypes.Type
	// value reads the attribute from s, reporting a value it could not use as a warning at at.
	value func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value
}

// object is a set of attributes read from a value of type S: a data source's computed attributes,
// or a nested object's.
type object[S any] struct {
	attrs []attribute[S]
	typ   tftypes.Object
}

// members are what an object is built from: an attribute, a group of attributes declared together,
// or another object, whose attributes it takes over.
type members[S any] interface {
	attributes() []attribute[S]
}

// group is attributes declared together, such as a checkpoint and its rendering.
type group[S any] []attribute[S]

func (a attribute[S]) attributes() []attribute[S] { return []attribute[S]{a} }

func (g group[S]) attributes() []attribute[S] { return g }

func (o object[S]) attributes() []attribute[S] { return o.attrs }

// newObject is the object of the given members' attributes, in order. An attribute declared twice
// is a bug, found when the package is loaded.
func newObject[S any](ms ...members[S]) object[S] {
	var attrs []attribute[S]
	for _, m := range ms {
		attrs = append(attrs, m.attributes()...)
	}
	types := make(map[string]tftypes.Type, len(attrs))
	for _, a := range attrs {
		if _, dup := types[a.name]; dup {
			panic("attribute " + a.name + " is declared twice")
		}
		types[a.name] = a.typ
	}
	return object[S]{attrs: attrs, typ: tftypes.Object{AttributeTypes: types}}
}

// through declares the attributes of T as attributes of S, read from the T that get finds in s; the
// T missing, they are null. It lifts a job's attributes into the answer that holds the job.
func through[S, T any](get func(*S) *T, ms ...members[T]) group[S] {
	var out group[S]
	for _, m := range ms {
		for _, a := range m.attributes() {
			out = append(out, attribute[S]{name: a.name, schema: a.schema, typ: a.typ,
				value: func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
					t := get(s)
					if t == nil {
						return tftypes.NewValue(a.typ, nil)
					}
					return a.value(t, at, diags)
				}})
		}
	}
	return out
}

// schemaAttributes returns the attributes' schema.
func (o object[S]) schemaAttributes() map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(o.attrs))
	for _, a := range o.attrs {
		out[a.name] = a.schema
	}
	return out
}

// values reads every attribute from s.
func (o object[S]) values(s *S, at *location, diags *diag.Diagnostics) map[string]tftypes.Value {
	out := make(map[string]tftypes.Value, len(o.attrs))
	for _, a := range o.attrs {
		out[a.name] = a.value(s, at, diags)
	}
	return out
}

// value is the object read from s, or null when s is nil.
func (o object[S]) value(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(o.typ, nil)
	}
	return tftypes.NewValue(o.typ, o.values(s, at, diags))
}

// location is where an attribute sits in state. It is turned into a path.Path only for a warning:
// building every path up front would cost more than the read itself.
type location struct {
	parent *location
	name   string
	index  int // the element of the list parent names, or -1
}

func (l *location) attr(name string) *location { return &location{parent: l, name: name, index: -1} }

func (l *location) element(i int) *location { return &location{parent: l, index: i} }

func (l *location) path() path.Path {
	if l == nil || (l.parent == nil && l.name == "") {
		return path.Empty()
	}
	if l.parent == nil || (l.parent.parent == nil && l.parent.name == "") {
		return path.Root(l.name)
	}
	if l.index >= 0 {
		return l.parent.path().AtListIndex(l.index)
	}
	return l.parent.path().AtName(l.name)
}

// unparsable warns that the API sent raw where at wanted a value of kind want.
func unparsable(diags *diag.Diagnostics, at *location, raw, want string) {
	p := at.path()
	diags.AddAttributeWarning(p, "Unparsable value in the DTS response",
		fmt.Sprintf("The API returned %s for %s, which is not a valid %s, so it is null in this read. The rest of "+
			"the response was read as usual. If this persists, please report it with the request ID.", raw, p, want))
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, Description: desc}
}

// leaf declares an attribute of one of dtsapi's leaf types L: parts gives the leaf's value, whether
// it is set, and the excerpt of a value it could not use, which becomes a warning naming want.
func leaf[S, L any](name string, sch schema.Attribute, typ tftypes.Type, want string, get func(*S) L,
	parts func(L) (v any, set bool, bad string)) attribute[S] {
	return attribute[S]{name: name, schema: sch, typ: typ,
		value: func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
			v, set, bad := parts(get(s))
			if bad != "" {
				unparsable(diags, at.attr(name), bad, want)
			}
			if !set {
				return tftypes.NewValue(typ, nil)
			}
			return tftypes.NewValue(typ, v)
		}}
}

// stringAttr declares a string attribute; a missing or empty value is null.
func stringAttr[S any](name, desc string, get func(*S) dtsapi.String) attribute[S] {
	return leaf(name, computedString(desc), tftypes.String, "string", get,
		func(v dtsapi.String) (any, bool, string) { return v.Val, v.Set, v.Bad })
}

// int64Attr declares a number attribute holding an integer.
func int64Attr[S any](name, desc string, get func(*S) dtsapi.Int) attribute[S] {
	return leaf(name, schema.Int64Attribute{Computed: true, Description: desc}, tftypes.Number, "integer", get,
		func(v dtsapi.Int) (any, bool, string) { return v.Val, v.Set, v.Bad })
}

// boolAttr declares a boolean attribute.
func boolAttr[S any](name, desc string, get func(*S) dtsapi.Bool) attribute[S] {
	return leaf(name, schema.BoolAttribute{Computed: true, Description: desc}, tftypes.Bool, "boolean", get,
		func(v dtsapi.Bool) (any, bool, string) { return v.Val, v.Set, v.Bad })
}

// derivedString declares a string attribute computed from the result; ok false makes it null.
func derivedString[S any](name, desc string, get func(*S) (v string, ok bool)) attribute[S] {
	return attribute[S]{name: name, schema: computedString(desc), typ: tftypes.String,
		value: func(s *S, _ *location, _ *diag.Diagnostics) tftypes.Value {
			if v, ok := get(s); ok {
				return tftypes.NewValue(tftypes.String, v)
			}
			return tftypes.NewValue(tftypes.String, nil)
		}}
}

// unixTimeAttr declares an RFC 3339 UTC rendering of a Unix time in seconds. The integer attribute
// it renders reports an unparsable value, so this one stays quiet.
func unixTimeAttr[S any](name, desc string, get func(*S) dtsapi.Int) attribute[S] {
	return derivedString(name, desc, func(s *S) (string, bool) {
		v := get(s)
		return time.Unix(v.Val, 0).UTC().Format(time.RFC3339), v.Set
	})
}

// objectAttr declares a single nested attribute read from a nested object; null when it is missing.
func objectAttr[S, T any](name, desc string, get func(*S) dtsapi.Object[T], shape object[T]) attribute[S] {
	return attribute[S]{
		name:   name,
		schema: schema.SingleNestedAttribute{Computed: true, Description: desc, Attributes: shape.schemaAttributes()},
		typ:    shape.typ,
		value: func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
			o := get(s)
			here := at.attr(name)
			if o.Bad != "" {
				unparsable(diags, here, o.Bad, "object")
			}
			return shape.value(o.Get(), here, diags)
		},
	}
}

// listAttr declares a list nested attribute; null when the list is missing, empty when it is empty.
// Elements that were not objects are left out with a warning, so the indexes of state are the
// indexes of the warnings.
func listAttr[S any, T dtsapi.ListElement](name, desc string, get func(*S) dtsapi.List[T], shape object[T]) attribute[S] {
	return nestedList(name, desc, shape, func(s *S, here *location, diags *diag.Diagnostics) ([]T, bool) {
		l := get(s)
		listWarnings(diags, here, l.Bad, l.Skipped)
		return l.Items, l.Present
	})
}

// objectsAttr declares a list nested attribute of objects the provider gathered itself, such as the
// jobs of a listing: never null, an empty list when there are none.
func objectsAttr[S, T any](name, desc string, get func(*S) []T, shape object[T]) attribute[S] {
	return nestedList(name, desc, shape, func(s *S, _ *location, _ *diag.Diagnostics) ([]T, bool) {
		return get(s), true
	})
}

// nestedList declares a list nested attribute whose elements items gives; null when present is false.
func nestedList[S, T any](name, desc string, shape object[T], items func(s *S, here *location, diags *diag.Diagnostics) (elems []T, present bool)) attribute[S] {
	typ := tftypes.List{ElementType: shape.typ}
	return attribute[S]{
		name: name,
		schema: schema.ListNestedAttribute{Computed: true, Description: desc,
			NestedObject: schema.NestedAttributeObject{Attributes: shape.schemaAttributes()}},
		typ: typ,
		value: func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
			here := at.attr(name)
			list, present := items(s, here, diags)
			if !present {
				return tftypes.NewValue(typ, nil)
			}
			elems := make([]tftypes.Value, len(list))
			for i := range list {
				elems[i] = shape.value(&list[i], here.element(i), diags)
			}
			return tftypes.NewValue(typ, elems)
		},
	}
}

// stringsAttr declares a list of strings, one read from each element the provider gathered, such as
// the IDs of a listing's jobs: never null, an empty list when there are none.
func stringsAttr[S, T any](name, desc string, get func(*S) []T, each func(*T) dtsapi.String) attribute[S] {
	typ := tftypes.List{ElementType: tftypes.String}
	return attribute[S]{
		name:   name,
		schema: schema.ListAttribute{Computed: true, Description: desc, ElementType: types.StringType},
		typ:    typ,
		value: func(s *S, _ *location, _ *diag.Diagnostics) tftypes.Value {
			items := get(s)
			elems := make([]tftypes.Value, len(items))
			for i := range items {
				elems[i] = tftypes.NewValue(tftypes.String, each(&items[i]).Ptr())
			}
			return tftypes.NewValue(typ, elems)
		},
	}
}

// mapAttr declares a map of strings built from a list of key-value objects, such as tags; null when
// the list is missing. Elements without a key are left out.
func mapAttr[S any, T dtsapi.ListElement](name, desc string, get func(*S) dtsapi.List[T], kv func(*T) (k, v dtsapi.String)) attribute[S] {
	typ := tftypes.Map{ElementType: tftypes.String}
	return attribute[S]{
		name:   name,
		schema: schema.MapAttribute{Computed: true, Description: desc, ElementType: types.StringType},
		typ:    typ,
		value: func(s *S, at *location, diags *diag.Diagnostics) tftypes.Value {
			l := get(s)
			listWarnings(diags, at.attr(name), l.Bad, l.Skipped)
			if !l.Present {
				return tftypes.NewValue(typ, nil)
			}
			m := make(map[string]tftypes.Value, len(l.Items))
			for i := range l.Items {
				if k, v := kv(&l.Items[i]); k.Set {
					m[k.Val] = tftypes.NewValue(tftypes.String, v.Val)
				}
			}
			return tftypes.NewValue(typ, m)
		},
	}
}

func listWarnings(diags *diag.Diagnostics, at *location, bad string, skipped []string) {
	if bad != "" {
		unparsable(diags, at, bad, "list")
	}
	for _, raw := range skipped {
		diags.AddAttributeWarning(at.path(), "Unparsable value in the DTS response",
			fmt.Sprintf("The API returned %s as an element of %s, which is not an object, so the list leaves it out. "+
				"If this persists, please report it with the request ID.", raw, at.path()))
	}
}

// stateWith returns the data source's state: the configuration's values (the arguments and blocks),
// with the given attributes set. A value that does not fit the schema is a bug, returned as an error.
func stateWith(config tftypes.Value, set map[string]tftypes.Value) (tftypes.Value, error) {
	var configured map[string]tftypes.Value
	if err := config.As(&configured); err != nil {
		return tftypes.Value{}, err
	}
	// As hands out the configuration's own map: writing to it would change the request's
	// configuration, which the framework compares with the state after Read.
	attrs := maps.Clone(configured)
	for name, v := range set {
		if _, ok := attrs[name]; !ok {
			return tftypes.Value{}, fmt.Errorf("the schema has no attribute %q", name)
		}
		attrs[name] = v
	}
	if err := tftypes.ValidateValue(config.Type(), attrs); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(config.Type(), attrs), nil
}
