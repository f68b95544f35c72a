package engine

// redactRecord masks secrets in every string value of a mapped record, in place, and
// returns its (possibly masked) key.
func redactRecord(data any, red *Redactor) string {
	if !red.active() {
		return keyOf(data)
	}
	switch d := data.(type) {
	case *Asset:
		for _, p := range []*string{&d.Key, &d.Class, &d.Name, &d.OS, &d.Status, &d.FirstSeen, &d.LastSeen, &d.Source.VendorID} {
			*p = red.String(*p)
		}
		redactStrings(d.Hostnames, red)
		redactStrings(d.IPs, red)
		redactStrings(d.MACs, red)
		if d.Cloud != nil {
			for _, p := range []*string{&d.Cloud.Provider, &d.Cloud.Account, &d.Cloud.Region, &d.Cloud.ResourceID} {
				*p = red.String(*p)
			}
		}
		redactValue(d.Attributes, red)
		return d.Key
	case *Finding:
		for _, p := range []*string{&d.Key, &d.AssetKey, &d.Name, &d.Severity, &d.Status, &d.FirstFound, &d.LastFound,
			&d.Evidence, &d.Remediation, &d.Source.VendorID} {
			*p = red.String(*p)
		}
		redactStrings(d.CVEs, red)
		if s, ok := d.CVSS.(string); ok {
			d.CVSS = red.String(s)
		}
		redactValue(d.Attributes, red)
		return d.Key
	}
	return ""
}

func keyOf(data any) string {
	switch d := data.(type) {
	case *Asset:
		return d.Key
	case *Finding:
		return d.Key
	}
	return ""
}

func redactStrings(list []string, red *Redactor) {
	for i, s := range list {
		list[i] = red.String(s)
	}
}

// redactValue masks secrets in the string values of decoded JSON, in place. Keys are
// left as they are.
func redactValue(v any, red *Redactor) any {
	switch x := v.(type) {
	case string:
		return red.Value(x)
	case []any:
		for i, e := range x {
			x[i] = redactValue(e, red)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = redactValue(e, red)
		}
	}
	return v
}
