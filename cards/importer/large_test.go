package importer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// jiraSearch generates a Jira v3 search response with n issues, each with
// an ADF description, custom fields and a sprint, and the names map after
// the issues as Jira sends it.
func jiraSearch(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"expand":"names,schema","startAt":0,"maxResults":` + fmt.Sprint(n) + `,"total":` + fmt.Sprint(n) + `,"issues":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id":"%d","self":"https://big.atlassian.net/rest/api/3/issue/%d","key":"BIG-%d","fields":{`, i, i, i)
		fmt.Fprintf(&b, `"summary":"Issue %d: résumé 日本語 ✨ with a fairly long summary to look like real data","issuetype":{"name":"Story"},`, i)
		b.WriteString(`"status":{"name":"In Progress","statusCategory":{"key":"indeterminate"}},"priority":{"name":"High"},`)
		b.WriteString(`"assignee":{"displayName":"Zoë Ångström","avatarUrls":{"48x48":"https://avatar.example/48.png","24x24":"https://avatar.example/24.png"}},`)
		b.WriteString(`"labels":["alpha","beta"],"components":[{"name":"Web"}],"customfield_10016":5,"customfield_10014":"BIG-0",`)
		b.WriteString(`"customfield_10020":[{"id":1,"name":"Sprint 1","state":"closed","boardId":1},{"id":2,"name":"Sprint 2","state":"active","boardId":1}],`)
		b.WriteString(`"description":{"type":"doc","version":1,"content":[`)
		for p := 0; p < 8; p++ {
			if p > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"type":"paragraph","content":[{"type":"text","text":"Paragraph with some words in it, enough to make the issue about two kilobytes."},{"type":"hardBreak"},{"type":"mention","attrs":{"id":"x","text":"@Bo"}}]}`)
		}
		b.WriteString(`]},"created":"2026-11-01T09:00:00.000+0100"}}`)
	}
	b.WriteString(`],"names":{"customfield_10016":"Story point estimate","customfield_10014":"Epic Link","customfield_10020":"Sprint"}}`)
	return b.Bytes()
}

// TestLargeJiraJSON reads a generated 50 MB search response through
// ReadFile and checks every issue arrived and memory stayed proportional
// to the input.
func TestLargeJiraJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and reads a 50 MB file; skipped with -short")
	}
	n := 0
	data := jiraSearch(1)
	n = 50<<20/len(data) + 1
	data = jiraSearch(n)
	p := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	size := len(data)
	data = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	is, f, err := ReadFile(p)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if f != JiraJSON || len(is) != n {
		t.Fatalf("format %s, %d issues, want %d", f, len(is), n)
	}
	last := is[n-1]
	eq(t, last.Key, fmt.Sprintf("BIG-%d", n-1))
	eq(t, last.Sprint, "Sprint 2")
	eq(t, last.ParentKey, "BIG-0")
	if last.StoryPoints == nil || *last.StoryPoints != 5 {
		t.Errorf("story points %v", last.StoryPoints)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d issues, %.1f MB input, %.1f MB allocated in total (%.1f× input), heap obtained from the OS %.1f MB",
		n, float64(size)/1e6, float64(alloc)/1e6, float64(alloc)/float64(size), float64(after.HeapSys)/1e6)
	// A sanity bound against quadratic behaviour, not a tuned target
	// (BenchmarkReadJiraJSON reports the real figure).
	if alloc > 40*uint64(size) {
		t.Errorf("allocated %d bytes for a %d-byte input", alloc, size)
	}
}

// BenchmarkReadJiraJSON reads a generated ~5 MB Jira v3 search response.
func BenchmarkReadJiraJSON(b *testing.B) {
	benchRead(b, "bench.json", jiraSearch(2500))
}

// BenchmarkReadJiraCSV reads the real French Jira CSV export (516 issues).
func BenchmarkReadJiraCSV(b *testing.B) {
	data, err := os.ReadFile(dataset(b, "issues/jira-csv/ckiw-github-csv-tools_JIRA.csv"))
	if err != nil {
		b.Fatal(err)
	}
	benchRead(b, "JIRA.csv", data)
}

func benchRead(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Read(name, data); err != nil {
			b.Fatal(err)
		}
	}
}
