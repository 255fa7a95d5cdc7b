package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDataSourcesAreLeaves: no data_source_*.go file uses a name another data_source_*.go file
// declares. What two data sources share lives in a file named for what it is (data_source.go,
// wait_for.go, shapes.go, current_job.go, legacy_job.go, listing.go), so a new data source is one
// new file, not edits in its siblings.
func TestDataSourcesAreLeaves(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	parsed := map[string]*ast.File{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || !strings.HasPrefix(name, "data_source_") {
			continue
		}
		// The parser resolves each identifier it can within its file; what is left in Unresolved
		// names the package's other files (or the universe, such as string and nil).
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed[name] = f
	}
	if len(parsed) < 4 {
		t.Fatalf("found %d data_source_*.go files, want the four data sources at least", len(parsed))
	}
	declaredIn := map[string]string{}
	for name, f := range parsed {
		for _, n := range topLevelNames(f) {
			declaredIn[n] = name
		}
	}
	for name, f := range parsed {
		for _, id := range f.Unresolved {
			if owner, ok := declaredIn[id.Name]; ok && owner != name {
				t.Errorf("%s uses %s, which %s declares: move it to a file named for what the data sources share",
					fset.Position(id.Pos()), id.Name, owner)
			}
		}
	}
}

// topLevelNames are the package-level names a file declares: functions (not methods), types,
// variables and constants.
func topLevelNames(f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out = append(out, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return slices.DeleteFunc(out, func(n string) bool { return n == "_" })
}
