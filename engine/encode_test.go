package engine

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"testing"
)

// stdLine is what encoding/json writes for a record: the reference appendRecord must match.
func stdLine(t testing.TB, r *Record) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	yes := true
	strs := []string{"", "plain", `quote " back \ slash`, "tab\tnl\ncr\r\b\f\x01\x1f", "<html>&amp;", "ünïcödé 日本", "bad \xff utf8", "sep \u2028 \u2029", "emoji 🚀"}
	var vals []any
	for _, s := range strs {
		vals = append(vals, s)
	}
	vals = append(vals, nil, true, false, 0, -7, 1<<62, 3.5, 1e21, 1e-7, 1e20, 0.000001, -2.5e-10, 123456789.125,
		json.Number("9007199254740993"), json.Number("1.10"), json.Number("-0"), json.Number("1e5"), json.Number(""),
		new(big.Int).Lsh(big.NewInt(1), 100), []any{}, []any{"a", 1, nil}, map[string]any{}, map[string]any{"z": 1, "a": []any{map[string]any{"b": "c"}}})
	for i, v := range vals {
		s := strs[i%len(strs)]
		recs := []*Record{
			{Kind: KindAsset, Integration: s, Stream: "st", Data: &Asset{Key: s, Class: "host", Name: s, Hostnames: []string{s, "x"},
				IPs: []string{"10.0.0.1"}, Cloud: &Cloud{Region: s}, Status: s, Attributes: map[string]any{"v": v, s: s}, Source: Source{Integration: "i", Stream: s, VendorID: s}}},
			{Kind: KindFinding, Integration: "i", Stream: "s", Data: &Finding{Key: s, AssetKey: "a", Name: s, CVEs: []string{"CVE-2024-0001"},
				Severity: "high", CVSS: v, Status: "open", Remote: &yes, Evidence: s, Attributes: map[string]any{"v": v}}},
			{Kind: KindAsset, Data: &Asset{}},
			{Kind: KindFinding, Data: &Finding{}},
			{Kind: KindAsset, Data: &Asset{Cloud: &Cloud{}}},
		}
		for _, r := range recs {
			want := stdLine(t, r)
			got, err := appendRecord(nil, r)
			if err != nil || string(got) != want {
				t.Errorf("value %#v:\n got %s (%v)\nwant %s", v, got, err, want)
			}
		}
	}
}

func TestAppendRecordRejectsWhatJSONRejects(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), json.Number("12abc"), make(chan int)} {
		if _, err := appendRecord(nil, &Record{Kind: KindAsset, Data: &Asset{Attributes: map[string]any{"v": v}}}); err == nil {
			t.Errorf("%v was encoded", v)
		}
	}
}

func BenchmarkEncodeRecord(b *testing.B) {
	r := &Record{Kind: KindAsset, Integration: "crowdstrike", Stream: "hosts", Data: &Asset{Key: "crowdstrike:host:1", Class: "host", Name: "host-1",
		Hostnames: []string{"host-1", "host-1.corp.example.com"}, IPs: []string{"10.0.0.1", "192.0.2.1"}, MACs: []string{"08:00:27:00:00:01"},
		OS: "Windows Server 2022", Status: "active", FirstSeen: "2024-01-01T00:00:00Z", LastSeen: "2024-05-01T00:00:00Z",
		Attributes: map[string]any{"platform": "Windows", "agent_version": "7.10", "serial_number": "VMW-1", "tags": []any{"prod"}, "cid": "abc"},
		Source:     Source{Integration: "crowdstrike", Stream: "hosts", VendorID: "1"}}}
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			stdLine(b, r)
		}
	})
	b.Run("appendRecord", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 4096)
		for b.Loop() {
			buf, _ = appendRecord(buf[:0], r)
		}
	})
}
