package definitions_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/integrate-dev/integrate/definitions/mock"
	"github.com/integrate-dev/integrate/dsl"
	"github.com/integrate-dev/integrate/engine"
)

// The speed claim of the engine: BenchmarkCrowdStrike runs the shipped CrowdStrike
// definition and, in the same run, a hand-written Go loop doing the same requests and
// the same mapping, against one mock serving the same hosts. Compare with
//
//	go test -run='^$' -bench=CrowdStrike -benchmem ./definitions
//
// and read hosts/s (throughput) and peak-heap-MB (memory) side by side; the README
// records the ratio.

const pageSize = 5000

// -hosts sets the sizes measured; -hosts=1000000 shows memory does not follow the
// number of records.
var benchHosts = flag.String("hosts", "10000,100000", "comma-separated host counts for BenchmarkCrowdStrike")

func BenchmarkCrowdStrike(b *testing.B) {
	for _, f := range strings.Split(*benchHosts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("-hosts: %q is not a positive number", f)
		}
		srv := mock.Start(crowdstrike(b), mock.Options{Records: n})
		b.Run(fmt.Sprintf("engine/hosts=%d", n), func(b *testing.B) { benchEngine(b, srv, n) })
		b.Run(fmt.Sprintf("handwritten/hosts=%d", n), func(b *testing.B) { benchHandwritten(b, srv, n) })
		srv.Close()
	}
}

func crowdstrike(tb testing.TB) mock.Vendor {
	v, ok := mock.Lookup("crowdstrike")
	if !ok {
		tb.Fatal("no crowdstrike mock")
	}
	return v
}

// countingSink counts records and encodes them as the JSONL sink does, to io.Discard.
// It takes lines (engine.LineEncoder) as the JSONL sink does, so the engine encodes on
// every core exactly as in `integrate run`.
type countingSink struct {
	inner *engine.JSONLSink
	n     int
}

func (s *countingSink) EncodesLines() {}

func (s *countingSink) WritePage(ctx context.Context, recs []engine.Record) error {
	s.n += len(recs)
	return s.inner.WritePage(ctx, recs)
}

func (s *countingSink) Close() error { return s.inner.Close() }

func buildCrowdStrike(tb testing.TB) *engine.Integration {
	def, diags := dsl.Load("crowdstrike.hcl")
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	v := crowdstrike(tb)
	vars := []string{"page_size=" + fmt.Sprint(pageSize)}
	for k, val := range v.Vars {
		vars = append(vars, k+"="+val)
	}
	vals, diags := dsl.ResolveConfig(def, dsl.ConfigSources{Vars: vars})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	ig, diags := dsl.Build(def, vals, dsl.BuildOptions{Now: time.Unix(0, 0)})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	ig.HTTP.RateLimit = engine.RateLimit{} // the benchmark measures work, not pacing
	return ig
}

func benchEngine(b *testing.B, srv *mock.Server, n int) {
	ig := buildCrowdStrike(b)
	peak := watchHeap(b)
	cpu := cpuTime(b)
	b.ReportAllocs()
	for b.Loop() {
		sink := &countingSink{inner: engine.NewJSONLSink(io.Discard)}
		res, err := engine.Run(context.Background(), ig, sink, engine.Options{Transport: srv.Transport()})
		if err != nil || res.Partial() || sink.n != n {
			b.Fatalf("run: %v partial=%v records=%d", err, res != nil && res.Partial(), sink.n)
		}
	}
	report(b, n, peak, cpu)
}

func benchHandwritten(b *testing.B, srv *mock.Server, n int) {
	client := &http.Client{Transport: srv.Transport()}
	peak := watchHeap(b)
	cpu := cpuTime(b)
	b.ReportAllocs()
	for b.Loop() {
		got, err := handwritten(client, crowdstrike(b).Vars, io.Discard)
		if err != nil || got != n {
			b.Fatalf("handwritten: %v records=%d", err, got)
		}
	}
	report(b, n, peak, cpu)
}

func report(b *testing.B, n int, peak func() float64, cpu func() time.Duration) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "hosts/s")
	b.ReportMetric(peak(), "peak-heap-MB")
	// CPU time of the whole process (the mock included, which both sides share) per
	// host: the engine maps on every core, so its throughput can exceed the
	// single-threaded loop's while it spends more CPU per host.
	b.ReportMetric(float64(cpu().Microseconds())/float64(n*b.N), "cpu-µs/host")
}

// cpuTime returns a function giving the process CPU time (user and system) since now.
func cpuTime(b *testing.B) func() time.Duration {
	used := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := used()
	return func() time.Duration { return used() - start }
}

// watchHeap samples the live heap while the benchmark runs and returns its peak in MB.
func watchHeap(b *testing.B) func() float64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(stop)
		wg.Wait()
		return float64(peak.Load()) / (1 << 20)
	}
}

// ---- the hand-written integration: what each vendor used to be ----

