package mock

import (
	"net/http"
	"strconv"
	"time"
)

// Device pages are built by hand with obj rather than encoding/json: the benchmark serves
// 100,000 of them in pages of 5,000 and the mock must not be what it measures.

const (
	csCID          = "4c1d0a5e2f3b4a6c8d9e0f1a2b3c4d5e"
	csScrollCursor = "falcon-scroll"
	// csLastSeenBase is 2024-05-29T08:11:03Z, the newest last_seen of any device.
	csLastSeenBase = 1716970263
	// csDeviceSize is a generous estimate of one encoded device, to size page buffers.
	csDeviceSize = 1600
)

// csProfile is one kind of machine in the fleet; device i uses profile i mod len.
type csProfile struct {
	platform, osVersion, osProduct, osBuild, kernel string
	productType, agent, manufacturer, model, serial string
	cloud                                           bool
}

// csProfiles mixes Windows, Linux and Mac machines, on premises and in AWS. Read-only.
var csProfiles = [...]csProfile{
	{"Windows", "Windows Server 2022", "Windows Server 2022 Datacenter", "20348", "10.0.20348.2340", "Server", "7.10.17706.0", "VMware, Inc.", "VMware7,1", "VMW-", false},
	{"Windows", "Windows 11", "Windows 11 Enterprise", "22631", "10.0.22631.3593", "Workstation", "7.11.18110.0", "Dell Inc.", "Latitude 7440", "DL", false},
	{"Linux", "Ubuntu 22.04", "Ubuntu 22.04.4 LTS", "", "5.15.0-1061-aws", "Server", "7.13.16407.0", "Amazon EC2", "m5.large", "ec2", true},
	{"Windows", "Windows 10", "Windows 10 Pro", "19045", "10.0.19045.4412", "Workstation", "7.09.17505.0", "LENOVO", "20XW0026US", "PF", false},
	{"Mac", "Sonoma (14)", "macOS Sonoma", "23F79", "23.5.0", "Workstation", "7.14.18408.0", "Apple Inc.", "MacBookPro18,3", "C02", false},
	{"Linux", "RHEL 9.3", "Red Hat Enterprise Linux 9.3", "", "5.14.0-362.24.1.el9_3.x86_64", "Server", "7.12.16303.0", "VMware, Inc.", "VMware7,1", "VMW-", false},
}

// csGroups are the host group ids devices belong to. Read-only.
var csGroups = [...]string{
	"4f2d9c0e1b7a4c3d8e9f00112233aabb",
	"9a8b7c6d5e4f40318293a4b5c6d7e8f9",
	"0f1e2d3c4b5a49687766554433221100",
}

// csPolicies is the policy block every device carries.
const csPolicies = `[{"policy_type":"prevention","policy_id":"40bb0ba06b9f4a10a4330fccecc01f84","applied":true,` +
	`"settings_hash":"b030fc2e","assigned_date":"2023-11-02T15:57:02.852606502Z",` +
	`"applied_date":"2023-11-02T15:58:00.000000000Z","rule_groups":[]}]`

// combinedDevices implements GET /devices/combined/devices/v1. Devices come in a fixed
// order (index order, which is hostname order for the host-NNNN names), whatever the
// sort and filter parameters say.
func (c *crowdStrike) combinedDevices(r *http.Request, n int) reply {
	limit, ok := intParam(r, "limit", 100, 1, 10000)
	if !ok {
		return c.badRequest(n, "limit must be an integer between 1 and 10000")
	}
	pos, msg := c.scrollPosition(r.URL.Query().Get("offset"))
	if msg != "" {
		return c.badRequest(n, msg)
	}
	end := min(pos+limit, c.total)
	page := csScrollPage{Total: c.total, Limit: limit, Offset: c.scrollToken(end), ExpiresAt: c.now().Add(csScrollLifetime).UnixNano()}
	return newReply(http.StatusOK, csContentType, devicesBody(c.meta(n, "device-api", page), pos, end, c.variant))
}

