package mock

import (
	"strconv"
	"time"
)

// ghAlert is a Dependabot alert as the org endpoint lists it (github.md §7.2). Pointer
// fields are the ones GitHub sends as null.
type ghAlert struct {
	Number                int                `json:"number"`
	State                 string             `json:"state"`
	Dependency            ghDependency       `json:"dependency"`
	SecurityAdvisory      ghSecurityAdvisory `json:"security_advisory"`
	SecurityVulnerability ghVulnerability    `json:"security_vulnerability"`
	URL                   string             `json:"url"`
	HTMLURL               string             `json:"html_url"`
	CreatedAt             string             `json:"created_at"`
	UpdatedAt             string             `json:"updated_at"`
	DismissedAt           *string            `json:"dismissed_at"`
	DismissedBy           *ghUser            `json:"dismissed_by"`
	DismissedReason       *string            `json:"dismissed_reason"`
	DismissedComment      *string            `json:"dismissed_comment"`
	FixedAt               *string            `json:"fixed_at"`
	AutoDismissedAt       *string            `json:"auto_dismissed_at"`
	Repository            ghAlertRepository  `json:"repository"`
}

type ghPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
}

type ghDependency struct {
	Package      ghPackage `json:"package"`
	ManifestPath string    `json:"manifest_path"`
	Scope        string    `json:"scope"`
}

type ghSecurityAdvisory struct {
	GHSAID          string            `json:"ghsa_id"`
	CVEID           *string           `json:"cve_id"`
	Summary         string            `json:"summary"`
	Description     string            `json:"description"`
	Severity        string            `json:"severity"`
	Identifiers     []ghIdentifier    `json:"identifiers"`
	References      []ghReference     `json:"references"`
	PublishedAt     string            `json:"published_at"`
	UpdatedAt       string            `json:"updated_at"`
	WithdrawnAt     *string           `json:"withdrawn_at"`
	Vulnerabilities []ghVulnerability `json:"vulnerabilities"`
	CVSS            ghCVSS            `json:"cvss"`
	CWEs            []ghCWE           `json:"cwes"`
}

type ghIdentifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type ghReference struct {
	URL string `json:"url"`
}

type ghVulnerability struct {
	Package                ghPackage  `json:"package"`
	Severity               string     `json:"severity"`
	VulnerableVersionRange string     `json:"vulnerable_version_range"`
	FirstPatchedVersion    *ghVersion `json:"first_patched_version"`
}

type ghVersion struct {
	Identifier string `json:"identifier"`
}

type ghCVSS struct {
	VectorString string  `json:"vector_string"`
	Score        float64 `json:"score"`
}

type ghCWE struct {
	CWEID string `json:"cwe_id"`
	Name  string `json:"name"`
}

