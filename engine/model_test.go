package engine

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// obj decodes a JSON object the way records reach the model (json.Number numbers).
func obj(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

var testSource = Source{Integration: "acme", Stream: "hosts"}

func TestNewAsset(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Asset
	}{
		{"minimal", `{"key":"h1","class":"host"}`, Asset{Key: "h1", Class: "host", Source: testSource}},
		{"numeric key", `{"key":12345678901234567890,"class":"ip"}`, Asset{Key: "12345678901234567890", Class: "ip", Source: testSource}},
		{"normalized", `{
			"key":"h1","class":"host","name":"web-01","os":"Ubuntu 22.04","status":"active",
			"hostnames":["Web-01.Example.COM.","web-01.example.com","",null,"db"],
			"ips":["10.0.0.1"," 10.0.0.2 ","::ffff:10.0.0.3","2001:DB8:0:0:0:0:0:1","10.0.0.1"],
			"macs":["08-00-27-51-56-D8","0800.2751.56d8","08002751 56d8","AA:BB:CC:DD:EE:FF"],
			"cloud":{"provider":"aws","account":"123456789012","region":"eu-west-1","resource_id":"i-0abc"},
			"first_seen":"2024-03-01T10:00:00+02:00","last_seen":"2024-03-01T08:00:00.123456Z",
			"attributes":{"agent_version":"7.1","tags":["a"]},
			"source":{"vendor_id":"aid-1"}}`,
			Asset{Key: "h1", Class: "host", Name: "web-01", OS: "Ubuntu 22.04", Status: "active",
				Hostnames: []string{"web-01.example.com", "db"},
				IPs:       []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "2001:db8::1"},
				MACs:      []string{"08:00:27:51:56:d8", "aa:bb:cc:dd:ee:ff"},
				Cloud:     &Cloud{Provider: "aws", Account: "123456789012", Region: "eu-west-1", ResourceID: "i-0abc"},
				FirstSeen: "2024-03-01T08:00:00Z", LastSeen: "2024-03-01T08:00:00Z",
				Attributes: map[string]any{"agent_version": "7.1", "tags": []any{"a"}},
				Source:     Source{Integration: "acme", Stream: "hosts", VendorID: "aid-1"}}},
		{"nulls are absent", `{"key":"h1","class":"host","name":null,"ips":null,"cloud":null,"status":null,"first_seen":null,"attributes":null,"source":null}`,
			Asset{Key: "h1", Class: "host", Source: testSource}},
		{"empty cloud and attributes are absent", `{"key":"h1","class":"host","cloud":{},"attributes":{}}`,
			Asset{Key: "h1", Class: "host", Source: testSource}},
		{"numeric vendor id stays exact", `{"key":"h1","class":"host","source":{"vendor_id":12345678901234567890}}`,
			Asset{Key: "h1", Class: "host", Source: Source{Integration: "acme", Stream: "hosts", VendorID: "12345678901234567890"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := NewAsset(obj(t, tt.in), testSource)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestNewAssetErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []FieldError
	}{
		{"missing key and class", `{}`, []FieldError{{"key", "is required"}, {"class", "is required"}}},
		{"null key", `{"key":null,"class":"host"}`, []FieldError{{"key", "is required"}}},
		{"empty key", `{"key":"","class":"host"}`, []FieldError{{"key", "must not be empty"}}},
		{"key not a string", `{"key":true,"class":"host"}`, []FieldError{{"key", "must be a string, got a boolean"}}},
		{"key an object", `{"key":{"id":1},"class":"host"}`, []FieldError{{"key", "must be a string, got an object"}}},
		// "acme:host:\(.id)" on a record without id: every such record would share one key.
		{"key from a missing value", `{"key":"acme:host:null","class":"host"}`,
			[]FieldError{{"key", `"acme:host:null" ends in null: the mapping put a missing value in the key; guard it, e.g. \(.id // error("no id"))`}}},
		{"null after another separator may be a name", `{"key":"acme:host:dev-null","class":"host"}`, nil},
		{"null after a slash may be a name", `{"key":"acme/null","class":"host"}`, nil},
		{"null inside a word is a name", `{"key":"acme:host:devnull","class":"host"}`, nil},
		{"the key null alone is a name", `{"key":"null","class":"host"}`, nil},
		{"unknown class", `{"key":"h","class":"server"}`,
			[]FieldError{{"class", `"server" is not one of application, cloud_resource, container_image, domain, host, ip, repository, user`}}},
		{"enums are case-sensitive", `{"key":"h","class":"Host"}`,
			[]FieldError{{"class", `"Host" is not one of application, cloud_resource, container_image, domain, host, ip, repository, user`}}},
		{"unknown status", `{"key":"h","class":"host","status":"up"}`, []FieldError{{"status", `"up" is not one of active, deleted, inactive`}}},
		{"bad IP", `{"key":"h","class":"host","ips":["10.0.0.1","10.0.0.300","10.0.0.0/24"]}`,
			[]FieldError{{"ips[1]", `"10.0.0.300" is not an IP address`}, {"ips[2]", `"10.0.0.0/24" is not an IP address`}}},
		{"ips not a list", `{"key":"h","class":"host","ips":"10.0.0.1"}`, []FieldError{{"ips", "must be a list of strings, got a string"}}},
		{"ip not a string", `{"key":"h","class":"host","ips":[167772161]}`, []FieldError{{"ips[0]", "must be a string, got a number"}}},
		{"bad MAC", `{"key":"h","class":"host","macs":["08:00:27:51:56","zz:00:27:51:56:d8"]}`,
			[]FieldError{{"macs[0]", `"08:00:27:51:56" is not a MAC address`}, {"macs[1]", `"zz:00:27:51:56:d8" is not a MAC address`}}},
		{"bad hostname", `{"key":"h","class":"host","hostnames":["web 01","a/b","user@host"]}`,
			[]FieldError{{"hostnames[0]", `"web 01" is not a host name`}, {"hostnames[1]", `"a/b" is not a host name`}, {"hostnames[2]", `"user@host" is not a host name`}}},
		{"time not RFC 3339", `{"key":"h","class":"host","first_seen":"2024-03-01 10:00:00","last_seen":"1709287200"}`,
			[]FieldError{{"first_seen", `"2024-03-01 10:00:00" is not an RFC 3339 time (use to_rfc3339 in the mapping)`},
				{"last_seen", `"1709287200" is not an RFC 3339 time (use to_rfc3339 in the mapping)`}}},
		{"time a number", `{"key":"h","class":"host","first_seen":1709287200}`,
			[]FieldError{{"first_seen", `1709287200 is a number, not an RFC 3339 time: pass it through to_rfc3339 in the mapping`}}},
		{"unknown field with a suggestion", `{"key":"h","class":"host","hostname":"x","ip":"1.2.3.4"}`,
			[]FieldError{{"hostname", `is not a field of the model; did you mean "hostnames"?`}, {"ip", `is not a field of the model; did you mean "ips"?`}}},
		{"unknown field without a suggestion", `{"key":"h","class":"host","agent_version":"7"}`,
			[]FieldError{{"agent_version", "is not a field of the model; put vendor-specific values under attributes"}}},
		{"unknown cloud field", `{"key":"h","class":"host","cloud":{"regoin":"eu"}}`,
			[]FieldError{{"cloud.regoin", `is not a field of the model; did you mean "region"?`}}},
		{"cloud not an object", `{"key":"h","class":"host","cloud":"aws"}`, []FieldError{{"cloud", "must be an object, got a string"}}},
		{"attributes not an object", `{"key":"h","class":"host","attributes":[1]}`, []FieldError{{"attributes", "must be an object, got a list"}}},
		{"source fields other than vendor_id", `{"key":"h","class":"host","source":{"integration":"other"}}`,
			[]FieldError{{"source.integration", "only source.vendor_id may be set by a mapping"}}},
		{"several source errors in a stable order", `{"key":"h","class":"host","source":{"stream":"x","integration":"y","vendor_id":"v","kind":"z"}}`,
			[]FieldError{{"source.integration", "only source.vendor_id may be set by a mapping"},
				{"source.kind", "only source.vendor_id may be set by a mapping"},
				{"source.stream", "only source.vendor_id may be set by a mapping"}}},
		{"vendor id not a scalar", `{"key":"h","class":"host","source":{"vendor_id":{"id":1}}}`,
			[]FieldError{{"source.vendor_id", "must be a string, got an object"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := NewAsset(obj(t, tt.in), testSource)
			if !reflect.DeepEqual(errs, tt.want) {
				t.Errorf("errors:\n got %v\nwant %v", errs, tt.want)
			}
		})
	}
}

func TestNewFinding(t *testing.T) {
	yes := true
	tests := []struct {
		name string
		in   string
		want Finding
	}{
		{"minimal", `{"key":"f1","asset_key":"h1","name":"Log4Shell","severity":"critical","status":"open"}`,
			Finding{Key: "f1", AssetKey: "h1", Name: "Log4Shell", Severity: "critical", Status: "open", Source: testSource}},
		{"full", `{"key":"f1","asset_key":"h1","name":"Log4Shell","severity":"high","status":"fixed",
			"cves":["cve-2021-44228"," CVE-2021-44228","CVE-2021-45046","CVE-2023-1234567"],"cvss":9.8,"remote":true,
			"first_found":"2021-12-10T00:00:00-05:00","last_found":"2021-12-11T00:00:00Z",
			"evidence":"jndi lookup","remediation":"upgrade","attributes":{"qid":376157},"source":{"vendor_id":"vuln-1"}}`,
			Finding{Key: "f1", AssetKey: "h1", Name: "Log4Shell", Severity: "high", Status: "fixed",
				CVEs: []string{"CVE-2021-44228", "CVE-2021-45046", "CVE-2023-1234567"}, CVSS: json.Number("9.8"), Remote: &yes,
				FirstFound: "2021-12-10T05:00:00Z", LastFound: "2021-12-11T00:00:00Z", Evidence: "jndi lookup", Remediation: "upgrade",
				Attributes: map[string]any{"qid": json.Number("376157")},
				Source:     Source{Integration: "acme", Stream: "hosts", VendorID: "vuln-1"}}},
		{"cvss bounds", `{"key":"f","asset_key":"h","name":"n","severity":"info","status":"accepted","cvss":0}`,
			Finding{Key: "f", AssetKey: "h", Name: "n", Severity: "info", Status: "accepted", CVSS: json.Number("0"), Source: testSource}},
		{"cvss ten", `{"key":"f","asset_key":"h","name":"n","severity":"low","status":"open","cvss":10.0}`,
			Finding{Key: "f", AssetKey: "h", Name: "n", Severity: "low", Status: "open", CVSS: json.Number("10.0"), Source: testSource}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := NewFinding(obj(t, tt.in), testSource)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestNewFindingErrors(t *testing.T) {
	const base = `"key":"f","asset_key":"h","name":"n","severity":"high","status":"open"`
	tests := []struct {
		name string
		in   string
		want []FieldError
	}{
		{"every required field", `{}`, []FieldError{{"key", "is required"}, {"asset_key", "is required"},
			{"name", "is required"}, {"severity", "is required"}, {"status", "is required"}}},
		{"asset key from a missing value", `{"key":"f","asset_key":"acme:host:null","name":"n","severity":"high","status":"open"}`,
			[]FieldError{{"asset_key", `"acme:host:null" ends in null: the mapping put a missing value in the key; guard it, e.g. \(.id // error("no id"))`}}},
		{"severity is case-sensitive", `{"key":"f","asset_key":"h","name":"n","severity":"High","status":"open"}`,
			[]FieldError{{"severity", `"High" is not one of info, low, medium, high, critical`}}},
		{"unknown status", `{"key":"f","asset_key":"h","name":"n","severity":"high","status":"closed"}`,
			[]FieldError{{"status", `"closed" is not one of accepted, fixed, open`}}},
		{"cvss above 10", `{` + base + `,"cvss":10.1}`, []FieldError{{"cvss", "must be a number from 0 to 10, got 10.1"}}},
		{"cvss negative", `{` + base + `,"cvss":-1}`, []FieldError{{"cvss", "must be a number from 0 to 10, got -1"}}},
		{"cvss a string", `{` + base + `,"cvss":"9.8"}`, []FieldError{{"cvss", "must be a number from 0 to 10, got 9.8"}}},
		{"cve without the prefix", `{` + base + `,"cves":["2021-44228"]}`, []FieldError{{"cves[0]", `"2021-44228" is not a CVE id (CVE-YYYY-NNNN)`}}},
		{"cve with letters", `{` + base + `,"cves":["CVE-ABCD-EFGHI"]}`, []FieldError{{"cves[0]", `"CVE-ABCD-EFGHI" is not a CVE id (CVE-YYYY-NNNN)`}}},
		{"cve with a short sequence", `{` + base + `,"cves":["CVE-2021-123"]}`, []FieldError{{"cves[0]", `"CVE-2021-123" is not a CVE id (CVE-YYYY-NNNN)`}}},
		{"cve with a suffix", `{` + base + `,"cves":["CVE-2021-44228 (log4j)"]}`, []FieldError{{"cves[0]", `"CVE-2021-44228 (log4j)" is not a CVE id (CVE-YYYY-NNNN)`}}},
		{"cve with a two-digit year", `{` + base + `,"cves":["CVE-21-44228"]}`, []FieldError{{"cves[0]", `"CVE-21-44228" is not a CVE id (CVE-YYYY-NNNN)`}}},
		{"remote not a boolean", `{` + base + `,"remote":"yes"}`, []FieldError{{"remote", "must be true or false, got a string"}}},
		{"misspelled field", `{` + base + `,"severty":"high"}`, []FieldError{{"severty", `is not a field of the model; did you mean "severity"?`}}},
		{"asset field on a finding", `{` + base + `,"hostnames":["x"]}`,
			[]FieldError{{"hostnames", "is not a field of the model; put vendor-specific values under attributes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := NewFinding(obj(t, tt.in), testSource)
			if !reflect.DeepEqual(errs, tt.want) {
				t.Errorf("errors:\n got %v\nwant %v", errs, tt.want)
			}
		})
	}
}

func TestNormalizeMAC(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"08:00:27:51:56:d8", "08:00:27:51:56:d8", true},
		{"08-00-27-51-56-D8", "08:00:27:51:56:d8", true},
		{"0800.2751.56d8", "08:00:27:51:56:d8", true},
		{"08002751 56d8", "08:00:27:51:56:d8", true},
		{"080027:5156d8", "08:00:27:51:56:d8", true},
		{"080027515 6d8", "08:00:27:51:56:d8", true},
		{"08:00:27:51:56", "", false},
		{"08:00:27:51:56:d8:01", "", false},
		{"g8:00:27:51:56:d8", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeMAC(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeMAC(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"hostname", "hostnames"},
		{"Severity", "severity"},
		{"sevrity", "severity"},
		{"first_seen_at", ""},
		{"zzz", ""},
	}
	options := append(append([]string{}, assetFieldNames...), findingFieldName...)
	for _, tt := range tests {
		if got := Suggest(tt.name, options); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRecordJSONFieldOrder(t *testing.T) {
	a, errs := NewAsset(obj(t, `{"status":"active","name":"n","class":"host","key":"h1","ips":["10.0.0.1"]}`), testSource)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b, err := json.Marshal(Record{Kind: KindAsset, Integration: "acme", Stream: "hosts", Data: a, Key: a.Key})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"asset","integration":"acme","stream":"hosts","data":{"key":"h1","class":"host","name":"n","ips":["10.0.0.1"],"status":"active","source":{"integration":"acme","stream":"hosts"}}}`
	if string(b) != want {
		t.Errorf("record JSON:\n got %s\nwant %s", b, want)
	}
}