type csDevice struct {
	DeviceID             string   `json:"device_id"`
	CID                  string   `json:"cid"`
	Hostname             string   `json:"hostname"`
	MachineDomain        string   `json:"machine_domain"`
	LocalIP              string   `json:"local_ip"`
	ConnectionIP         string   `json:"connection_ip"`
	ExternalIP           string   `json:"external_ip"`
	MACAddress           string   `json:"mac_address"`
	ConnectionMACAddress string   `json:"connection_mac_address"`
	PlatformName         string   `json:"platform_name"`
	OSVersion            string   `json:"os_version"`
	OSProductName        string   `json:"os_product_name"`
	OSBuild              string   `json:"os_build"`
	AgentVersion         string   `json:"agent_version"`
	SerialNumber         string   `json:"serial_number"`
	SystemManufacturer   string   `json:"system_manufacturer"`
	InstanceID           string   `json:"instance_id"`
	ServiceProvider      string   `json:"service_provider"`
	ServiceProviderAcct  string   `json:"service_provider_account_id"`
	FirstSeen            string   `json:"first_seen"`
	LastSeen             string   `json:"last_seen"`
	Status               string   `json:"status"`
	Tags                 []string `json:"tags"`
}

type csPage struct {
	Meta struct {
		Pagination struct {
			Offset string `json:"offset"`
		} `json:"pagination"`
	} `json:"meta"`
	Resources []csDevice `json:"resources"`
}

type hwRecord struct {
	Kind        string        `json:"kind"`
	Integration string        `json:"integration"`
	Stream      string        `json:"stream"`
	Data        *engine.Asset `json:"data"`
}

// handwritten fetches a token, pages through the hosts and writes the same records the
// definition does, the way a careful hand-written integration would.
func handwritten(client *http.Client, vars map[string]string, w io.Writer) (int, error) {
	const base = "https://api.crowdstrike.com"
	form := url.Values{"client_id": {vars["client_id"]}, "client_secret": {vars["client_secret"]}}
	resp, err := client.PostForm(base+"/oauth2/token", form)
	if err != nil {
		return 0, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	count, offset := 0, ""
	for {
		q := url.Values{"limit": {fmt.Sprint(pageSize)}, "sort": {"hostname.asc"}}
		if offset != "" {
			q.Set("offset", offset)
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/devices/combined/devices/v1?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return count, err
		}
		var page csPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return count, err
		}
		for i := range page.Resources {
			if err := enc.Encode(hwRecord{"asset", "crowdstrike", "hosts", mapDevice(&page.Resources[i])}); err != nil {
				return count, err
			}
			count++
		}
		offset = page.Meta.Pagination.Offset
		if offset == "" || len(page.Resources) == 0 {
			return count, nil
		}
	}
}

func mapDevice(d *csDevice) *engine.Asset {
	a := &engine.Asset{Key: "crowdstrike:host:" + d.DeviceID, Class: "host", Name: d.Hostname,
		Source: engine.Source{Integration: "crowdstrike", Stream: "hosts", VendorID: d.DeviceID}}
	a.Hostnames = nonEmpty(d.Hostname)
	if d.MachineDomain != "" {
		a.Hostnames = append(a.Hostnames, d.Hostname+"."+d.MachineDomain)
	}
	a.IPs = unique(nonEmpty(d.LocalIP, d.ConnectionIP, d.ExternalIP))
	var macs []string
	for _, m := range nonEmpty(d.MACAddress, d.ConnectionMACAddress) {
		if nm, ok := engine.NormalizeMAC(m); ok {
			macs = append(macs, nm)
		}
	}
	a.MACs = unique(macs)
	os := d.OSProductName
	if os == "" {
		os = d.OSVersion
	}
	a.OS = strings.Join(nonEmpty(os, d.OSBuild), " build ")
	if d.InstanceID != "" {
		a.Cloud = &engine.Cloud{Provider: strings.ToLower(strings.Split(d.ServiceProvider, "_")[0]), Account: d.ServiceProviderAcct, ResourceID: d.InstanceID}
	}
	a.Status = "inactive"
	if d.Status == "normal" || d.Status == "containment_pending" || d.Status == "contained" {
		a.Status = "active"
	}
	a.FirstSeen, a.LastSeen = rfc3339(d.FirstSeen), rfc3339(d.LastSeen)
	a.Attributes = map[string]any{}
	for k, v := range map[string]string{"platform": d.PlatformName, "agent_version": d.AgentVersion, "serial_number": d.SerialNumber,
		"manufacturer": d.SystemManufacturer, "containment": d.Status, "cid": d.CID} {
		if v != "" {
			a.Attributes[k] = v
		}
	}
	if len(d.Tags) > 0 {
		a.Attributes["tags"] = d.Tags
	}
	return a
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func unique(vals []string) []string {
	var out []string
	for _, v := range vals {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func rfc3339(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// TestHandwrittenMatchesDefinition keeps the benchmark honest: the hand-written loop
// must write exactly what the definition writes, or the comparison means nothing.
func TestHandwrittenMatchesDefinition(t *testing.T) {
	srv := mock.Start(crowdstrike(t), mock.Options{Records: 250})
	defer srv.Close()
	var hw, eng strings.Builder
	if _, err := handwritten(&http.Client{Transport: srv.Transport()}, crowdstrike(t).Vars, &hw); err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), buildCrowdStrike(t), engine.NewJSONLSink(&eng), engine.Options{Transport: srv.Transport()})
	if err != nil || res.Partial() {
		t.Fatalf("%v %+v", err, res)
	}
	hl, el := strings.Split(hw.String(), "\n"), strings.Split(eng.String(), "\n")
	if len(hl) != 251 || len(hl) != len(el) {
		t.Fatalf("hand-written %d lines, engine %d", len(hl), len(el))
	}
	for i := range hl {
		if hl[i] != el[i] {
			t.Fatalf("line %d differs:\n  hand-written: %s\n  engine:       %s", i+1, hl[i], el[i])
		}
	}
}