type ghAlertRepository struct {
	ID       int64  `json:"id"`
	NodeID   string `json:"node_id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Private  bool   `json:"private"`
	Owner    ghUser `json:"owner"`
	HTMLURL  string `json:"html_url"`
	URL      string `json:"url"`
}

// ghAdvisoryRow is one advisory alerts are raised for. The rows are modelled on public
// advisories; scores, ranges and dates are illustrative.
type ghAdvisoryRow struct {
	ecosystem, pkg, manifest, ghsa, cve, summary, severity, vector string
	score                                                          float64
	vulnerable, patched, cwe, cweName                              string
}

// ghAdvisories covers every severity, a GHSA-only advisory (cve_id null) and one with
// no patched version (first_patched_version null). Read-only.
var ghAdvisories = [...]ghAdvisoryRow{
	{"npm", "lodash", "package-lock.json", "GHSA-35jh-r3h4-6jhm", "CVE-2021-23337", "Command Injection in lodash", "high",
		"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2, "< 4.17.21", "4.17.21", "CWE-77", "Improper Neutralization of Special Elements used in a Command"},
	{"npm", "minimist", "package-lock.json", "GHSA-xvch-5gv4-984h", "CVE-2021-44906", "Prototype Pollution in minimist", "critical",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "< 1.2.6", "1.2.6", "CWE-1321", "Improperly Controlled Modification of Object Prototype Attributes"},
	{"pip", "requests", "requirements.txt", "GHSA-j8r2-6x86-q33q", "CVE-2023-32681", "Unintended leak of Proxy-Authorization header in requests", "medium",
		"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1, ">= 2.3.0, < 2.31.0", "2.31.0", "CWE-200", "Exposure of Sensitive Information to an Unauthorized Actor"},
	{"maven", "com.fasterxml.jackson.core:jackson-databind", "pom.xml", "GHSA-57j2-w4cx-62h2", "CVE-2020-36518", "Deeply nested json in jackson-databind", "high",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "< 2.12.6.1", "2.12.6.1", "CWE-787", "Out-of-bounds Write"},
	{"go", "github.com/example/yamlx", "go.mod", "GHSA-m4pq-2r8w-vx3c", "", "Excessive memory use when parsing aliases in yamlx", "low",
		"CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:L", 3.1, "< 1.4.2", "1.4.2", "CWE-400", "Uncontrolled Resource Consumption"},
	{"npm", "request", "package-lock.json", "GHSA-p8p7-x288-28g6", "CVE-2023-28155", "Server-Side Request Forgery in Request", "medium",
		"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "<= 2.88.2", "", "CWE-918", "Server-Side Request Forgery (SSRF)"},
	{"pip", "pyyaml", "requirements.txt", "GHSA-8q59-q68h-6hv4", "CVE-2020-14343", "Improper Input Validation in PyYAML", "critical",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "< 5.4", "5.4", "CWE-20", "Improper Input Validation"},
	{"rubygems", "nokogiri", "Gemfile.lock", "GHSA-xc9x-jj77-9p9j", "CVE-2022-24836", "Inefficient Regular Expression Complexity in Nokogiri", "medium",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3, "< 1.13.4", "1.13.4", "CWE-1333", "Inefficient Regular Expression Complexity"},
	{"npm", "semver", "web/package-lock.json", "GHSA-c2qf-rxjj-qqgw", "CVE-2022-25883", "semver vulnerable to Regular Expression Denial of Service", "medium",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3, "< 5.7.2", "5.7.2", "CWE-1333", "Inefficient Regular Expression Complexity"},
}

// ghAlertState spreads a few fixed and dismissed alerts among the open ones.
func ghAlertState(j int) string {
	switch j % 12 {
	case 4:
		return "fixed"
	case 7:
		return "dismissed"
	case 10:
		return "auto_dismissed"
	}
	return "open"
}

// alert is alert j. It belongs to repository j mod repos; its number is unique within
// that repository, as GitHub numbers alerts per repository.
func (g *gitHub) alert(j int) ghAlert {
	r, a := j%g.repos, &ghAdvisories[j%len(ghAdvisories)]
	name := ghRepoName(r)
	number := 1 + j/g.repos + r*13%40
	created := time.Unix(ghNewest-int64(j*29+7)*3600, 0).UTC()
	updated := created.Add(time.Duration(j%30+1) * time.Hour)
	alert := ghAlert{
		Number: number, State: ghAlertState(j),
		Dependency:            ghDependency{Package: ghPackage{a.ecosystem, a.pkg}, ManifestPath: a.manifest, Scope: ghScope(j)},
		SecurityAdvisory:      ghAdvisory(a),
		SecurityVulnerability: ghAdvisoryVulnerability(a),
		URL:                   "https://api.github.com/repos/" + ghOrg + "/" + name + "/dependabot/alerts/" + strconv.Itoa(number),
		HTMLURL:               "https://github.com/" + ghOrg + "/" + name + "/security/dependabot/" + strconv.Itoa(number),
		CreatedAt:             created.Format(ghTimestamp), UpdatedAt: updated.Format(ghTimestamp),
		Repository: ghAlertRepository{
			ID: ghRepoID(r), NodeID: ghNodeID("R_kgDO", ghRepoID(r)), Name: name, FullName: ghOrg + "/" + name,
			Private: ghVisibility(r) != "public", Owner: ghOwner(),
			HTMLURL: "https://github.com/" + ghOrg + "/" + name, URL: "https://api.github.com/repos/" + ghOrg + "/" + name,
		},
	}
	closeAlert(&alert, updated.Format(ghTimestamp))
	return alert
}

// closeAlert fills the timestamps that belong to the alert's state.
func closeAlert(a *ghAlert, at string) {
	switch a.State {
	case "fixed":
		a.FixedAt = &at
	case "dismissed":
		reason, comment := "tolerable_risk", "Only reachable from the admin network."
		a.DismissedAt, a.DismissedReason, a.DismissedComment = &at, &reason, &comment
		a.DismissedBy = &ghUser{Login: "secops-lead", ID: 5001, NodeID: "U_kgDOAAATiQ", Type: "User"}
	case "auto_dismissed":
		a.AutoDismissedAt = &at
	}
}

func ghScope(j int) string {
	if j%4 == 3 {
		return "development"
	}
	return "runtime"
}

func ghAdvisory(a *ghAdvisoryRow) ghSecurityAdvisory {
	ids := []ghIdentifier{{"GHSA", a.ghsa}}
	var cve *string
	if a.cve != "" {
		c := a.cve
		cve = &c
		ids = append(ids, ghIdentifier{"CVE", a.cve})
	}
	return ghSecurityAdvisory{
		GHSAID: a.ghsa, CVEID: cve, Summary: a.summary,
		Description: a.summary + ". Upgrade " + a.pkg + " to a patched version.",
		Severity:    a.severity, Identifiers: ids,
		References:  []ghReference{{"https://github.com/advisories/" + a.ghsa}},
		PublishedAt: "2023-02-14T18:30:00Z", UpdatedAt: "2024-02-01T10:00:00Z",
		Vulnerabilities: []ghVulnerability{ghAdvisoryVulnerability(a)},
		CVSS:            ghCVSS{VectorString: a.vector, Score: a.score},
		CWEs:            []ghCWE{{a.cwe, a.cweName}},
	}
}

func ghAdvisoryVulnerability(a *ghAdvisoryRow) ghVulnerability {
	v := ghVulnerability{Package: ghPackage{a.ecosystem, a.pkg}, Severity: a.severity, VulnerableVersionRange: a.vulnerable}
	if a.patched != "" {
		v.FirstPatchedVersion = &ghVersion{a.patched}
	}
	return v
}
