# CrowdStrike Falcon hosts as assets.
#
# Auth: OAuth2 client credentials against the region's /oauth2/token (201, 30-minute
# tokens). Hosts: the combined devices endpoint, paged by the opaque offset token in
# meta.pagination.offset. Rate limit: 6,000 requests a minute per CID; a 429 carries
# X-RateLimit-RetryAfter as epoch seconds.
integration "crowdstrike" {
  title       = "CrowdStrike Falcon"
  description = "Hosts known to the Falcon sensor, from the combined devices API."

  config "client_id" {
    description = "API client ID (Support > API Clients and Keys), with the Hosts: Read scope."
  }

  config "client_secret" {
    description = "API client secret."
    sensitive   = true
  }

  config "region" {
    description = "Falcon cloud the tenant lives in."
    default     = "us-1"
    allowed     = ["us-1", "us-2", "eu-1", "us-gov-1"]
  }

  config "page_size" {
    type        = number
    description = "Hosts per request (1 to 10000)."
    default     = 100

    validation {
      condition     = config.page_size >= 1 && config.page_size <= 10000
      error_message = "page_size must be between 1 and 10000."
    }
  }

  config "filter" {
    description = "Optional FQL filter, e.g. last_seen:>='2024-05-01T00:00:00Z'."
    default     = ""
  }

  locals {
    clouds = {
      "us-1"     = "https://api.crowdstrike.com"
      "us-2"     = "https://api.us-2.crowdstrike.com"
      "eu-1"     = "https://api.eu-1.crowdstrike.com"
      "us-gov-1" = "https://api.laggar.gcw.crowdstrike.com"
    }
    base_url = local.clouds[config.region]
    query = merge(
      { limit = config.page_size, sort = "hostname.asc" },
      config.filter == "" ? {} : { filter = config.filter },
    )
  }

  http {
    base_url      = local.base_url
    headers       = { Accept = "application/json" }
    error_message = ".errors[0].message"

    retry {
      attempts         = 5
      on_status        = [429, 500, 502, 503, 504]
      initial_interval = "500ms"
      max_interval     = "30s"
      max_wait         = "2m"

      wait_header "X-RateLimit-RetryAfter" {
        format = "epoch_seconds"
      }
    }

    rate_limit {
      requests         = 6000
      per              = "1m"
      burst            = 20
      remaining_header = "X-RateLimit-Remaining"
      low_water        = 10
    }
  }

  auth "oauth2_client_credentials" {
    token_url      = "${local.base_url}/oauth2/token"
    client_id      = config.client_id
    client_secret  = config.client_secret
    refresh_before = "4m"
  }

  check {
    request {
      path  = "/devices/queries/devices/v1"
      query = { limit = 1 }
    }
  }

  stream "hosts" {
    request {
      path  = "/devices/combined/devices/v1"
      query = local.query
    }

    paginate "cursor" {
      token = ".meta.pagination.offset"
      param = "offset"
    }

    records = ".resources[]"

    # The model does the tidying: it drops null and empty values, removes duplicate
    # IPs, host names and MACs (keeping their order), normalizes MACs and dates, and
    # drops empty attributes. The mapping only says where each value comes from.
    asset = <<-JQ
      {
        key:        "crowdstrike:host:\(.device_id // error("the host has no device_id"))",
        class:      "host",
        name:       .hostname,
        hostnames:  [.hostname, (if .machine_domain then "\(.hostname).\(.machine_domain)" else empty end)],
        ips:        [.local_ip, .connection_ip, .external_ip],
        macs:       [.mac_address, .connection_mac_address],
        os:         ([.os_product_name // .os_version, .os_build] | map(select(. != null and . != "")) | join(" build ")),
        cloud:      (if .instance_id then {
                       provider:    (.service_provider // "" | ascii_downcase | split("_")[0]),
                       account:     .service_provider_account_id,
                       resource_id: .instance_id
                     } else null end),
        status:     (if .status == "normal" or .status == "containment_pending" or .status == "contained" then "active" else "inactive" end),
        first_seen: .first_seen,
        last_seen:  .last_seen,
        attributes: {
          platform:      .platform_name,
          agent_version: .agent_version,
          serial_number: .serial_number,
          manufacturer:  .system_manufacturer,
          containment:   .status,
          tags:          .tags,
          cid:           .cid
        },
        source: { vendor_id: .device_id }
      }
    JQ
  }
}
