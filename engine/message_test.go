package engine

import (
	"context"
	"strings"
	"testing"
)

func TestVendorMessage(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	tests := []struct {
		name string
		body string
		want string
	}{
		{"empty", "", ""},
		{"blank", " \n ", ""},
		{"message", `{"message":"Bad credentials"}`, "Bad credentials"},
		{"error_description first", `{"error":"invalid_client","error_description":"Client authentication failed"}`, "Client authentication failed"},
		{"error string", `{"error":"invalid_scope"}`, "invalid_scope"},
		{"error object", `{"error":{"code":403,"message":"Resource not accessible by integration"}}`, "Resource not accessible by integration"},
		{"errors objects", `{"meta":{},"errors":[{"code":400,"message":"first"},{"message":"second"}]}`, "first"},
		{"errors strings", `{"errors":["first","second"]}`, "first"},
		{"okta", `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[]}`, "Invalid token provided"},
		{"problem json", `{"type":"about:blank","title":"Forbidden","detail":"Missing scope vulns:read"}`, "Missing scope vulns:read"},
		{"title only", `{"title":"Forbidden"}`, "Forbidden"},
		{"empty errors", `{"errors":[]}`, ""},
		{"not an object", `["x"]`, ""},
		{"plain text first line", "Service Unavailable\nretry later", "Service Unavailable"},
		{"html", "<!DOCTYPE html><html>oops</html>", ""},
		{"invalid utf-8", "\xff\xfe", ""},
		{"clipped at a rune boundary", `{"message":"` + long + `"}`, strings.Repeat("é", 150) + "..."},
	}
	c := &client{ig: &Integration{}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.vendorMessage(context.Background(), []byte(tt.body)); got != tt.want {
				t.Errorf("vendorMessage(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestVendorMessageExtractorFirst(t *testing.T) {
	c := &client{ig: &Integration{ErrorMessage: path("fault.reason")}}
	tests := []struct{ body, want string }{
		{`{"fault":{"reason":"quota exhausted"},"message":"generic"}`, "quota exhausted"},
		{`{"message":"generic"}`, "generic"},          // the extractor yields nothing
		{`{"fault":{"reason":42}}`, "42"},             // a number is a message too
		{`{"fault":{"reason":{}},"detail":"d"}`, "d"}, // not a scalar: fall back
	}
	for _, tt := range tests {
		if got := c.vendorMessage(context.Background(), []byte(tt.body)); got != tt.want {
			t.Errorf("vendorMessage(%s) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
