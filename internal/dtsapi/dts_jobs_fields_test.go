package dtsapi

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi/fieldsheet"
)

// The field sheet (testdata/DescribeDtsJobs-fields.md, a copy of the project's fact sheet) lists
// every leaf of a DtsJobList item and of its ReverseJob. These tests hold DtsJob to it: a leaf added
// to the sheet that DtsJob does not decode fails them.

// readFieldSheet returns the leaves of the sheet's sections 1 (the item) and 2 (its ReverseJob).
func readFieldSheet(t testing.TB) (item, reverse []fieldsheet.Leaf) {
	t.Helper()
	item, reverse, err := fieldsheet.Read("testdata/DescribeDtsJobs-fields.md")
	if err != nil {
		t.Fatal(err)
	}
	// At least, not exactly: fewer is a parse that skipped rows; more is a new leaf, which the test names.
	if len(item) < fieldsheet.JobLeaves || len(reverse) < fieldsheet.ReverseLeaves {
		t.Fatalf("the sheet parsed to %d item and %d ReverseJob leaves; its tables say at least %d and %d",
			len(item), len(reverse), fieldsheet.JobLeaves, fieldsheet.ReverseLeaves)
	}
	return item, reverse
}

// decodedAt follows a sheet path through a decoded value: struct fields by their JSON name (ignoring
// case, as encoding/json does, and through embedded structs), Object through Get, List to its first item.
func decodedAt(v reflect.Value, path string) (reflect.Value, error) {
	for _, p := range strings.Split(path, ".") {
		name, isList := strings.CutSuffix(p, "[]")
		f, ok := fieldByJSONName(v, name)
		if !ok {
			return reflect.Value{}, fmt.Errorf("%s: no field decodes %q", v.Type(), name)
		}
		v = f
		if isList {
			items := v.FieldByName("Items")
			if !items.IsValid() || items.Len() == 0 {
				return reflect.Value{}, fmt.Errorf("%s: list %q decoded empty", path, name)
			}
			v = items.Index(0)
		}
		if get := v.MethodByName("Get"); get.IsValid() {
			v = get.Call(nil)[0]
			if v.IsNil() {
				return reflect.Value{}, fmt.Errorf("%s: object %q decoded nil", path, name)
			}
			v = v.Elem()
		}
	}
	return v, nil
}

func fieldByJSONName(v reflect.Value, name string) (reflect.Value, bool) {
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if f, ok := fieldByJSONName(v.Field(i), name); ok {
				return f, true
			}
			continue
		}
		if tag, _, _ := strings.Cut(sf.Tag.Get("json"), ","); strings.EqualFold(tag, name) {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// leafValue reads a decoded leaf (String, JSONText, Int, Float, Bool) as text, as fmt.Sprint
// renders the value sent.
func leafValue(v reflect.Value) (string, error) {
	switch x := v.Interface().(type) {
	case String:
		return x.Val, setOrBad(x.Set, x.Bad)
	case JSONText:
		return x.Val, setOrBad(x.Set, x.Bad)
	case Int:
		return strconv.FormatInt(x.Val, 10), setOrBad(x.Set, x.Bad)
	case Float:
		return strconv.FormatFloat(x.Val, 'g', -1, 64), setOrBad(x.Set, x.Bad)
	case Bool:
		return strconv.FormatBool(x.Val), setOrBad(x.Set, x.Bad)
	}
	return "", fmt.Errorf("%s is not a leaf type", v.Type())
}

func setOrBad(set bool, bad string) error {
	if !set {
		return fmt.Errorf("not set (bad: %q)", bad)
	}
	return nil
}

// TestDtsJobDecodesEveryLeafOfTheSheet sends an item with every leaf of the sheet set to a value of
// its own, ReverseJob included, and finds each value in the decoded DtsJob at the leaf's path.
func TestDtsJobDecodesEveryLeafOfTheSheet(t *testing.T) {
	itemLeaves, reverseLeaves := readFieldSheet(t)
	item, err := fieldsheet.Item(itemLeaves, reverseLeaves)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{"Success": true, "DtsJobList": []any{item}})
	if err != nil {
		t.Fatal(err)
	}
	page := decodeAs[DtsJobs](t, string(body))
	if len(page.DtsJobList.Items) != 1 {
		t.Fatalf("decoded %d jobs", len(page.DtsJobList.Items))
	}
	job := &page.DtsJobList.Items[0]
	check := func(root reflect.Value, where string, leaves []fieldsheet.Leaf, first int) {
		for i, l := range leaves {
			v, err := decodedAt(root, l.Path)
			if err != nil {
				t.Errorf("%s%s: %v", where, l.Path, err)
				continue
			}
			got, err := leafValue(v)
			want := fmt.Sprint(l.WireValue(first + i))
			if err != nil || got != want {
				t.Errorf("%s%s decoded %v (%v), want %v", where, l.Path, got, err, want)
			}
		}
	}
	check(reflect.ValueOf(job).Elem(), "", itemLeaves, 0)
	if job.ReverseJob.Get() == nil {
		t.Fatal("ReverseJob decoded nil")
	}
	check(reflect.ValueOf(job.ReverseJob.Get()).Elem(), "ReverseJob.", reverseLeaves, fieldsheet.ReverseBase)
}

