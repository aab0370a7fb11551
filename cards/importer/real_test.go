package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardwall/cardwall/cards"
)

// datasets is the shared real material, relative to this package.
const datasets = "../../../shared/datasets"

// dataset returns the path of a file under ../shared/datasets, skipping
// the test when it is not there.
func dataset(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(datasets, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not available (%v); it lives in ../shared/datasets beside the repository", err)
	}
	return p
}

// readReal reads a dataset file with ReadFile and checks its format.
func readReal(t *testing.T, rel string, want Format) []cards.Issue {
	t.Helper()
	is, f, err := ReadFile(dataset(t, rel))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if f != want {
		t.Fatalf("%s: format %q, want %q", rel, f, want)
	}
	return is
}

func byKey(t *testing.T, is []cards.Issue, key string) cards.Issue {
	t.Helper()
	for _, i := range is {
		if i.Key == key {
			return i
		}
	}
	t.Fatalf("no issue %s among %d", key, len(is))
	return cards.Issue{}
}

func keys(is []cards.Issue) string {
	var ks []string
	for _, i := range is {
		ks = append(ks, i.Key)
	}
	return strings.Join(ks, " ")
}

func TestRealJiraAgileSprint(t *testing.T) {
	is := readReal(t, "issues/jira/go-jira/issues_in_sprint.json", JiraJSON)
	if len(is) != 1 {
		t.Fatalf("%d issues", len(is))
	}
	ar := is[0]
	eq(t, ar.Key, "AR-86")
	if ar.StoryPoints == nil || *ar.StoryPoints != 13 {
		t.Errorf("story points %v, want 13", ar.StoryPoints)
	}
	eq(t, ar.ParentKey, "AR-37")
	eq(t, ar.ParentName, "Moderation: Design")
	eq(t, ar.Type, "Task")
	eq(t, ar.Status, "Ready")
	eq(t, ar.Priority, "Major")
	eq(t, ar.Assignee, "mister Morris")
	eq(t, ar.URL, "https://example.atlassian.net/browse/AR-86")
	eq(t, ar.Fields["Project"], "Team Argon")
	eq(t, ar.Fields["Resolution"], "Done")
}

func TestRealJiraServer(t *testing.T) {
	is := readReal(t, "issues/jira/jira-ruby/issue.json", JiraJSON)
	eq(t, keys(is), "SAMPLEPROJECT-13 SAMPLEPROJECT-12 SAMPLEPROJECT-11 SAMPLEPROJECT-10 SAMPLEPROJECT-9 SAMPLEPROJECT-8 SAMPLEPROJECT-7 SAMPLEPROJECT-6 SAMPLEPROJECT-5 SAMPLEPROJECT-4 SAMPLEPROJECT-1")
	eq(t, is[0].Summary, "blarg from in example.rb")
	eq(t, is[10].Summary, "MOOOOOOARRR NINJAAAA!")
	eq(t, is[0].URL, "http://localhost:2990/jira/browse/SAMPLEPROJECT-13")
	eq(t, is[0].Type, "Task")
	eq(t, is[0].Assignee, "admin")

	one := readReal(t, "issues/jira/jira-ruby/issue_10002.json", JiraJSON)
	eq(t, keys(one), "SAMPLEPROJECT-1")
	eq(t, one[0].Summary, "Sample Issue")

	sp := readReal(t, "issues/jira/jira-ruby/sprint_1_issues.json", JiraJSON)
	eq(t, sp[0].Key, "HSP-1")
	eq(t, sp[0].Sprint, "sprint 2")
	eq(t, sp[0].ParentName, "epic 1")
	eq(t, sp[0].Description, "example bug report")

	board := readReal(t, "issues/jira/jira-ruby/board_1_issues.json", JiraJSON)
	eq(t, keys(board), "SBT-1 SBT-2 SBT-11 SBT-12 SBT-13 SBT-14 SBT-16 SBT-17 SBT-19")

	rv := readReal(t, "issues/jira/jira-ruby/rapidview_SAMPLEPROJECT.issues.full.json", JiraJSON)
	eq(t, keys(rv), "SAM-2 SAM-1")
	eq(t, rv[1].Summary, "Test issue 1")
}

func TestRealJiraCloudV3(t *testing.T) {
	is := readReal(t, "issues/jira/jira-cli/issue.json", JiraJSON)
	eq(t, is[0].Key, "TEST-1")
	eq(t, is[0].Summary, "Bug summary")
	eq(t, is[0].Description, "Test description")
	eq(t, is[0].Reporter, "Person A")
	eq(t, is[0].Type, "Bug")

	s := readReal(t, "issues/jira/jira-cli/search.json", JiraJSON)
	eq(t, keys(s), "TEST-1 TEST-2 TEST-3")
	eq(t, s[1].Summary, "Story summary")
	ep := readReal(t, "issues/jira/jira-cli/epic.json", JiraJSON)
	eq(t, keys(ep), "EPIC-1 EPIC-2")
}