// scrollToken is the offset token for a page starting at pos, "" when none is left.
// It records when it was issued, because the real token expires after two minutes.
func (c *crowdStrike) scrollToken(pos int) string {
	if pos >= c.total {
		return ""
	}
	return cursor(csScrollCursor, pos, int(c.now().Unix()))
}

// scrollPosition decodes an offset token; a non-empty msg says why it is refused.
func (c *crowdStrike) scrollPosition(tok string) (pos int, msg string) {
	if tok == "" {
		return 0, ""
	}
	v, ok := parseCursor(tok, csScrollCursor, 2)
	if !ok || v[0] >= c.total {
		return 0, "invalid offset: not a pagination token issued by this API"
	}
	if c.now().After(time.Unix(int64(v[1]), 0).Add(csScrollLifetime)) {
		return 0, "invalid offset: pagination token has expired"
	}
	return v[0], ""
}

// queryDevices implements GET /devices/queries/devices/v1, which lists device ids with a
// numeric offset; `integrate check` uses it with limit=1.
func (c *crowdStrike) queryDevices(r *http.Request, n int) reply {
	limit, ok := intParam(r, "limit", 100, 1, 5000)
	if !ok {
		return c.badRequest(n, "limit must be an integer between 1 and 5000")
	}
	offset, ok := intParam(r, "offset", 0, 0, 1<<31-1)
	if !ok {
		return c.badRequest(n, "offset must be a non-negative integer")
	}
	ids := []string{}
	for i := offset; i < min(offset+limit, c.total); i++ {
		ids = append(ids, deviceID(i))
	}
	body := csIDsBody{Meta: c.meta(n, "device-api", csOffsetPage{Total: c.total, Offset: offset, Limit: limit}), Resources: ids, Errors: []csError{}}
	return newReply(http.StatusOK, csContentType, mustJSON(body))
}

// devicesBody is a combined-devices page holding devices [from, to).
func devicesBody(meta csMeta, from, to, variant int) []byte {
	b := make([]byte, 0, 512+(to-from)*csDeviceSize)
	b = append(b, `{"meta":`...)
	b = append(b, mustJSON(meta)...)
	b = append(b, `,"resources":[`...)
	for i := from; i < to; i++ {
		if i > from {
			b = append(b, ',')
		}
		b = appendDevice(b, i, variant)
	}
	return append(b, `],"errors":[]}`...)
}

// deviceID is device i's 32-hex-digit agent id (AID).
func deviceID(i int) string {
	return string(appendDeviceID(make([]byte, 0, 32), i))
}

func appendDeviceID(b []byte, i int) []byte {
	h := hash(saltDevice, i)
	return appendHex64(appendHex64(b, h), mix(h))
}

// appendDevice appends device i as the full record of crowdstrike.md §7.3. Variety is
// spread by index so every page has Windows, Linux and Mac machines, cloud instances,
// hosts with and without a domain or external IP, and the edge cases a mapping must
// survive: a Unicode hostname, an empty tags list and one device without last_seen.
func appendDevice(b []byte, i, variant int) []byte {
	p := &csProfiles[i%len(csProfiles)]
	o := obj{b: append(b, '{')}
	o.key("device_id")
	o.b = append(appendDeviceID(append(o.b, '"'), i), '"')
	o.str("cid", csCID)
	o.key("hostname")
	o.b = appendHostname(o.b, i)
	if i%3 != 2 {
		o.str("machine_domain", "corp.example.com")
	}
	appendDeviceNetwork(&o, i)
	appendDeviceSystem(&o, p, i)
	appendDeviceTimes(&o, i, variant)
	appendDeviceGrouping(&o, p, i)
	return append(o.b, '}')
}

// appendHostname writes host-NNNN, with a Unicode name every 97th device.
func appendHostname(b []byte, i int) []byte {
	b = append(b, '"')
	if i%97 == 13 {
		b = append(b, "büro-pc-"...)
	} else {
		b = append(b, "host-"...)
	}
	return append(appendPadded(b, i, 4), '"')
}

