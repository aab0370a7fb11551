package boardgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/cardwall/cardwall/cards"
	"github.com/cardwall/cardwall/cards/layout"
	"github.com/cardwall/cardwall/cards/template"
)

var (
	projects = []string{"PROJ", "CW", "WEB", "OPS", "APP", "DATA"}
	words    = strings.Fields("add fix remove update import export card board column sync photo login cache search " +
		"report page layout template scanner header status issue sprint epic review deploy build test " +
		"error timeout font printer user account settings invoice order payment mobile browser queue")
	types      = []string{"Story", "Bug", "Task", "Sub-task", "Epic", "Spike"}
	priorities = []string{"Highest", "High", "Medium", "Low"}
	people     = []string{"Ana Müller", "Kenji Sato", "Olga Petrova", "Sam Lee", "Priya Nair", "Jonas Berg", "Li Wei"}
)

// syntheticIssues makes n issues with distinct keys of one project and
// statuses from the columns.
func syntheticIssues(n int, cols []string, rng *rand.Rand) []cards.Issue {
	proj := projects[rng.IntN(len(projects))]
	used := map[int]bool{}
	issues := make([]cards.Issue, n)
	for i := range issues {
		num := 1 + rng.IntN(20*n+50)
		for used[num] {
			num = 1 + rng.IntN(20*n+50)
		}
		used[num] = true
		var sum []string
		for k := 0; k < 3+rng.IntN(7); k++ {
			sum = append(sum, words[rng.IntN(len(words))])
		}
		sum[0] = strings.ToUpper(sum[0][:1]) + sum[0][1:]
		pts := float64([]int{1, 2, 3, 5, 8, 13}[rng.IntN(6)])
		issues[i] = cards.Issue{
			Key: fmt.Sprintf("%s-%d", proj, num), Summary: strings.Join(sum, " "),
			Type: types[rng.IntN(len(types))], Priority: priorities[rng.IntN(len(priorities))],
			Status: cols[rng.IntN(len(cols))], Assignee: people[rng.IntN(len(people))], StoryPoints: &pts,
		}
	}
	return issues
}

// headers lays out one header card per column as the markers command
// prints them and cuts them out.
func headers(ctx context.Context, cols []string) ([]*art, error) {
	tpl, _ := template.Builtin(template.MarkersName)
	pages, err := layout.Markers(ctx, tpl, cols)
	if err != nil {
		return nil, fmt.Errorf("boardgen: laying out headers: %w", err)
	}
	arts, err := cutOut(pages)
	if err != nil {
		return nil, err
	}
	if len(arts) != len(cols) {
		return nil, fmt.Errorf("boardgen: %d header cards for %d columns", len(arts), len(cols))
	}
	return arts, nil
}
