package mock

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const (
	ivmUsername       = "mock-admin"
	ivmPassword       = "mock-password-do-not-use-0123"
	ivmConsoleURL     = "https://insightvm.example.com:3780"
	ivmDefaultRecords = 120
	ivmMaxSize        = 500
	ivmJSON           = "application/json;charset=UTF-8"
)

func insightVMVendor() Vendor {
	return Vendor{
		Name:  "insightvm",
		Hosts: []string{"insightvm.example.com"},
		Vars: map[string]string{
			"console_url": ivmConsoleURL,
			"username":    ivmUsername,
			"password":    ivmPassword,
		},
		New: newInsightVM,
	}
}

// insightVM mocks the Security Console API v3 of an on-premises console.
type insightVM struct {
	total int
}

func newInsightVM(opt Options) http.Handler {
	return newHandler(&insightVM{total: recordCount(opt.Records, ivmDefaultRecords)}, opt.Faults)
}

func (v *insightVM) isToken(*http.Request) bool { return false }
func (v *insightVM) revokeTokens()              {}

// headers sends nothing extra: the console has no rate-limit headers.
func (v *insightVM) headers(http.Header, *http.Request, int) {}

// fault answers a server error with 503, the console's answer while it starts up or is
// in maintenance; both faults carry the Retry-After the API documents.
func (v *insightVM) fault(k faultKind, r *http.Request, _ int) reply {
	rep := ivmError(r, http.StatusTooManyRequests, "Too many requests. Try again later.")
	if k == serverError {
		rep = ivmError(r, http.StatusServiceUnavailable, "The Security Console is starting up or in maintenance mode. Try again later.")
	}
	rep.header.Set("Retry-After", "1")
	return rep
}

func (v *insightVM) serve(r *http.Request, _ int) reply {
	if user, pass, ok := r.BasicAuth(); !ok || user != ivmUsername || pass != ivmPassword {
		return ivmError(r, http.StatusUnauthorized, "Authentication required.")
	}
	if r.Method != http.MethodGet {
		return ivmError(r, http.StatusMethodNotAllowed, "The HTTP method "+r.Method+" is not supported by this resource.")
	}
	switch strings.TrimSuffix(r.URL.Path, "/") {
	case "/api/3":
		return newReply(http.StatusOK, ivmJSON, mustJSON(ivmRoot(r)))
	case "/api/3/assets":
		return v.listAssets(r)
	}
	return ivmError(r, http.StatusNotFound, "The requested resource was not found.")
}

type ivmLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

type ivmRootBody struct {
	Links []ivmLink `json:"links"`
}

func ivmRoot(r *http.Request) ivmRootBody {
	base := "https://" + r.Host + "/api/3"
	links := []ivmLink{{base, "self"}}
	for _, rel := range []string{"assets", "sites", "vulnerabilities", "scans"} {
		links = append(links, ivmLink{base + "/" + rel, rel})
	}
	return ivmRootBody{links}
}

// ivmPageInfo is the page block of every v3 collection.
type ivmPageInfo struct {
	Number         int `json:"number"`
	Size           int `json:"size"`
	TotalResources int `json:"totalResources"`
	TotalPages     int `json:"totalPages"`
}

type ivmAssetPage struct {
	Resources []ivmAsset  `json:"resources"`
	Page      ivmPageInfo `json:"page"`
	Links     []ivmLink   `json:"links"`
}

// listAssets implements GET /api/3/assets: zero-based page, size up to 500 (larger
// sizes are clamped), assets in id order whatever sort says, and 404 past the end.
func (v *insightVM) listAssets(r *http.Request) reply {
	q := r.URL.Query()
	page, okPage := ivmIntParam(q.Get("page"), 0)
	size, okSize := ivmIntParam(q.Get("size"), 10)
	if !okPage || !okSize || size < 1 {
		return ivmError(r, http.StatusBadRequest, "The page and size parameters must be non-negative integers, with size at least 1.")
	}
	size = min(size, ivmMaxSize)
	info := ivmPageInfo{Number: page, Size: size, TotalResources: v.total, TotalPages: (v.total + size - 1) / size}
	if page >= max(info.TotalPages, 1) {
		return ivmError(r, http.StatusNotFound, "The requested page is out of range.")
	}
	body := ivmAssetPage{Resources: []ivmAsset{}, Page: info, Links: ivmPageLinks(r, q, info)}
	for i := page * size; i < min((page+1)*size, v.total); i++ {
		body.Resources = append(body.Resources, ivmAssetRecord(r.Host, i))
	}
	return newReply(http.StatusOK, ivmJSON, mustJSON(body))
}

// ivmPageLinks lists first, prev, self, next and last, each present only when it
// points at a real page; an empty collection has only self.
func ivmPageLinks(r *http.Request, q url.Values, info ivmPageInfo) []ivmLink {
	href := func(p int) string { return ivmPageURL(r.Host, q, p, info.Size) }
	if info.TotalPages == 0 {
		return []ivmLink{{href(info.Number), "self"}}
	}
	links := []ivmLink{{href(0), "first"}}
	if info.Number > 0 {
		links = append(links, ivmLink{href(info.Number - 1), "prev"})
	}
	links = append(links, ivmLink{href(info.Number), "self"})
	if info.Number+1 < info.TotalPages {
		links = append(links, ivmLink{href(info.Number + 1), "next"})
	}
	return append(links, ivmLink{href(info.TotalPages - 1), "last"})
}

// ivmPageURL carries the request's other parameters, with sort last and its comma
// unescaped, the way the console writes sort=id,asc.
func ivmPageURL(host string, q url.Values, page, size int) string {
	s := "https://" + host + "/api/3/assets?page=" + strconv.Itoa(page) + "&size=" + strconv.Itoa(size)
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if k == "page" || k == "size" || k == "sort" {
			continue
		}
		for _, v := range q[k] {
			s += "&" + url.QueryEscape(k) + "=" + url.QueryEscape(v)
		}
	}
	for _, v := range q["sort"] {
		s += "&sort=" + strings.ReplaceAll(url.QueryEscape(v), "%2C", ",")
	}
	return s
}

// ivmIntParam reads a non-negative integer parameter with a default.
func ivmIntParam(s string, def int) (int, bool) {
	if s == "" {
		return def, true
	}
	v, err := strconv.Atoi(s)
	return v, err == nil && v >= 0 && v <= 1<<31
}

type ivmErrorBody struct {
	Status  int       `json:"status"`
	Message string    `json:"message"`
	Links   []ivmLink `json:"links"`
}

func ivmError(r *http.Request, status int, msg string) reply {
	self := ivmLink{"https://" + r.Host + r.URL.RequestURI(), "self"}
	return newReply(status, ivmJSON, mustJSON(ivmErrorBody{Status: status, Message: msg, Links: []ivmLink{self}}))
}
