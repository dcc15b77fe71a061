package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The layout rules that README's "Layout" section states, checked on every
// non-test Go file of the repository, so that they hold as it grows.

// maxFuncLines is the longest a function may be, from its func keyword to
// its closing brace: two screens. Longer ones hide their steps; split them
// where their own comments divide them.
const maxFuncLines = 150

// module is the module path of go.mod.
const module = "paniers"

// mayImport lists, for each package (a folder, which also covers the
// folders below it unless they have a rule of their own), the packages of
// this module it may import, the same way ("internal" covers the shared
// pieces below it, such as internal/i18n). No package imports the doors
// (api, web, internal/cli) but main and internal/cli; a package without a
// rule may import any other.
var mayImport = map[string][]string{
	"config":               {},
	"internal/i18n":        {},
	"internal/i18n/accept": {"internal/i18n"},
	"planner":              {"planner", "internal/i18n"},
	"models":               {"models", "planner", "config", "internal"},
	"jobs":                 {"jobs", "models", "planner", "config", "internal"},
	"internal/access":      {"internal/access", "models", "planner", "config", "internal/i18n"},
	"api":                  {"api", "models", "planner", "jobs", "config", "internal"},
	"web":                  {"web", "models", "planner", "jobs", "config", "internal"},
	"internal/cli":         {""}, // everything: it wires the others together
	".":                    {"internal/cli"},
}

// doors are the packages that nothing but main and the commands import.
var doors = []string{"api", "web", "internal/cli"}

// pureOutside lists the packages outside the standard library and this
// module that the planner's packages may import: none for the planner
// itself (scenario in, plan out, standard library only); the sheets render
// PDF and Latin-1 text.
var pureOutside = map[string][]string{
	"planner":        {},
	"planner/sheets": {"github.com/go-pdf/fpdf", "golang.org/x/text/encoding/charmap"},
}

// goFile is one parsed non-test Go file of the repository.
type goFile struct {
	dir  string // its folder, relative to the root ("." for the root)
	name string
	fset *token.FileSet
	ast  *ast.File
}

// repoFiles parses every non-test Go file below the repository root,
// leaving out testdata and hidden folders.
func repoFiles(t *testing.T) []goFile {
	t.Helper()
	var files []goFile
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files = append(files, goFile{dir: filepath.ToSlash(filepath.Dir(p)), name: filepath.ToSlash(p), fset: fset, ast: f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d Go files: is the test running at the repository root?", len(files))
	}
	return files
}

// TestFunctionLength fails naming every function longer than maxFuncLines.
func TestFunctionLength(t *testing.T) {
	for _, f := range repoFiles(t) {
		for _, long := range longFunctions(f) {
			t.Error(long)
		}
	}
}

// longFunctions describes each function of f longer than maxFuncLines.
func longFunctions(f goFile) []string {
	var out []string
	for _, decl := range f.ast.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		start, end := f.fset.Position(fd.Pos()), f.fset.Position(fd.End())
		if n := end.Line - start.Line + 1; n > maxFuncLines {
			out = append(out, fmt.Sprintf("%s:%d: %s is %d lines long, more than %d: split it where its steps are", f.name, start.Line, funcName(fd), n, maxFuncLines))
		}
	}
	return out
}