// TestRealADF flattens jira-cli's large real ADF document.
func TestRealADF(t *testing.T) {
	raw, err := os.ReadFile(dataset(t, "issues/jira/jira-cli/adf-md.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := &jsonDoc{file: "adf-md.json", data: raw}
	if err := d.checkSyntax(); err != nil {
		t.Fatal(err)
	}
	doc, err := d.adf(raw, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	text := adfText(&doc)
	for _, want := range []string{
		"H1\n\nH2\n\n1. Some text\n2. Some more text\n\n> Blockquote text",
		"Inline Node https://antiklabs.atlassian.net/wiki/spaces/ANK/pages/124234/hello-world",
		"Panel paragraph",
		"@Person A",
		"Link (https://ankit.pl)",
		"• Prefix: Unordered list item 1\n  • Next\n    • Another\n      • New level\n• Unordered list item 2",
		"3. Ordered list item 3\n   1. nested\n      1. second level",
		"Table Header 1 | Table Header 2 | Table Header 3\nTable row 1 column 1 | Table row 1 column 2 | Table row 1 column 3",
		"func main() {\n\tfmt.Println(\"Hello, World!\")\n}",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ADF text lacks %q; text:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\n\n\n") {
		t.Errorf("ADF text has runs of blank lines:\n%s", text)
	}
}

// TestRealOpenAPIExamples reads Atlassian's own example responses from
// the Jira Cloud platform v3 OpenAPI description.
func TestRealOpenAPIExamples(t *testing.T) {
	raw, err := os.ReadFile(dataset(t, "jira-openapi/jira-platform-v3.swagger-v3.v3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/rest/api/3/search/jql", "/rest/api/3/search", "/rest/api/3/issue/{issueIdOrKey}"} {
		t.Run(path, func(t *testing.T) {
			ex := spec.Paths[path]["get"].Responses["200"].Content["application/json"].Example
			var body string // the examples are JSON documents inside JSON strings
			if err := json.Unmarshal(ex, &body); err != nil {
				t.Fatalf("example of %s: %v", path, err)
			}
			is, f, err := Read(path, []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if f != JiraJSON || len(is) != 1 {
				t.Fatalf("format %s, %d issues", f, len(is))
			}
			eq(t, is[0].Key, "ED-1")
			eq(t, is[0].Description, "Main order flow broken")
			eq(t, is[0].URL, "https://your-domain.atlassian.net/browse/ED-1")
			eq(t, is[0].Fields["Project"], "Example")
		})
	}
}

// TestRealJiraCSVFrench reads a real French Jira Server CSV export.
func TestRealJiraCSVFrench(t *testing.T) {
	is := readReal(t, "issues/jira-csv/ckiw-github-csv-tools_JIRA.csv", JiraCSV)
	if len(is) != 516 {
		t.Fatalf("%d issues, want 516", len(is))
	}
	c1 := byKey(t, is, "CNED-1")
	eq(t, c1.Summary, "Etape 1 : migration de Tesseract en JS")
	eq(t, c1.Type, "Épopée")
	eq(t, c1.Status, "Validé")
	eq(t, c1.Priority, "Majeur")
	eq(t, c1.Reporter, "jetessie")
	eq(t, c1.Fields["Epic Name"], "US 2323 - Traitement OCR côté Navigateur")
	eq(t, c1.Fields["Issue id"], "11903")
	eq(t, c1.Fields["Gérer les observateurs"], "guillaume.ogier\njetessie") // repeated column, both kept

	// Epic Link, named from the epic's own Epic Name in the same file.
	c12 := byKey(t, is, "CNED-12")
	eq(t, c12.ParentKey, "CNED-2")
	eq(t, c12.ParentName, "US 2409 - Traitement OCR côté Navigateur (Intégration)")
	eq(t, c12.Sprint, "Sprint 1")
	// Parent id resolved through the Issue id column.
	c16 := byKey(t, is, "CNED-16")
	eq(t, c16.ParentKey, "CNED-15")
	eq(t, c16.ParentName, "Création de la page Nouveau Document")
	eq(t, strings.Join(byKey(t, is, "CNED-358").Labels, ","), "LIMITATION_IE")
	eq(t, byKey(t, is, "CNED-542").Summary, "message d’erreur SSL")
	// The export's Story Points column holds rank strings (the columns
	// were shifted upstream): they must be kept as text, not dropped.
	withPointsText := 0
	for _, i := range is {
		if i.StoryPoints == nil && i.Fields["Story Points"] != "" {
			withPointsText++
		}
	}
	if withPointsText == 0 {
		t.Error("no unparseable Story Points kept in Fields")
	}
}

// octokitResponses extracts the bodies of the GET responses from a nock
// recording of octokit/fixtures.
func octokitResponses(t *testing.T, rel string) []json.RawMessage {
	raw, err := os.ReadFile(dataset(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	var entries []struct {
		Method   string          `json:"method"`
		Path     string          `json:"path"`
		Status   int             `json:"status"`
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(raw, &entries); err != nil {
		t.Fatal(err)
	}
	var out []json.RawMessage
	for _, e := range entries {
		if strings.EqualFold(e.Method, "get") && e.Status == 200 {
			out = append(out, e.Response)
		}
	}
	return out
}

func TestRealGitHubREST(t *testing.T) {
	// The five pages of GET /repos/{o}/{r}/issues, joined into one list.
	var all []json.RawMessage
	for _, page := range octokitResponses(t, "issues/github/octokit-fixtures/paginate-issues.raw-fixture.json") {
		var items []json.RawMessage
		if err := json.Unmarshal(page, &items); err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
	}
	list, _ := json.Marshal(all)
	is, f, err := Read("paginate-issues", list)
	if err != nil || f != GitHubJSON {
		t.Fatalf("format %s, err %v", f, err)
	}
	if len(is) != 13 {
		t.Fatalf("%d issues, want 13", len(is))
	}
	const repo = "octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe"
	eq(t, is[0].Key, repo+"#13")
	eq(t, is[12].Key, repo+"#1")
	eq(t, is[0].Summary, "Test issue 13")
	eq(t, is[0].Reporter, "octokit-fixture-user-a")
	eq(t, is[0].Status, "open")
	eq(t, is[0].Type, "Issue")
	eq(t, is[0].URL, "https://github.com/"+repo+"/issues/13")

	search := octokitResponses(t, "issues/github/octokit-fixtures/search-issues.raw-fixture.json")
	is, f, err = Read("search-issues", search[0])
	if err != nil || f != GitHubJSON {
		t.Fatalf("format %s, err %v", f, err)
	}
	const srepo = "octokit-fixture-org/tmp-scenario-search-issues-20220719044045959-jlcli"
	eq(t, keys(is), srepo+"#2 "+srepo+"#1")
	eq(t, is[1].Summary, "The doors don’t open")

	// The raw recording itself is not an issue export.
	if _, _, err := ReadFile(dataset(t, "issues/github/octokit-fixtures/paginate-issues.raw-fixture.json")); err == nil || !strings.Contains(err.Error(), "not a recognised issue export") {
		t.Errorf("raw recording: err = %v", err)
	}
}

func TestRealGitHubGraphQL(t *testing.T) {
	is := readReal(t, "issues/github/cli-cli/issueList.json", GitHubJSON)
	eq(t, keys(is), "#1 #2 #4")
	eq(t, is[0].Summary, "number won")
	eq(t, strings.Join(is[0].Labels, ","), "label")

	v := readReal(t, "issues/github/cli-cli/issueView_previewWithMetadata.json", GitHubJSON)
	eq(t, v[0].Key, "OWNER/REPO#123")
	eq(t, v[0].Summary, "ix of coins")
	eq(t, v[0].Assignee, "marseilles, monaco")
	eq(t, v[0].Reporter, "marseilles")
	eq(t, v[0].Fields["Milestone"], "uluru")
	eq(t, v[0].Status, "OPEN")
	if len(v[0].Labels) != 5 || v[0].Labels[0] != "Closed: Won't Fix" {
		t.Errorf("labels %q", v[0].Labels)
	}
}

// TestRealNotExports checks that real files which are not issue exports
// are refused with a clear error, not misread.
func TestRealNotExports(t *testing.T) {
	for _, rel := range []string{
		"issues/jira/atlassian-python-api/rest_api_2_issue_FOO-123_GET.py", // a Python dict literal
		"issues/github/cli-cli/issueView_previewFullComments.json",         // comments only
		"issues/jira/go-jira/all_projects.json",                            // projects, not issues
		"issues/jira/go-jira/board_configuration.json",
	} {
		_, _, err := ReadFile(dataset(t, rel))
		if err == nil || !strings.Contains(err.Error(), "not a recognised issue export") {
			t.Errorf("%s: err = %v", rel, err)
		}
	}
}
