package mock_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/integrate-dev/integrate/definitions/mock"
)

const ivmAssets = "https://insightvm.example.com:3780/api/3/assets"

type ivmPage struct {
	Resources []map[string]any `json:"resources"`
	Page      struct {
		Number, Size, TotalResources, TotalPages int
	} `json:"page"`
	Links []struct{ Href, Rel string } `json:"links"`
}

func (p ivmPage) rels() string {
	var b strings.Builder
	for _, l := range p.Links {
		b.WriteString(l.Rel + "=" + strings.TrimPrefix(l.Href, ivmAssets) + " ")
	}
	return strings.TrimSpace(b.String())
}

func TestInsightVMPages(t *testing.T) {
	cases := []struct {
		records   int
		query     string
		wantPage  string
		wantLinks string
	}{
		{0, "?page=0&size=50&sort=id,asc", "0 50 120 3",
			"first=?page=0&size=50&sort=id,asc self=?page=0&size=50&sort=id,asc next=?page=1&size=50&sort=id,asc last=?page=2&size=50&sort=id,asc"},
		{0, "?page=1&size=50&sort=id,asc", "1 50 120 3",
			"first=?page=0&size=50&sort=id,asc prev=?page=0&size=50&sort=id,asc self=?page=1&size=50&sort=id,asc next=?page=2&size=50&sort=id,asc last=?page=2&size=50&sort=id,asc"},
		{0, "?page=2&size=50", "2 50 120 3",
			"first=?page=0&size=50 prev=?page=1&size=50 self=?page=2&size=50 last=?page=2&size=50"},
		{0, "?size=1000", "0 500 120 1", "first=?page=0&size=500 self=?page=0&size=500 last=?page=0&size=500"},
		{-1, "?page=0&size=10", "0 10 0 0", "self=?page=0&size=10"},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			s := newSession(t, "insightvm", mock.Options{Records: c.records})
			resp, body := s.get(ivmAssets + c.query)
			var page ivmPage
			decode(t, body, &page)
			p := page.Page
			got := fmt.Sprint(p.Number, " ", p.Size, " ", p.TotalResources, " ", p.TotalPages)
			if resp.StatusCode != 200 || got != c.wantPage || page.rels() != c.wantLinks {
				t.Errorf("got %s page %s links\n%s\nwant page %s links\n%s", resp.Status, got, page.rels(), c.wantPage, c.wantLinks)
			}
			if len(resp.Header.Values("X-RateLimit-Limit")) != 0 {
				t.Error("the console sends no rate-limit headers")
			}
		})
	}
}

func TestInsightVMErrors(t *testing.T) {
	cases := []struct {
		records   int
		url, want string
		status    int
	}{
		{0, ivmAssets + "?page=3&size=50", `{"status":404,"message":"The requested page is out of range.","links":[{"href":"https://insightvm.example.com:3780/api/3/assets?page=3&size=50","rel":"self"}]}`, 404},
		{-1, ivmAssets + "?page=1", `"message":"The requested page is out of range."`, 404},
		{0, ivmAssets + "?page=-1", `{"status":400,`, 400},
		{0, ivmAssets + "?size=abc", `{"status":400,`, 400},
		{0, "https://insightvm.example.com:3780/api/3/nope", `{"status":404,`, 404},
		{0, "https://insightvm.example.com:3780/api/3", `{"links":[{"href":"https://insightvm.example.com:3780/api/3","rel":"self"},`, 200},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			s := newSession(t, "insightvm", mock.Options{Records: c.records})
			resp, body := s.get(c.url)
			if resp.StatusCode != c.status || !strings.Contains(string(body), c.want) {
				t.Errorf("got %s %s, want %d with %s", resp.Status, body, c.status, c.want)
			}
		})
	}
}

func TestInsightVMAssetShape(t *testing.T) {
	s := newSession(t, "insightvm", mock.Options{})
	_, body := s.get(ivmAssets + "?size=500&sort=id,asc")
	var page ivmPage
	decode(t, body, &page)
	mac := regexp.MustCompile(`^([0-9A-F]{2}:){5}[0-9A-F]{2}$`)
	var lastID float64
	noName, importLast := 0, 0
	for _, a := range page.Resources {
		id, _ := a["id"].(json.Number).Float64()
		if id <= lastID {
			t.Errorf("ids not ascending: %v after %v", id, lastID)
		}
		lastID = id
		if m, ok := a["mac"]; ok && !mac.MatchString(m.(string)) {
			t.Errorf("mac %v is not UPPERCASE colon form", m)
		}
		if _, ok := a["hostName"]; !ok {
			noName++
		}
		history := a["history"].([]any)
		if history[len(history)-1].(map[string]any)["type"] != "SCAN" {
			importLast++
		}
	}
	if noName == 0 || importLast == 0 {
		t.Errorf("%d assets without hostName, %d whose last history entry is not a scan; want some of each", noName, importLast)
	}
}
