// Package fieldsheet reads the DescribeDtsJobs field sheet (internal/dtsapi/testdata/DescribeDtsJobs-fields.md),
// which lists every leaf of a DtsJobList item and of its ReverseJob, and builds an item with every leaf set to a
// value of its own. The tests of dtsapi and of the provider hold the decoder and dts_job_status to it; it is not
// used outside tests, and imports nothing of Terraform so that dtsapi's tests can use it.
package fieldsheet

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The sheet's counts for the official Go SDK v2.9.1. The tests hold a parse to at least these: fewer means the
// parser skipped rows, which the tests would then not check, while a longer sheet is a new leaf, which the tests
// should fail on by its name rather than on a count.
const (
	// JobLeaves is the number of leaves of a DtsJobList item, without its ReverseJob, in the sheet.
	JobLeaves = 127
	// ReverseLeaves is the number of leaves of a DtsJobList item's ReverseJob in the sheet.
	ReverseLeaves = 85
)

// ReverseBase is the number Item gives the ReverseJob's first leaf, so that no ReverseJob value equals a job's.
const ReverseBase = 500

// Leaf is one row of the sheet: the leaf's path in the item (dots for objects, "[]" after a list), its Go type in
// the SDK and the JSON type the wire sends ("string (n)" for a number in a string).
type Leaf struct {
	Path     string
	GoType   string
	JSONType string
}

// Read returns the leaves of the sheet's section "## 1." (the item) and section "## 2." (its ReverseJob), in the
// sheet's order. A section that lists no leaf is an error: the sheet is not the one expected.
func Read(path string) (job, reverse []Leaf, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the field sheet: %w", err)
	}
	var section *[]Leaf
	for line := range strings.SplitSeq(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "## 1."):
			section = &job
		case strings.HasPrefix(line, "## 2."):
			section = &reverse
		case strings.HasPrefix(line, "## "):
			section = nil
		}
		// A leaf's row: | # | `path` | Go type | JSON type | ...; the header and separator rows have no backtick.
		cells := strings.Split(line, "|")
		if section == nil || len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[2]), "`") {
			continue
		}
		*section = append(*section, Leaf{
			Path:     strings.Trim(strings.TrimSpace(cells[2]), "`"),
			GoType:   strings.TrimSpace(cells[3]),
			JSONType: strings.TrimSpace(cells[4]),
		})
	}
	if len(job) == 0 || len(reverse) == 0 {
		return nil, nil, fmt.Errorf("the field sheet %s lists %d leaves under \"## 1.\" and %d under \"## 2.\": want both", path, len(job), len(reverse))
	}
	return job, reverse, nil
}

// WireValue is the ith leaf's value, distinct from every other leaf's, in the form the wire sends the leaf's type.
func (l Leaf) WireValue(i int) any {
	switch l.GoType {
	case "bool":
		return i%2 == 0
	case "int32", "int64":
		return 4000 + i
	case "float64":
		return float64(i) + 0.25
	}
	if strings.HasPrefix(l.JSONType, "string (n)") {
		return strconv.Itoa(1000 + i)
	}
	return fmt.Sprintf("v%d", 1000+i)
}

// Put sets v at a sheet path in item: a name followed by "[]" is a list of one object, created where missing. It
// returns an error where the path passes through a value that is not an object or a list of objects, or would
// replace one.
func Put(item map[string]any, path string, v any) error {
	parts := strings.Split(path, ".")
	cur := item
	for _, p := range parts[:len(parts)-1] {
		name, isList := strings.CutSuffix(p, "[]")
		if name == "" {
			return fmt.Errorf("putting %s: an empty name", path)
		}
		held, ok := cur[name]
		if !isList {
			if !ok {
				held = map[string]any{}
				cur[name] = held
			}
			next, ok := held.(map[string]any)
			if !ok {
				return fmt.Errorf("putting %s: %s holds %T, not an object", path, name, held)
			}
			cur = next
			continue
		}
		if !ok {
			held = []any{map[string]any{}}
			cur[name] = held
		}
		list, ok := held.([]any)
		if !ok || len(list) == 0 {
			return fmt.Errorf("putting %s: %s holds %#v, not a list of one object", path, name, held)
		}
		next, ok := list[0].(map[string]any)
		if !ok {
			return fmt.Errorf("putting %s: %s holds a list of %T, not of objects", path, name, list[0])
		}
		cur = next
	}
	last := parts[len(parts)-1]
	if last == "" || strings.HasSuffix(last, "[]") {
		return fmt.Errorf("putting %s: the path does not end in a leaf's name", path)
	}
	switch held := cur[last].(type) {
	case map[string]any, []any:
		return fmt.Errorf("putting %s: %s holds %T, which a leaf's value would replace", path, last, held)
	}
	cur[last] = v
	return nil
}

// Item is a DtsJobList item with every leaf of job set to its WireValue, numbered from 0, and a ReverseJob with
// every leaf of reverse set to its WireValue, numbered from ReverseBase.
func Item(job, reverse []Leaf) (map[string]any, error) {
	if len(job) >= ReverseBase {
		return nil, errors.New("the sheet lists as many job leaves as ReverseBase: the ReverseJob's values would repeat the job's")
	}
	item, reverseJob := map[string]any{}, map[string]any{}
	for i, l := range job {
		if err := Put(item, l.Path, l.WireValue(i)); err != nil {
			return nil, err
		}
	}
	for i, l := range reverse {
		if err := Put(reverseJob, l.Path, l.WireValue(ReverseBase+i)); err != nil {
			return nil, fmt.Errorf("ReverseJob: %w", err)
		}
	}
	item["ReverseJob"] = reverseJob
	return item, nil
}

// Sent returns the leaf at path among leaves numbered from first (0 for the job's, ReverseBase for the
// ReverseJob's), and the value Item sends for it; ok is false where no leaf has that path.
func Sent(leaves []Leaf, first int, path string) (leaf Leaf, value any, ok bool) {
	for i, l := range leaves {
		if l.Path == path {
			return l, l.WireValue(first + i), true
		}
	}
	return Leaf{}, nil, false
}
