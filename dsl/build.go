package dsl

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/integrate-dev/integrate/engine"
	"github.com/integrate-dev/integrate/transforms"
)

// BuildOptions are the run-time inputs a definition's expressions can see.
type BuildOptions struct {
	Now time.Time // $now in jq
}

// builder evaluates a definition with config values into an engine.Integration.
type builder struct {
	d        *Definition
	ctx      *hcl.EvalContext
	diags    hcl.Diagnostics
	validate bool // config values are unknown: check, do not build
	config   map[string]any
	now      string
	sens     *sensitivity
	// authChoice says, for plan, which of several auth blocks applies and why.
	authChoice []string
}

// Build evaluates d with vals. With unknown values (UnknownValues) it type-checks every
// expression instead, which is what validate does.
func Build(d *Definition, vals Values, opts BuildOptions) (*engine.Integration, hcl.Diagnostics) {
	return build(d, vals, opts, !cty.ObjectVal(vals).IsWhollyKnown())
}

// build is Build; validate says it runs for Validate (a definition with no config has
// wholly known values there too), which adds the warnings that Build leaves out so that
// a run does not print them twice.
func build(d *Definition, vals Values, opts BuildOptions, validate bool) (*engine.Integration, hcl.Diagnostics) {
	b := &builder{d: d, now: opts.Now.UTC().Format(time.RFC3339)}
	b.validate = validate
	b.config = jqConfig(d, vals)
	b.sens = newSensitivity(d, !b.validate)
	b.ctx = &hcl.EvalContext{Variables: map[string]cty.Value{"config": cty.ObjectVal(markConfig(d, vals))}, Functions: Functions()}
	if len(vals) == 0 {
		b.ctx.Variables["config"] = cty.EmptyObjectVal
	}
	b.evalLocals()
	ig := &engine.Integration{Name: d.Name, Title: d.Title}
	if hb := d.root.child("http"); hb != nil {
		ig.HTTP, ig.ErrorMessage = b.http(hb)
	}
	ig.Auth = b.auth()
	ig.AuthChoice = b.authChoice
	if cb := d.root.child("check"); cb != nil {
		if rb := cb.child("request"); rb != nil {
			ig.Check = b.request(rb)
		}
	}
	for _, sb := range d.root.all("stream") {
		ig.Streams = append(ig.Streams, b.stream(sb))
	}
	slices.Sort(b.sens.derived)
	ig.Secrets = slices.Compact(b.sens.derived)
	return ig, b.diags
}

// jqConfig is $config: every non-sensitive config value; a mapping never sees a secret.
func jqConfig(d *Definition, vals Values) map[string]any {
	out := map[string]any{}
	for _, c := range d.Configs {
		v, ok := vals[c.Name]
		if c.Sensitive || !ok || !v.IsWhollyKnown() {
			continue
		}
		if v.IsNull() {
			out[c.Name] = nil
			continue
		}
		out[c.Name] = ctyToGo(v)
	}
	return out
}

func (b *builder) reader(bl *block, stream string) *reader {
	r := &reader{b: bl, ctx: b.ctx, diags: &b.diags, sens: b.sens}
	if !b.validate {
		r.vals = []any{b.config, stream, b.now}
	}
	return r
}

