package mock

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"time"
)

const (
	// ghBigRepo is the repository whose id exceeds 2^53, so that a client decoding ids
	// into float64 loses the last digit and a test notices.
	ghBigRepo         = 12
	ghBigID     int64 = 9007199254740993
	ghFirstID   int64 = 700001
	ghNewest          = 1716915801 // 2024-05-28T17:03:21Z
	ghTimestamp       = "2006-01-02T15:04:05Z"
)

type ghUser struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

type ghOrgBody struct {
	Login       string `json:"login"`
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	URL         string `json:"url"`
	ReposURL    string `json:"repos_url"`
	Description string `json:"description"`
	Name        string `json:"name"`
	HTMLURL     string `json:"html_url"`
	PublicRepos int    `json:"public_repos"`
	Type        string `json:"type"`
}

func (g *gitHub) org() ghOrgBody {
	public := 0
	for i := range g.repos {
		if ghVisibility(i) == "public" {
			public++
		}
	}
	return ghOrgBody{
		Login: ghOrg, ID: ghOrgID, NodeID: "O_kgDOAAFfkQ",
		URL: "https://api.github.com/orgs/acme", ReposURL: "https://api.github.com/orgs/acme/repos",
		Description: "ACME Corporation (mock)", Name: "ACME", HTMLURL: "https://github.com/acme",
		PublicRepos: public, Type: "Organization",
	}
}

// ghRepo is a repository as GET /orgs/{org}/repos lists it (github.md §7.1). Pointer
// fields are the ones GitHub sends as null.
type ghRepo struct {
	ID              int64    `json:"id"`
	NodeID          string   `json:"node_id"`
	Name            string   `json:"name"`
	FullName        string   `json:"full_name"`
	Private         bool     `json:"private"`
	Owner           ghUser   `json:"owner"`
	HTMLURL         string   `json:"html_url"`
	Description     *string  `json:"description"`
	Fork            bool     `json:"fork"`
	URL             string   `json:"url"`
	CreatedAt       string   `json:"created_at"`
	UpdatedAt       string   `json:"updated_at"`
	PushedAt        string   `json:"pushed_at"`
	Size            int      `json:"size"`
	StargazersCount int      `json:"stargazers_count"`
	Language        *string  `json:"language"`
	ForksCount      int      `json:"forks_count"`
	Archived        bool     `json:"archived"`
	Disabled        bool     `json:"disabled"`
	OpenIssuesCount int      `json:"open_issues_count"`
	Topics          []string `json:"topics"`
	Visibility      string   `json:"visibility"`
	DefaultBranch   string   `json:"default_branch"`
}

var (
	ghNameAreas = [...]string{"payments", "infra", "web", "auth", "billing", "search", "mobile", "data", "docs", "ml"}
	ghNameKinds = [...]string{"api", "service", "ui", "worker", "lib", "cli", "terraform", "pipeline"}
	ghLanguages = [...]string{"Go", "TypeScript", "Python", "Java", "HCL", "Ruby", "Kotlin"}
)

// ghRepoName is unique: within each block of 80 the (area, kind) pair is, and later
// blocks carry a numeric suffix.
func ghRepoName(i int) string {
	name := ghNameAreas[i%len(ghNameAreas)] + "-" + ghNameKinds[i/len(ghNameAreas)%len(ghNameKinds)]
	if block := i / (len(ghNameAreas) * len(ghNameKinds)); block > 0 {
		name += "-" + strconv.Itoa(block+1)
	}
	return name
}

func ghRepoID(i int) int64 {
	if i == ghBigRepo {
		return ghBigID
	}
	return ghFirstID + int64(i)
}

func ghVisibility(i int) string {
	return [...]string{"public", "private", "internal"}[i%3]
}

func ghOwner() ghUser {
	return ghUser{Login: ghOrg, ID: ghOrgID, NodeID: "O_kgDOAAFfkQ", Type: "Organization"}
}

// ghRepoRecord is repository i, with the nulls and flags a mapping must cope with:
// some descriptions and languages are null, some repos are archived or forks.
func ghRepoRecord(i int) ghRepo {
	name := ghRepoName(i)
	created := time.Unix(ghNewest-int64(900+i*7)*86400+int64(i*3671%86400), 0).UTC()
	pushed := time.Unix(ghNewest-int64(i%40)*86400-int64(i*977%86400), 0).UTC()
	return ghRepo{
		ID: ghRepoID(i), NodeID: ghNodeID("R_kgDO", ghRepoID(i)), Name: name, FullName: ghOrg + "/" + name,
		Private: ghVisibility(i) != "public", Owner: ghOwner(),
		HTMLURL: "https://github.com/" + ghOrg + "/" + name, Description: ghDescription(i, name),
		Fork: i%13 == 5, URL: "https://api.github.com/repos/" + ghOrg + "/" + name,
		CreatedAt: created.Format(ghTimestamp), UpdatedAt: pushed.Add(time.Second).Format(ghTimestamp),
		PushedAt: pushed.Format(ghTimestamp), Size: int(hash(saltRepo, i) % 250000),
		StargazersCount: i % 17, Language: ghLanguage(i), ForksCount: i % 5,
		Archived: i%11 == 10, OpenIssuesCount: i % 9, Topics: ghTopics(i),
		Visibility: ghVisibility(i), DefaultBranch: [...]string{"main", "main", "master"}[i%3],
	}
}

// ghNodeID is a GraphQL node id: a type prefix and the base64 of the database id.
func ghNodeID(prefix string, id int64) string {
	return prefix + base64.RawURLEncoding.EncodeToString(binary.BigEndian.AppendUint64(nil, uint64(id)))
}

func ghDescription(i int, name string) *string {
	if i%5 == 3 {
		return nil
	}
	d := "The " + name + " repository"
	return &d
}

func ghLanguage(i int) *string {
	if i%7 == 6 {
		return nil
	}
	l := ghLanguages[i%len(ghLanguages)]
	return &l
}

func ghTopics(i int) []string {
	switch i % 4 {
	case 0:
		return []string{"pci", "tier-1"}
	case 1:
		return []string{"internal-tools"}
	}
	return []string{}
}
