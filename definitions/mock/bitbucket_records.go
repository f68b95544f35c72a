package mock

import (
	"strconv"
	"strings"
	"time"
)

// bbTimestamp is Bitbucket's timestamp form: microseconds and an explicit +00:00.
const (
	bbTimestamp = "2006-01-02T15:04:05.000000-07:00"
	bbNewest    = 1716915801 // 2024-05-28T17:03:21Z
)

type bbLink struct {
	Href string `json:"href"`
}

type bbRef struct {
	Type     string `json:"type"`
	Name     string `json:"name,omitempty"`
	Key      string `json:"key,omitempty"`
	Slug     string `json:"slug,omitempty"`
	UUID     string `json:"uuid,omitempty"`
	Username string `json:"username,omitempty"`
	Display  string `json:"display_name,omitempty"`
}

type bbRepoLinks struct {
	Self bbLink `json:"self"`
	HTML bbLink `json:"html"`
}

// bbRepo is a repository as bitbucket-cloud.md §6 shows it. Project is missing on
// repositories outside any project.
type bbRepo struct {
	Type        string      `json:"type"`
	UUID        string      `json:"uuid"`
	FullName    string      `json:"full_name"`
	Name        string      `json:"name"`
	Slug        string      `json:"slug"`
	Description string      `json:"description"`
	SCM         string      `json:"scm"`
	IsPrivate   bool        `json:"is_private"`
	Language    string      `json:"language"`
	Size        int64       `json:"size"`
	HasIssues   bool        `json:"has_issues"`
	HasWiki     bool        `json:"has_wiki"`
	ForkPolicy  string      `json:"fork_policy"`
	CreatedOn   string      `json:"created_on"`
	UpdatedOn   string      `json:"updated_on"`
	Mainbranch  bbRef       `json:"mainbranch"`
	Owner       bbRef       `json:"owner"`
	Workspace   bbRef       `json:"workspace"`
	Project     *bbRef      `json:"project,omitempty"`
	Links       bbRepoLinks `json:"links"`
}

var (
	bbNames     = [...]string{"Payments API", "infra-terraform", "legacy-portal", "Threat Intel Feeds", "siem-rules", "vuln-scanner", "auth-gateway"}
	bbLanguages = [...]string{"go", "hcl", "", "python", "", "java", "typescript"}
	bbProjects  = [...][2]string{{"PAY", "Payments"}, {"OPS", "Operations"}, {"SEC", "Security"}}
)

// bbRepoRecord is repository i. Display names and slugs differ on some, as they do
// when a repository was named with capitals or spaces; some have no language ("") and
// some belong to no project.
func bbRepoRecord(i int) bbRepo {
	name := bbNames[i%len(bbNames)]
	if i >= len(bbNames) {
		name += " " + strconv.Itoa(i/len(bbNames)+1)
	}
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	created := time.Unix(bbNewest-int64(400+i*11)*86400, int64(hash(saltRepo, i)%1e6)*1000).UTC()
	updated := time.Unix(bbNewest-int64(i%60)*86400-int64(i*613), int64(hash(saltRepo, i+1<<20)%1e6)*1000).UTC()
	return bbRepo{
		Type: "repository", UUID: "{" + uuid(saltRepo, i) + "}", FullName: bbWorkspace + "/" + slug,
		Name: name, Slug: slug, Description: bbDescription(i, name), SCM: "git",
		IsPrivate: i%4 != 2, Language: bbLanguages[i%len(bbLanguages)], Size: int64(mix(hash(saltRepo, i)) % 90000000),
		ForkPolicy: "no_public_forks", CreatedOn: created.Format(bbTimestamp), UpdatedOn: updated.Format(bbTimestamp),
		Mainbranch: bbRef{Type: "branch", Name: [...]string{"main", "master"}[i%2]},
		Owner:      bbRef{Type: "team", Display: "ACME Security", UUID: bbWorkspaceUUID(), Username: bbWorkspace},
		Workspace:  bbRef{Type: "workspace", Slug: bbWorkspace, Name: "ACME Security", UUID: bbWorkspaceUUID()},
		Project:    bbProject(i),
		Links: bbRepoLinks{
			Self: bbLink{"https://api.bitbucket.org/2.0/repositories/" + bbWorkspace + "/" + slug},
			HTML: bbLink{"https://bitbucket.org/" + bbWorkspace + "/" + slug},
		},
	}
}

func bbDescription(i int, name string) string {
	if i%3 == 1 {
		return ""
	}
	return name + " for the security team"
}

func bbProject(i int) *bbRef {
	if i%5 == 4 {
		return nil
	}
	p := bbProjects[i%len(bbProjects)]
	return &bbRef{Type: "project", Key: p[0], Name: p[1], UUID: "{" + uuid(saltProject, i%len(bbProjects)) + "}"}
}

func bbWorkspaceUUID() string { return "{" + uuid(saltWorkspace, 0) + "}" }

type bbUserBody struct {
	Type        string `json:"type"`
	DisplayName string `json:"display_name"`
	UUID        string `json:"uuid"`
	AccountID   string `json:"account_id"`
	Nickname    string `json:"nickname"`
}

func bbUser() bbUserBody {
	return bbUserBody{Type: "user", DisplayName: "Mock User", UUID: "{" + uuid(saltWorkspace, 1) + "}",
		AccountID: "712020:" + uuid(saltWorkspace, 2), Nickname: "mock-user"}
}

type bbWorkspaceBody struct {
	Type      string      `json:"type"`
	UUID      string      `json:"uuid"`
	Name      string      `json:"name"`
	Slug      string      `json:"slug"`
	IsPrivate bool        `json:"is_private"`
	Links     bbRepoLinks `json:"links"`
}

func bbWorkspaceRecord() bbWorkspaceBody {
	return bbWorkspaceBody{Type: "workspace", UUID: bbWorkspaceUUID(), Name: "ACME Security", Slug: bbWorkspace, IsPrivate: true,
		Links: bbRepoLinks{
			Self: bbLink{"https://api.bitbucket.org/2.0/workspaces/" + bbWorkspace},
			HTML: bbLink{"https://bitbucket.org/" + bbWorkspace + "/"},
		}}
}