// evalLocals evaluates locals in dependency order; a cycle is reported once.
func (b *builder) evalLocals() {
	done := map[string]cty.Value{}
	declared := map[string]bool{}
	for _, a := range b.d.locals {
		declared[a.Name] = true
	}
	pending := append([]*hcl.Attribute{}, b.d.locals...)
	for len(pending) > 0 {
		var next []*hcl.Attribute
		for _, a := range pending {
			if !localsReady(a, declared, done) {
				next = append(next, a)
				continue
			}
			b.ctx.Variables["local"] = cty.ObjectVal(done)
			v, diags := b.sens.evalMarked(a.Expr, b.ctx)
			b.diags = append(b.diags, diags...)
			if diags.HasErrors() {
				v = cty.DynamicVal
			}
			if v.ContainsMarked() || b.sens.uses(a.Expr) != "" {
				b.sens.names["local."+a.Name] = true
			}
			done[a.Name] = v
		}
		if len(next) == len(pending) {
			stuck := map[string]*hcl.Attribute{}
			for _, a := range next {
				stuck[a.Name] = a
			}
			for _, a := range next {
				// A local that only uses one on a cycle is not wrong itself.
				if path := cyclePath(a.Name, stuck); path != nil {
					b.diags = append(b.diags, errorf(ptr(a.Expr.Range()), "Cycle in local values",
						"local %q depends on itself (%s); break the cycle.", a.Name, strings.Join(path, " -> ")))
				}
				done[a.Name] = cty.DynamicVal
			}
			break
		}
		pending = next
	}
	b.ctx.Variables["local"] = cty.ObjectVal(done)
}

// cyclePath is the way from the local name back to itself through the stuck locals,
// or nil when it is not on a cycle.
func cyclePath(name string, stuck map[string]*hcl.Attribute) []string {
	var walk func(at string, path []string, seen map[string]bool) []string
	walk = func(at string, path []string, seen map[string]bool) []string {
		for _, dep := range localRefs(stuck[at]) {
			switch {
			case dep == name:
				return append(path, dep)
			case stuck[dep] != nil && !seen[dep]:
				seen[dep] = true
				if p := walk(dep, append(path, dep), seen); p != nil {
					return p
				}
			}
		}
		return nil
	}
	return walk(name, []string{name}, map[string]bool{name: true})
}

// localRefs are the locals a refers to, in order.
func localRefs(a *hcl.Attribute) []string {
	var out []string
	for _, tr := range a.Expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if step, ok := tr[1].(hcl.TraverseAttr); ok {
			out = append(out, step.Name)
		}
	}
	return out
}

// localsReady says whether every declared local a refers to is evaluated. A reference
// to a local nobody declared does not wait (it would wait forever and read as a
// cycle): evaluating it reports the missing name.
func localsReady(a *hcl.Attribute, declared map[string]bool, done map[string]cty.Value) bool {
	for _, name := range localRefs(a) {
		if _, ok := done[name]; declared[name] && !ok {
			return false
		}
	}
	return true
}

func (b *builder) http(hb *block) (engine.HTTP, engine.Extractor) {
	r := b.reader(hb, "")
	h := engine.HTTP{
		BaseURL:         b.baseURL(r),
		Headers:         r.stringMap("headers"),
		ConnectTimeout:  r.duration("connect_timeout", 30*time.Second),
		HeaderTimeout:   r.duration("header_timeout", 60*time.Second),
		BodyIdleTimeout: r.duration("body_timeout", 60*time.Second),
		MaxBodyBytes:    r.size("max_response_size", 256<<20),
		Retry:           b.retry(hb.child("retry")),
		RateLimit:       b.rateLimit(hb.child("rate_limit")),
	}
	return h, r.extractor("error_message")
}

func (b *builder) baseURL(r *reader) *url.URL {
	v, ok := r.value("base_url", cty.String) // evaluated once: a second look would repeat its errors
	if !ok {
		return nil
	}
	s := v.AsString()
	if s == "" {
		r.add(errorf(ptr(r.attrRange("base_url")), "Invalid base URL", "base_url is empty; it must be an absolute http or https URL such as \"https://api.example.com/v1\"."))
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.add(errorf(ptr(r.attrRange("base_url")), "Invalid base URL",
			"base_url must be an absolute http or https URL such as \"https://api.example.com/v1\", got %q.", s))
		return nil
	}
	return u
}

