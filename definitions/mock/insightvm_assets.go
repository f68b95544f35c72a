package mock

import (
	"strconv"
	"strings"
	"time"
)

const (
	ivmTimestamp = "2006-01-02T15:04:05.000Z"
	ivmNewest    = 1716890592 // 2024-05-28T10:03:12Z
)

// ivmAsset is an asset as GET /api/3/assets lists it (rapid7-insightvm.md §6.1).
// HostName, HostNames, MAC and IDs are missing on assets the console could not resolve.
type ivmAsset struct {
	ID                         int64          `json:"id"`
	IP                         string         `json:"ip"`
	MAC                        string         `json:"mac,omitempty"`
	HostName                   string         `json:"hostName,omitempty"`
	HostNames                  []ivmHostName  `json:"hostNames,omitempty"`
	Addresses                  []ivmAddress   `json:"addresses"`
	IDs                        []ivmUniqueID  `json:"ids,omitempty"`
	OS                         string         `json:"os"`
	OSCertainty                string         `json:"osCertainty"`
	OSFingerprint              ivmFingerprint `json:"osFingerprint"`
	Type                       string         `json:"type"`
	AssessedForPolicies        bool           `json:"assessedForPolicies"`
	AssessedForVulnerabilities bool           `json:"assessedForVulnerabilities"`
	History                    []ivmHistory   `json:"history"`
	RawRiskScore               float64        `json:"rawRiskScore"`
	RiskScore                  float64        `json:"riskScore"`
	Vulnerabilities            ivmVulnCounts  `json:"vulnerabilities"`
	Links                      []ivmLink      `json:"links"`
}

type ivmHostName struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

type ivmAddress struct {
	IP  string `json:"ip"`
	MAC string `json:"mac,omitempty"`
}

type ivmUniqueID struct {
	ID     string `json:"id"`
	Source string `json:"source"`
}

type ivmFingerprint struct {
	ID           int    `json:"id"`
	Description  string `json:"description"`
	Family       string `json:"family"`
	Product      string `json:"product"`
	SystemName   string `json:"systemName"`
	Vendor       string `json:"vendor"`
	Version      string `json:"version,omitempty"`
	Architecture string `json:"architecture,omitempty"`
	Type         string `json:"type"`
}

type ivmHistory struct {
	Date    string `json:"date"`
	ScanID  int    `json:"scanId,omitempty"`
	Type    string `json:"type"`
	Version int    `json:"version"`
}

type ivmVulnCounts struct {
	Critical    int `json:"critical"`
	Severe      int `json:"severe"`
	Moderate    int `json:"moderate"`
	Total       int `json:"total"`
	Exploits    int `json:"exploits"`
	MalwareKits int `json:"malwareKits"`
}

// ivmProfile is one kind of asset; asset i uses profile i mod len.
type ivmProfile struct {
	assetType string
	netbios   bool
	fp        ivmFingerprint
}

// ivmProfiles mixes servers, workstations, a router and a hypervisor. Read-only.
var ivmProfiles = [...]ivmProfile{
	{"guest", true, ivmFingerprint{41, "Microsoft Windows Server 2019 Standard Edition", "Windows", "Windows Server 2019", "Microsoft Windows", "Microsoft", "1809", "x86_64", "General"}},
	{"guest", false, ivmFingerprint{87, "Ubuntu Linux 22.04", "Linux", "Linux", "Ubuntu Linux", "Ubuntu", "22.04", "x86_64", "General"}},
	{"physical", false, ivmFingerprint{93, "Red Hat Enterprise Linux 8.9", "Linux", "Enterprise Linux", "Red Hat Enterprise Linux", "Red Hat", "8.9", "x86_64", "General"}},
	{"physical", true, ivmFingerprint{55, "Microsoft Windows 10 Enterprise Edition", "Windows", "Windows 10", "Microsoft Windows", "Microsoft", "22H2", "x86_64", "Workstation"}},
	{"physical", false, ivmFingerprint{12, "Cisco IOS 15.2(4)M", "IOS", "IOS", "Cisco IOS", "Cisco", "15.2(4)M", "", "Router"}},
	{"hypervisor", false, ivmFingerprint{130, "VMware ESXi 7.0", "ESXi", "ESXi", "VMware ESXi", "VMware", "7.0", "x86_64", "Hypervisor"}},
}

