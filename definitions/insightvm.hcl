# Rapid7 InsightVM (Security Console API v3) assets.
#
# Auth: HTTP Basic with a console user. Pagination: page (0-based) and size (at most
# 500), sorted by id so pages stay stable, until page.totalPages. No documented rate
# limit; Retry-After may come with a 429 or a 503 during maintenance.
integration "insightvm" {
  title       = "Rapid7 InsightVM"
  description = "Assets of an InsightVM Security Console, with IPs, host names, MACs and OS."

  config "console_url" {
    description = "The console's URL, e.g. https://insightvm.example.com:3780."
  }

  config "username" {
    description = "Console user with the View Site Asset Data permission."
  }

  config "password" {
    description = "The console user's password."
    sensitive   = true
  }

  config "page_size" {
    type        = number
    description = "Assets per page (at most 500)."
    default     = 50

    validation {
      condition     = config.page_size >= 1 && config.page_size <= 500
      error_message = "page_size must be between 1 and 500."
    }
  }

  http {
    base_url       = "${trimsuffix(config.console_url, "/")}/api/3"
    header_timeout = "2m"
    error_message  = ".message"

    retry {
      attempts  = 5
      on_status = [429, 500, 502, 503, 504]
    }
  }

  auth "basic" {
    username = config.username
    password = config.password
  }

  check {
    request {
      path = "/"
    }
  }

  stream "assets" {
    request {
      path  = "/assets"
      query = { sort = "id,asc" }
    }

    paginate "page_number" {
      start       = 0
      size_param  = "size"
      size        = config.page_size
      total_pages = ".page.totalPages"
    }

    records = ".resources[]"

    asset = <<-JQ
      ([.history[]? | select(.type == "SCAN")] | sort_by(.version) | last | .date) as $last_scan
      | {
          key:       "insightvm:asset:\(.id // error("the asset has no id"))",
          class:     "host",
          name:      (.hostName // .ip),
          hostnames: ([.hostName, .hostNames[]?.name] | map(select(. != null))),
          ips:       ([.ip, .addresses[]?.ip] | map(select(. != null)) | unique),
          macs:      ([.mac, .addresses[]?.mac] | map(select(. != null) | mac) | unique),
          os:        .os,
          status:    "active",
          last_seen: ($last_scan | to_rfc3339),
          attributes: ({
            os_family:       .osFingerprint.family,
            os_version:      .osFingerprint.version,
            risk_score:      .riskScore,
            vulnerabilities: .vulnerabilities,
            type:            .type
          } | compact),
          source: { vendor_id: .id }
        }
    JQ
  }
}