func (b *builder) retry(rb *block) engine.RetryPolicy {
	p := engine.RetryPolicy{Attempts: 5, InitialInterval: time.Second, MaxInterval: 30 * time.Second, MaxWait: 5 * time.Minute}
	if rb == nil {
		return p
	}
	r := b.reader(rb, "")
	p.Attempts = r.integer("attempts", 5, 1, 100)
	p.OnStatus = r.intList("on_status")
	for _, st := range p.OnStatus {
		if st < 400 || st > 599 {
			r.add(errorf(ptr(r.attrRange("on_status")), "Invalid retry status",
				"on_status lists %d, but only an error status (400 to 599) can be retried: a success or a redirect is an answer, not a failure.", st))
			break
		}
	}
	p.InitialInterval = r.duration("initial_interval", p.InitialInterval)
	p.MaxInterval = r.duration("max_interval", p.MaxInterval)
	if p.InitialInterval > p.MaxInterval {
		r.add(errorf(ptr(r.attrRange("initial_interval")), "Invalid retry intervals",
			"initial_interval (%s) is longer than max_interval (%s): the first wait would already be over the cap. Lower it, or raise max_interval.", p.InitialInterval, p.MaxInterval))
	}
	p.MaxWait = r.duration("max_wait", p.MaxWait)
	for _, wb := range rb.all("wait_header") {
		wr := b.reader(wb, "")
		f := wr.oneOf("format", "", engine.WaitFormats)
		p.WaitHeaders = append(p.WaitHeaders, engine.WaitHeader{Name: wb.label, Format: engine.WaitFormat(f)})
	}
	return p
}

func (b *builder) rateLimit(rb *block) engine.RateLimit {
	if rb == nil {
		return engine.RateLimit{}
	}
	r := b.reader(rb, "")
	rl := engine.RateLimit{
		Requests:        r.integer("requests", 0, 1, 1<<30),
		Per:             r.duration("per", time.Second),
		Burst:           r.integer("burst", 1, 1, 1<<20),
		RemainingHeader: r.str("remaining_header", ""),
		ResetHeader:     r.str("reset_header", ""),
		ResetFormat:     engine.WaitFormat(r.oneOf("reset_format", string(engine.WaitEpochSeconds), engine.WaitFormats)),
		LowWater:        r.integer("low_water", 10, 0, 1<<30),
	}
	if rl.Per == 0 {
		r.add(errorf(ptr(r.attrRange("per")), "Invalid duration", "per must be longer than zero."))
	}
	return rl
}

// whenText is ", its when (...) holds" for plan; "" for a block without when.
func (b *builder) whenText(r *reader, verdict string) string {
	if !r.has("when") {
		return ""
	}
	return fmt.Sprintf(", its when (%s) %s", strings.TrimSpace(string(r.attrRange("when").SliceBytes(b.d.Source))), verdict)
}

// auth picks the first auth block whose when condition holds.
func (b *builder) auth() engine.Authenticator {
	auths := b.d.root.all("auth")
	if len(auths) == 0 {
		return nil
	}
	var chosen engine.Authenticator
	for _, ab := range auths {
		r := b.reader(ab, "")
		k, _ := lookupKind(authKinds, ab.label)
		when, hasWhen := r.value("when", cty.Bool)
		a := k.build(r) // always built, so validate checks every block
		where := fmt.Sprintf("auth %q (line %d)", ab.label, ab.rng.Start.Line)
		switch {
		case chosen == nil && (!hasWhen && !r.has("when") || hasWhen && when.True()):
			chosen = a
			if len(auths) > 1 {
				b.authChoice = append(b.authChoice, "chosen: "+where+b.whenText(r, "holds"))
			}
		case chosen != nil:
			b.authChoice = append(b.authChoice, "not used: "+where+", an earlier block applies")
		default:
			b.authChoice = append(b.authChoice, "not used: "+where+b.whenText(r, "is false"))
		}
	}
	if chosen == nil && !b.validate {
		b.diags = append(b.diags, errorf(ptr(auths[0].rng), "No auth block applies",
			"None of the auth blocks' when conditions holds with this config; set the credentials one of them needs."))
	}
	return chosen
}