// ivmAssetID is increasing but not contiguous, as console ids are after deletions.
func ivmAssetID(i int) int64 { return int64(100 + 3*i + i%2) }

// ivmAssetRecord is asset i, with links on the console host the client used.
func ivmAssetRecord(host string, i int) ivmAsset {
	p := &ivmProfiles[i%len(ivmProfiles)]
	id, ip, mac := ivmAssetID(i), ivmIP(i), ivmMAC(i)
	h := hash(saltAsset, i)
	raw := float64(h%2000000) / 64
	a := ivmAsset{
		ID: id, IP: ip, MAC: mac,
		Addresses: []ivmAddress{{IP: ip, MAC: mac}}, IDs: ivmIDs(i),
		OS: p.fp.Description, OSCertainty: [...]string{"0.85", "1.00", "0.67"}[i%3], OSFingerprint: p.fp,
		Type: p.assetType, AssessedForPolicies: i%9 == 0, AssessedForVulnerabilities: true,
		History: ivmAssetHistory(i), RawRiskScore: raw, RiskScore: raw * [...]float64{1, 1, 0.5, 2}[i%4],
		Vulnerabilities: ivmCounts(h),
		Links:           []ivmLink{{"https://" + host + "/api/3/assets/" + strconv.FormatInt(id, 10), "self"}},
	}
	a.HostName, a.HostNames = ivmHostNames(p, i)
	return a
}

func ivmIP(i int) string {
	return "10." + strconv.Itoa(100+(i/(254*254))%100) + "." + strconv.Itoa((i/254)%254+1) + "." + strconv.Itoa(i%254+1)
}

// ivmMAC is the console's UPPERCASE colon-separated form; routed assets have none.
func ivmMAC(i int) string {
	if i%17 == 5 {
		return ""
	}
	b := []byte("00:50:56")
	for _, v := range [3]int{i >> 16, i >> 8, i} {
		b = append(b, ':', "0123456789ABCDEF"[v>>4&0xf], "0123456789ABCDEF"[v&0xf])
	}
	return string(b)
}

// ivmHostNames gives DNS names, plus the NetBIOS name on Windows; every eighth asset
// was scanned by IP only and has no name at all.
func ivmHostNames(p *ivmProfile, i int) (string, []ivmHostName) {
	if i%8 == 5 {
		return "", nil
	}
	short := "asset-" + string(appendPadded(nil, i, 4))
	fqdn := short + ".corp.example.com"
	names := []ivmHostName{{fqdn, "dns"}}
	if p.netbios {
		names = append(names, ivmHostName{strings.ToUpper(short), "netbios"})
	}
	return fqdn, names
}

func ivmIDs(i int) []ivmUniqueID {
	if i%6 == 4 {
		return nil
	}
	ids := []ivmUniqueID{{strings.ToUpper(uuid(saltAsset, i)), "uuid"}}
	if i%6 == 1 {
		ids = append(ids, ivmUniqueID{"i-0" + hex32(saltInstance, i)[:16], "EC2"})
	}
	return ids
}

// ivmAssetHistory has one to three scans. Every fourth asset also has a later
// ASSET-IMPORT entry, so the last entry is not always the last scan.
func ivmAssetHistory(i int) []ivmHistory {
	last := time.Unix(ivmNewest-int64(i%90)*86400-int64(i*131%86400), int64(i%1000)*1e6).UTC()
	scans := 1 + i%3
	var h []ivmHistory
	for k := range scans {
		at := last.Add(-time.Duration(scans-1-k) * 7 * 24 * time.Hour)
		h = append(h, ivmHistory{Date: at.Format(ivmTimestamp), ScanID: 40 + i%50 + k*61, Type: "SCAN", Version: k + 1})
	}
	if i%4 == 1 {
		h = append(h, ivmHistory{Date: last.Add(26 * time.Hour).Format(ivmTimestamp), Type: "ASSET-IMPORT", Version: scans + 1})
	}
	return h
}

func ivmCounts(h uint64) ivmVulnCounts {
	c := ivmVulnCounts{Critical: int(h % 4), Severe: int(h >> 8 % 15), Moderate: int(h >> 16 % 9)}
	c.Total = c.Critical + c.Severe + c.Moderate
	c.Exploits = min(c.Critical, int(h>>24%3))
	return c
}