func appendDeviceNetwork(o *obj, i int) {
	a, b, c := 16+(i/(254*254))%200, (i/254)%254+1, i%254+1
	o.key("local_ip")
	o.b = appendIPv4(o.b, 10, a, b, c)
	o.key("connection_ip")
	if i%6 == 5 { // behind a VPN concentrator, so the connection comes from elsewhere
		o.b = appendIPv4(o.b, 172, 16+a%16, b, c)
	} else {
		o.b = appendIPv4(o.b, 10, a, b, c)
	}
	if i%10 != 9 {
		o.key("external_ip")
		o.b = appendIPv4(o.b, 192, 0, 2, i%254+1)
	}
	o.key("mac_address")
	o.b = appendMAC(o.b, i)
	o.key("connection_mac_address")
	o.b = appendMAC(o.b, i)
}

func appendDeviceSystem(o *obj, p *csProfile, i int) {
	o.str("platform_name", p.platform)
	o.str("os_version", p.osVersion)
	o.str("os_product_name", p.osProduct)
	if p.osBuild != "" {
		o.str("os_build", p.osBuild)
	}
	o.str("kernel_version", p.kernel)
	o.str("product_type_desc", p.productType)
	o.str("agent_version", p.agent)
	o.key("serial_number")
	o.b = append(append(o.b, '"'), p.serial...)
	o.b = append(appendPadded(o.b, int(hash(saltSerial, i)%100000000), 8), '"')
	o.str("system_manufacturer", p.manufacturer)
	o.str("system_product_name", p.model)
	if p.cloud {
		o.key("instance_id")
		o.b = append(appendHex64(append(o.b, `"i-0`...), hash(saltInstance, i)), '"')
		o.str("service_provider", "AWS_EC2_V2")
		o.str("service_provider_account_id", awsAccount(i))
	}
}

func appendDeviceTimes(o *obj, i, variant int) {
	last := time.Unix(csLastSeenBase-int64(i%720)*3607, 0).UTC()
	if variant > 0 && i%10 == 3 {
		last = last.Add(time.Duration(variant) * 24 * time.Hour) // seen again since
	}
	o.time("first_seen", last.Add(-time.Duration(30+i%400)*24*time.Hour-time.Duration(i%86400)*time.Second))
	if i != 11 {
		o.time("last_seen", last)
	}
	o.time("modified_timestamp", last.Add(67*time.Second))
	if i%50 == 17 {
		o.str("status", "contained")
	} else {
		o.str("status", "normal")
	}
}

func appendDeviceGrouping(o *obj, p *csProfile, i int) {
	switch i % 7 {
	case 0, 1:
		o.strs("tags", "FalconGroupingTags/prod")
	case 2:
		o.strs("tags", "FalconGroupingTags/prod", "SensorGroupingTags/dmz")
	case 3:
		o.strs("tags")
	default:
		o.strs("tags", "FalconGroupingTags/dev")
	}
	o.strs("groups", csGroups[i%len(csGroups)])
	if p.platform == "Windows" {
		o.strs("ou", p.productType+"s")
		o.str("site_name", "Default-First-Site-Name")
	}
	o.raw("policies", csPolicies)
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v, width int) []byte {
	digits := 1
	for x := v; x >= 10; x /= 10 {
		digits++
	}
	for ; digits < width; digits++ {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// awsAccount spreads cloud instances over two AWS accounts.
func awsAccount(i int) string {
	if i%2 == 0 {
		return "123456789012"
	}
	return "210987654321"
}

func appendIPv4(b []byte, a, c, d, e int) []byte {
	b = append(b, '"')
	for k, v := range [4]int{a, c, d, e} {
		if k > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return append(b, '"')
}

// appendMAC writes device i's dash-separated lowercase MAC, Falcon's format, under the
// VirtualBox OUI 08-00-27.
func appendMAC(b []byte, i int) []byte {
	b = append(b, `"08-00-27`...)
	for _, v := range [3]int{i >> 16, i >> 8, i} {
		b = append(b, '-', hexDigits[v>>4&0xf], hexDigits[v&0xf])
	}
	return append(b, '"')
}