var methods = []string{http.MethodGet, http.MethodPost}

func (b *builder) request(rb *block) *engine.Request {
	r := b.reader(rb, "")
	method, known := r.choice("method", http.MethodGet, append(methods, "get", "post"))
	req := &engine.Request{
		Method:     strings.ToUpper(method),
		Path:       r.str("path", ""),
		Query:      r.stringMap("query"),
		Headers:    r.stringMap("headers"),
		JSON:       r.object("json"),
		Form:       r.stringMap("form"),
		Idempotent: r.boolean("idempotent", false),
	}
	if r.has("json") && r.has("form") {
		r.add(errorf(ptr(r.attrRange("form")), "Conflicting attributes", "A request has one body: set json or form, not both."))
	}
	if known && req.Method == http.MethodGet && (r.has("json") || r.has("form")) {
		r.add(errorf(ptr(rb.rng), "Body on a GET request", "A GET request sends no body: set method = \"POST\" or move the values to query."))
	}
	return req
}

// dropsRecords matches records selectors that may give fewer records than the page holds.
var dropsRecords = regexp.MustCompile(`\b(select|empty|limit|first|last|until|halt)\b`)

// streamablePath matches records selectors the engine can stream: .[] or .a.b[].
var streamablePath = regexp.MustCompile(`^\s*((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:\.)?\[\]\s*$`)

func (b *builder) stream(sb *block) *engine.Stream {
	r := b.reader(sb, sb.label)
	s := &engine.Stream{Name: sb.label, Kind: engine.KindAsset, MaxPages: 10000}
	if rb := sb.child("request"); rb != nil {
		s.Request = *b.request(rb)
	}
	s.Paginator = engine.NoPagination{}
	if pb := sb.child("paginate"); pb != nil {
		k, _ := lookupKind(pageKinds, pb.label)
		pr := b.reader(pb, sb.label)
		s.Paginator = k.build(pr)
		s.MaxPages = pr.integer("max_pages", 10000, 1, 1<<30)
		if cp, ok := s.Paginator.(*engine.CursorPagination); ok && cp.BodyField != "" && s.Request.Method == "GET" && pr.has("body_field") {
			b.diags = append(b.diags, errorf(ptr(pr.attrRange("body_field")), "Body on a GET request",
				"body_field sends the cursor in a JSON body, which a GET request does not have: set method = \"POST\" in the request, or use param."))
		}
	}
	mapping := r.jq("asset")
	if j := r.jq("finding"); j != nil {
		s.Kind, mapping = engine.KindFinding, j
	}
	if rec := r.jq("records"); rec != nil {
		if _, offset := s.Paginator.(*engine.OffsetPagination); offset && b.validate && dropsRecords.MatchString(rec.Program.Source()) {
			b.diags = append(b.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Records selector drops records under offset pagination",
				Detail: "The offset advances by the records the selector gives. A selector that drops some (select, empty, limit, first) " +
					"makes the next page start too early, so pages overlap, or ends the walk on a page it emptied. " +
					"Select the page's whole array here and leave records out with filter, which runs on the mapped record.",
				Subject: ptr(r.attrRange("records"))})
		}
		s.RecordsPath = recordsPath(rec.Program.Source())
		if s.RecordsPath != nil && pageReadsRecords(sb.child("paginate"), s.RecordsPath) {
			s.RecordsPath = nil // pagination needs the records array: decode the page whole
		}
		s.Records = r.bound(rec)
	}
	if mapping != nil {
		s.Map = r.bound(mapping)
		if fields, ok := mapping.Program.InputFields(); ok && s.RecordsPath != nil {
			s.RecordFields = fields // decode only what the mapping reads
		}
	}
	if f := r.jq("filter"); f != nil {
		s.Filter = r.bound(f)
	}
	return s
}

