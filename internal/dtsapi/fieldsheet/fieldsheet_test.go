package fieldsheet

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// tinySheet has the shape of the real sheet: prose, a section before 1, the two sections read, and a later one.
const tinySheet = "# A sheet\n\n| part | leaves |\n|---|---|\n| `DtsJobList[]` item | 2 |\n\n" +
	"## 1. `DtsJobList[]` item — 3 leaves\n\n" +
	"| # | path (relative) | Go type | JSON type | unit / values | meaning | in sheet |\n" +
	"|---|---|---|---|---|---|---|\n" +
	"| 1 | `AppName` | string | string | value `new` | Marks | yes |\n" +
	"| 2 | `Checkpoint` | string | string (n) | Unix time, s | Position | yes |\n" +
	"| 3 | `PrecheckStatus.Detail[].CheckItem` | string | string | | Item | yes |\n\n" +
	"## 2. `DtsJobList[].ReverseJob` — 1 leaf\n\n" +
	"| # | path (relative) | Go type | JSON type | unit / values | meaning | in sheet |\n" +
	"|---|---|---|---|---|---|---|\n" +
	"| 1 | `DataCloudStatus.NeedUpgrade` | bool | boolean | | Raise | ref |\n\n" +
	"## 3. `EtlDemoList[]`\n\n" +
	"| 1 | `Ignored` | string | string | | not read | no |\n"

func writeSheet(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fields.md")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRead(t *testing.T) {
	job, reverse, err := Read(writeSheet(t, tinySheet))
	if err != nil {
		t.Fatal(err)
	}
	wantJob := []Leaf{
		{"AppName", "string", "string"},
		{"Checkpoint", "string", "string (n)"},
		{"PrecheckStatus.Detail[].CheckItem", "string", "string"},
	}
	wantReverse := []Leaf{{"DataCloudStatus.NeedUpgrade", "bool", "boolean"}}
	if !reflect.DeepEqual(job, wantJob) || !reflect.DeepEqual(reverse, wantReverse) {
		t.Errorf("Read = %v, %v; want %v, %v", job, reverse, wantJob, wantReverse)
	}
}

func TestReadRejectsASheetWithoutBothSections(t *testing.T) {
	noReverse, _, _ := strings.Cut(tinySheet, "## 2.")
	for name, path := range map[string]string{
		"no file":       filepath.Join(t.TempDir(), "missing.md"),
		"no section 2.": writeSheet(t, noReverse),
	} {
		if job, reverse, err := Read(path); err == nil {
			t.Errorf("%s: Read = %v, %v, want an error", name, job, reverse)
		}
	}
}

func TestWireValue(t *testing.T) {
	for _, tt := range []struct {
		leaf Leaf
		i    int
		want any
	}{
		{Leaf{GoType: "bool"}, 2, true},
		{Leaf{GoType: "bool"}, 3, false},
		{Leaf{GoType: "int32"}, 7, 4007},
		{Leaf{GoType: "int64", JSONType: "number"}, 8, 4008},
		{Leaf{GoType: "float64"}, 9, 9.25},
		{Leaf{GoType: "string", JSONType: "string (n), percent"}, 10, "1010"},
		{Leaf{GoType: "string", JSONType: "string"}, 11, "v1011"},
	} {
		if got := tt.leaf.WireValue(tt.i); got != tt.want {
			t.Errorf("%+v.WireValue(%d) = %#v, want %#v", tt.leaf, tt.i, got, tt.want)
		}
	}
}

func TestPutNestedListPath(t *testing.T) {
	item := map[string]any{}
	for path, v := range map[string]any{"A[].B[].C": 1, "A[].B[].D": 2, "A[].E": 3, "F.G": 4} {
		if err := Put(item, path, v); err != nil {
			t.Fatalf("Put(%s): %v", path, err)
		}
	}
	want := map[string]any{
		"A": []any{map[string]any{"B": []any{map[string]any{"C": 1, "D": 2}}, "E": 3}},
		"F": map[string]any{"G": 4},
	}
	if !reflect.DeepEqual(item, want) {
		t.Errorf("Put built %#v, want %#v", item, want)
	}
}

func TestPutRejectsWhatIsNotAnObject(t *testing.T) {
	for _, tt := range []struct {
		item map[string]any
		path string
		says string
	}{
		{map[string]any{"L": []any{"s"}}, "L[].X", "L holds a list of string, not of objects"},
		{map[string]any{"L": []any{}}, "L[].X", "not a list of one object"},
		{map[string]any{"L": "s"}, "L[].X", "not a list of one object"},
		{map[string]any{"O": 1}, "O.X", "O holds int, not an object"},
		{map[string]any{"O": map[string]any{"X": 1}}, "O", "O holds map[string]interface {}, which a leaf's value would replace"},
		{map[string]any{}, "O..X", "an empty name"},
		{map[string]any{}, "O.L[]", "does not end in a leaf's name"},
	} {
		err := Put(tt.item, tt.path, 1)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("Put(%v, %s) = %v, want an error saying %q", tt.item, tt.path, err, tt.says)
		}
	}
}

func TestItemNumbersTheReverseJobFromReverseBase(t *testing.T) {
	job := []Leaf{{"Checkpoint", "string", "string (n)"}, {"Detail[].Port", "int32", "number"}}
	reverse := []Leaf{{"Checkpoint", "string", "string (n)"}, {"Delay", "int64", "number"}}
	item, err := Item(job, reverse)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"Checkpoint": "1000",
		"Detail":     []any{map[string]any{"Port": 4001}},
		"ReverseJob": map[string]any{"Checkpoint": "1500", "Delay": 4501},
	}
	if !reflect.DeepEqual(item, want) {
		t.Errorf("Item = %#v, want %#v", item, want)
	}
	if l, v, ok := Sent(reverse, ReverseBase, "Delay"); !ok || l != reverse[1] || v != 4501 {
		t.Errorf("Sent(reverse, Delay) = %v, %v, %v; want the leaf and the value Item sent", l, v, ok)
	}
	if _, _, ok := Sent(job, 0, "Delay"); ok {
		t.Error("Sent found a leaf the job does not list")
	}
	if _, err := Item([]Leaf{{"A.B", "string", "string"}, {"A", "string", "string"}}, nil); err == nil {
		t.Error("Item put a leaf where the sheet has an object")
	}
}
