// Package transforms is jq for integrate: it compiles the jq programs of a definition
// once, at load time, reports their errors with byte offsets the dsl turns into
// file:line:col, runs them per record, and provides the function library every mapping
// shares (dates, severities, MACs, CVE ids, CVSS).
//
// transforms imports gojq and, for the normalizers the model also uses, engine. It never
// sets gojq.WithEnvironLoader, so a mapping cannot read the environment, and it gives
// jq no input iterator, so input and inputs are refused.
package transforms
