package mock

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Salts keep the identifiers of different kinds apart, so that, say, a device id never
// equals a trace id generated from the same number.
const (
	saltDevice uint64 = iota + 1
	saltGroup
	saltInstance
	saltTrace
	saltToken
	saltRepo
	saltWorkspace
	saltProject
	saltAsset
	saltRequest
	saltCursor
	saltSerial
)

// mix is splitmix64's finaliser: a fast, well-spread, deterministic hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hash derives a value for item i of the kind named by salt.
func hash(salt uint64, i int) uint64 { return mix(salt<<40 ^ uint64(i)) }

const hexDigits = "0123456789abcdef"

// appendHex64 appends v as 16 lowercase hex digits.
func appendHex64(b []byte, v uint64) []byte {
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[v>>uint(shift)&0xf])
	}
	return b
}

// hex32 is a 32-hex-digit identifier, the shape of CrowdStrike ids.
func hex32(salt uint64, i int) string {
	b := make([]byte, 0, 32)
	h := hash(salt, i)
	b = appendHex64(b, h)
	return string(appendHex64(b, mix(h)))
}

// uuid is a version-4-shaped UUID derived from item i.
func uuid(salt uint64, i int) string {
	h := hex32(salt, i)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// cursor encodes pagination positions as an opaque token with a checksum, so that a
// garbled or made-up token is rejected instead of silently restarting the listing.
func cursor(kind string, pos ...int) string {
	parts := make([]string, 0, len(pos)+2)
	parts = append(parts, kind)
	sum := uint64(len(kind))
	for _, p := range pos {
		parts = append(parts, strconv.Itoa(p))
		sum = mix(sum ^ uint64(p))
	}
	parts = append(parts, strconv.FormatUint(mix(sum^saltCursor)&0xffffffff, 16))
	return base64.StdEncoding.EncodeToString([]byte(strings.Join(parts, ":")))
}

// parseCursor reverses cursor, returning want positions or false if tok is not a cursor
// of this kind.
func parseCursor(tok, kind string, want int) ([]int, bool) {
	raw, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		return nil, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != want+2 || parts[0] != kind {
		return nil, false
	}
	pos := make([]int, want)
	for i := range pos {
		if pos[i], err = strconv.Atoi(parts[i+1]); err != nil || pos[i] < 0 {
			return nil, false
		}
	}
	return pos, cursor(kind, pos...) == tok
}
