package engine

import "encoding/base64"

// AuthSecrets returns the credentials an authenticator sends, exactly as it sends
// them. They go to the redactor too: a definition may transform a secret on its way to
// the request (trimspace, lower), and a Basic header carries it base64-encoded, so the
// config values alone would not find it.
func AuthSecrets(a Authenticator) []string {
	switch x := a.(type) {
	case *APIKeyAuth:
		var out []string
		for _, kv := range append(append([]KeyValue{}, x.Headers...), x.Query...) {
			out = append(out, kv.Value, kv.Prefix+kv.Value)
		}
		return out
	case *BasicAuth:
		return []string{x.Password, base64.StdEncoding.EncodeToString([]byte(x.Username + ":" + x.Password))}
	case *BearerAuth:
		return []string{x.Token}
	case *OAuth2ClientCredentials:
		return []string{x.ClientSecret}
	}
	return nil
}