// recordsPath returns the path of a streamable selector, or nil.
func recordsPath(src string) []string {
	m := streamablePath.FindStringSubmatch(src)
	if m == nil {
		return nil
	}
	path := []string{}
	for _, p := range strings.Split(m[1], ".") {
		if p != "" {
			path = append(path, p)
		}
	}
	return path
}

func (r *reader) bound(j *jqAttr) *transforms.Bound {
	if r.vals == nil {
		return transforms.Bind(j.Program, nil, "", "")
	}
	return transforms.Bind(j.Program, r.vals...)
}

// Validate runs every check a definition can fail before any request: decoding, jq,
// references, and type-checking every expression with unknown config values, the
// validation conditions included.
func Validate(d *Definition) hcl.Diagnostics {
	_, diags := build(d, UnknownValues(d), BuildOptions{}, true)
	return append(diags, d.runValidations(UnknownValues(d), false)...)
}

// LoadAndValidate loads a definition and validates it, reporting every error at once.
// Validation runs even when loading found errors (a misspelt config reference must not
// hide a retry block's bad type), as long as the integration block was read; what it
// finds again at a place loading already reported is dropped, so each mistake is said
// once, in loading's words.
func LoadAndValidate(path string) (*Definition, hcl.Diagnostics) {
	d, diags := Load(path)
	return d, validateLoaded(d, diags)
}

// LoadSourceAndValidate is LoadAndValidate for a definition held in memory.
func LoadSourceAndValidate(filename string, src []byte) (*Definition, hcl.Diagnostics) {
	d, diags := LoadSource(filename, src)
	return d, validateLoaded(d, diags)
}

func validateLoaded(d *Definition, diags hcl.Diagnostics) hcl.Diagnostics {
	if d != nil && d.root != nil {
		loaded, headers := diags, blockHeaders(d.root, map[hcl.Range]bool{})
		for _, diag := range Validate(d) {
			if !saidWithin(loaded, headers, diag) {
				diags = append(diags, diag)
			}
		}
	}
	SortDiagnostics(diags)
	return diags
}

// saidWithin says whether diags already report what v says: v points inside the range
// of one of them, an expression loading found wrong (an undeclared config.x is
// "Reference to undeclared config" when loading, then "Unsupported attribute" or a type
// error when evaluated). A diagnostic on a block header is about the block, and
// another one there ("Body on a GET request" beside "Missing required argument") is a
// mistake of its own, kept unless it says the same.
func saidWithin(diags hcl.Diagnostics, headers map[hcl.Range]bool, v *hcl.Diagnostic) bool {
	rng := v.Subject
	if rng == nil {
		return false
	}
	for _, d := range diags {
		s := d.Subject
		if s == nil || s.Filename != rng.Filename || s.Start.Byte > rng.Start.Byte || rng.End.Byte > s.End.Byte {
			continue
		}
		if !headers[*s] || v.Summary == d.Summary {
			return true
		}
	}
	return false
}

// blockHeaders collects the header ranges of b and the blocks inside it.
func blockHeaders(b *block, into map[hcl.Range]bool) map[hcl.Range]bool {
	if b == nil {
		return into
	}
	into[b.rng] = true
	for _, c := range b.children {
		blockHeaders(c, into)
	}
	return into
}

// pageReadsRecords says whether a pagination expression may read the records array
// (a cursor from the last record's id, has_more from the array's length). A streamed
// page never holds that array, so such a stream is decoded whole instead. The check
// is textual and errs towards decoding whole, which is only slower.
func pageReadsRecords(pb *block, path []string) bool {
	if pb == nil {
		return false
	}
	for _, j := range pb.jq {
		if len(path) == 0 {
			return true // the records are the whole body
		}
		src := j.Program.Source()
		if strings.Contains(src, path[0]) {
			return true
		}
	}
	return false
}