func TestDecodeNewDtsJobFields(t *testing.T) {
	page := decodeAs[DtsJobs](t, `{"DtsJobList": [{"DtsJobId": "j", "MaxDu": "8", "MinDu": 0.5, "DuUsage": "3",
		"Reserved": {"maxRetryTime": 43200}, "MigrationErrCode": "dts.retry.err.0046", "MigrationErrHelpDocId": 462133,
		"RetryState": {"Retrying": true, "JobId": "j", "ErrMsg": "as the sub-jobs spell it", "MigrationErrType": "ForeignKey"},
		"DataCloudStatus": {"Status": "Migrating", "NeedUpgrade": "true"}},
		{"DtsJobId": "k", "MigrationErrCode": "", "RetryState": {"ErrMessage": "m", "ErrMsg": "n"}}]}`)
	j, k := &page.DtsJobList.Items[0], &page.DtsJobList.Items[1]
	rs := j.RetryState.Get()
	switch {
	case j.MaxDu != FloatOf(8) || j.MinDu != FloatOf(0.5) || j.DuUsage != IntOf(3):
		t.Errorf("DU: %+v %+v %+v", j.MaxDu, j.MinDu, j.DuUsage)
	case j.Reserved.Val != `{"maxRetryTime":43200}`:
		t.Errorf("Reserved sent as an object = %+v, want its compact text", j.Reserved)
	case j.MigrationErrHelpDocID != StringOf("462133") || !j.Sent():
		t.Errorf("MigrationError = %+v, sent %v", j.MigrationError, j.Sent())
	case rs.JobID != StringOf("j") || rs.Message() != StringOf("as the sub-jobs spell it") || rs.MigrationErrType != StringOf("ForeignKey") || !rs.Sent():
		t.Errorf("RetryState = %+v", rs)
	case j.DataCloudStatus.Get().NeedUpgrade != BoolOf(true):
		t.Errorf("DataCloudStatus = %+v", j.DataCloudStatus.Get())
	case k.Sent():
		t.Errorf("an empty MigrationErrCode alone counts as an error sent: %+v", k.MigrationError)
	case k.RetryState.Get().Message() != StringOf("m"):
		t.Errorf("ErrMessage does not win over ErrMsg: %+v", k.RetryState.Get().Message())
	}
}

func TestDecodeFloat(t *testing.T) {
	for _, tt := range []struct {
		wire string
		want Float
	}{
		{`1.5`, FloatOf(1.5)},
		{`"2.25"`, FloatOf(2.25)},
		{`" 3 "`, FloatOf(3)},
		{`-0.5e1`, FloatOf(-5)},
		{`null`, Float{}},
		{`""`, Float{}},
		{`"NaN"`, Float{Bad: `"NaN"`}},
		{`"Inf"`, Float{Bad: `"Inf"`}},
		{`1e400`, Float{Bad: `1e400`}},
		{`"a lot"`, Float{Bad: `"a lot"`}},
		{`true`, Float{Bad: `true`}},
		{`{"v": 1}`, Float{Bad: `{"v": 1}`}},
	} {
		var got Float
		if err := json.Unmarshal([]byte(tt.wire), &got); err != nil {
			t.Fatalf("%s: %v", tt.wire, err)
		}
		if got != tt.want || (got.Set && (math.IsNaN(got.Val) || math.IsInf(got.Val, 0))) {
			t.Errorf("%s decoded %+v, want %+v", tt.wire, got, tt.want)
		}
	}
}