// TestLayoutChecksCatch feeds the checks what they must refuse and accept,
// so that a rule cannot pass by checking nothing.
func TestLayoutChecksCatch(t *testing.T) {
	body := func(lines int) string { return strings.Repeat("\tx++\n", lines-2) }
	src := "package p\n\nfunc ok() {\n" + body(maxFuncLines) + "}\n\n" +
		"type T[K any] struct{}\n\nfunc (t *T[K]) long() {\n" + body(maxFuncLines+1) + "}\n"
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	long := longFunctions(goFile{name: "p.go", fset: fset, ast: file})
	if len(long) != 1 || !strings.Contains(long[0], "(*T).long is 151 lines") {
		t.Errorf("longFunctions = %q, want (*T).long alone", long)
	}
	for _, c := range []struct {
		dir, imp string
		ok       bool
	}{
		{"planner", "paniers/models", false},
		{"planner/routing", "paniers/internal/i18n", true},
		{"planner/routing", "gorm.io/gorm", false},
		{"planner", "net/http", true},
		{"planner/sheets", "github.com/go-pdf/fpdf", true},
		{"planner/sheets", "paniers/jobs", false},
		{"config", "paniers/planner", false},
		{"internal/i18n", "paniers/config", false},
		{"models", "paniers/jobs", false},
		{"models", "paniers/planner/egalim", true},
		{"jobs/osrm", "paniers/planner", true},
		{"jobs", "paniers/api", false},
		{"api", "paniers/web", false},
		{"web", "paniers/api", false},
		{"internal/testdb", "paniers/api", false},
		{"internal/testdb", "paniers/models", true},
		{"api", "paniers/internal/access", true},
		{"internal/access", "paniers/jobs", false},
		{"internal/access", "paniers/models", true},
		{"web", "paniers/internal/cli", false},
		{"models", "paniers/internal/i18n", true},
		{"planner", "paniers/internal/access", false},
		{"api/sub", "paniers/api", true},
		{"internal/cli", "paniers/api", true},
		{".", "paniers/internal/cli", true},
		{".", "paniers/api", false},
		{"models", "paniers", false},
	} {
		if msg := importProblem(c.dir, c.imp); (msg == "") != c.ok {
			t.Errorf("%s importing %s: problem %q, want allowed %v", c.dir, c.imp, msg, c.ok)
		}
	}
}

// funcName names a function as a reader looks for it: "(*Store).scenario".
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	star := ""
	if s, ok := typ.(*ast.StarExpr); ok {
		star, typ = "*", s.X
	}
	if g, ok := typ.(*ast.IndexExpr); ok {
		typ = g.X
	}
	if g, ok := typ.(*ast.IndexListExpr); ok {
		typ = g.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return "(" + star + id.Name + ")." + fd.Name.Name
	}
	return fd.Name.Name
}

// TestImports checks that dependencies point the one way the layout says.
func TestImports(t *testing.T) {
	for _, f := range repoFiles(t) {
		for _, spec := range f.ast.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				t.Fatalf("%s: import %s: %v", f.name, spec.Path.Value, err)
			}
			if msg := importProblem(f.dir, imp); msg != "" {
				t.Errorf("%s: imports %s: %s", f.name, imp, msg)
			}
		}
	}
}

// TestRootHoldsOnlyMain checks that the commands stay in internal/cli.
func TestRootHoldsOnlyMain(t *testing.T) {
	for _, f := range repoFiles(t) {
		if f.dir == "." && f.name != "main.go" {
			t.Errorf("%s: the root holds only main.go among non-test files; commands go in internal/cli", f.name)
		}
	}
}

// importProblem says what is wrong with package dir importing imp, or "".
func importProblem(dir, imp string) string {
	own, ok := strings.CutPrefix(imp, module+"/")
	if !ok && imp == module {
		return "nothing imports the main package"
	}
	if !ok {
		rule, ruled := ruleFor(pureOutside, dir)
		if ruled && !isStdlib(imp) && !slices.Contains(pureOutside[rule], imp) {
			return rule + " may import only the standard library" + listed(pureOutside[rule])
		}
		return ""
	}
	rule, ruled := ruleFor(mayImport, dir)
	if rule != "internal/cli" && rule != "." {
		for _, door := range doors {
			if within(own, door) && !within(dir, door) {
				return "no package imports " + door + " (it is a door: main and internal/cli wire it)"
			}
		}
	}
	if !ruled {
		return ""
	}
	for _, allowed := range mayImport[rule] {
		if allowed == "" || within(own, allowed) {
			return ""
		}
	}
	return rule + " may import only " + strings.Join(mayImport[rule], ", ") + " of this module (README, Layout)"
}

// ruleFor finds the rule of the closest folder at or above dir; the root's
// rule is the root's alone.
func ruleFor(rules map[string][]string, dir string) (string, bool) {
	if dir == "." {
		_, ok := rules["."]
		return ".", ok
	}
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		if _, ok := rules[d]; ok {
			return d, true
		}
	}
	return "", false
}

// within says whether package p is pkg or below it.
func within(p, pkg string) bool { return p == pkg || strings.HasPrefix(p, pkg+"/") }

// isStdlib says whether an import path is the standard library's: its
// first element has no dot.
func isStdlib(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

func listed(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return " and " + strings.Join(xs, ", ")
}
