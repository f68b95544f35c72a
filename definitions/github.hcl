# GitHub organization repositories (assets) and Dependabot alerts (findings).
#
# Auth: a bearer token (fine-grained PAT or installation token) with metadata:read and
# vulnerability_alerts:read. Pagination: the Link header's rel="next", followed verbatim
# (page numbers for repos, an opaque after cursor for alerts). Rate limit: 5,000
# requests an hour; x-ratelimit-remaining and x-ratelimit-reset (epoch seconds) on every
# response, retry-after on secondary limits.
integration "github" {
  title       = "GitHub"
  description = "Repositories of an organization, and their open Dependabot alerts."

  config "token" {
    description = "A token with read access to the organization's repositories and Dependabot alerts."
    sensitive   = true
  }

  config "org" {
    description = "The organization's login, e.g. acme."
  }

  config "base_url" {
    description = "API root; https://<host>/api/v3 for GitHub Enterprise Server."
    default     = "https://api.github.com"
  }

  config "alert_states" {
    description = "Dependabot alert states to fetch (comma-separated)."
    default     = "open"
  }

  http {
    base_url = config.base_url
    headers = {
      Accept                 = "application/vnd.github+json"
      "X-GitHub-Api-Version" = "2022-11-28"
    }
    error_message = ".message"

    retry {
      attempts  = 5
      on_status = [429, 500, 502, 503, 504]
      max_wait  = "2m"
    }

    rate_limit {
      requests         = 5000
      per              = "1h"
      burst            = 50
      remaining_header = "x-ratelimit-remaining"
      reset_header     = "x-ratelimit-reset"
      reset_format     = "epoch_seconds"
      low_water        = 50
    }
  }

  auth "bearer" {
    token = config.token
  }

  check {
    request {
      path = "/orgs/${pathescape(config.org)}"
    }
  }

  stream "repositories" {
    request {
      path  = "/orgs/${pathescape(config.org)}/repos"
      query = { per_page = 30, type = "all", sort = "full_name" }
    }

    paginate "link_header" {}

    records = ".[]"

    asset = <<-JQ
      {
        key:        "github:repo:\(.id // error("the repository has no id"))",
        class:      "repository",
        name:       .full_name,
        status:     (if .archived or .disabled then "inactive" else "active" end),
        first_seen: (.created_at | to_rfc3339),
        last_seen:  ((.pushed_at // .updated_at) | to_rfc3339),
        attributes: ({
          url:            .html_url,
          visibility:     .visibility,
          private:        .private,
          fork:           .fork,
          language:       .language,
          default_branch: .default_branch,
          topics:         .topics,
          description:    .description
        } | compact),
        source: { vendor_id: .id }
      }
    JQ
  }

  stream "dependabot_alerts" {
    request {
      path  = "/orgs/${pathescape(config.org)}/dependabot/alerts"
      query = { state = config.alert_states, per_page = 20 }
    }

    paginate "link_header" {}

    records = ".[]"

    finding = <<-JQ
      .security_advisory as $adv
      | {
          key:         "github:dependabot:\(.repository.full_name // error("the alert has no repository"))#\(.number // error("the alert has no number"))",
          asset_key:   "github:repo:\(.repository.id // error("the alert has no repository id"))",
          name:        "\($adv.summary) (\(.dependency.package.ecosystem)/\(.dependency.package.name))",
          cves:        ([$adv.cve_id] + [$adv.identifiers[]? | select(.type == "CVE") | .value] | map(select(. != null)) | unique),
          severity:    (($adv.severity // .security_vulnerability.severity) | severity),
          cvss:        $adv.cvss.score,
          status:      ({open: "open", fixed: "fixed", dismissed: "accepted", auto_dismissed: "accepted"}[.state] // "open"),
          first_found: (.created_at | to_rfc3339),
          last_found:  (.updated_at | to_rfc3339),
          remote:      false,
          evidence:    .dependency.manifest_path,
          remediation: (.security_vulnerability.first_patched_version.identifier
                        | if . then "Upgrade to \(.) or later" else null end),
          attributes: ({
            ghsa:    $adv.ghsa_id,
            package: .dependency.package.name,
            ecosystem: .dependency.package.ecosystem,
            scope:   .dependency.scope,
            url:     .html_url
          } | compact),
          source: { vendor_id: "\(.repository.full_name)#\(.number)" }
        }
    JQ
  }
}
