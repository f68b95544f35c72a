# Bitbucket Cloud workspace repositories as assets.
#
# Auth: an API token with Basic (Atlassian account email + token), or a workspace,
# project or repository access token as Bearer, when access_token is set.
# Pagination: the body's next URL, absent on the last page; an empty page also ends
# the walk (Bitbucket sometimes sends a next link on its last page). Rate limit:
# 1,000 requests an hour; 429 with no Retry-After, so backoff does the waiting.
integration "bitbucket" {
  title       = "Bitbucket Cloud"
  description = "Repositories of a Bitbucket Cloud workspace."

  config "workspace" {
    description = "The workspace slug, e.g. acme-sec."
  }

  config "username" {
    description = "Atlassian account email, for API-token Basic auth."
    default     = ""
  }

  config "api_token" {
    description = "API token (scope read:repository:bitbucket), used with username."
    default     = ""
    sensitive   = true
  }

  config "access_token" {
    description = "Workspace, project or repository access token; used instead of username and api_token when set."
    default     = ""
    sensitive   = true
  }

  config "page_size" {
    type        = number
    description = "Repositories per page (pagelen, 10 to 100)."
    default     = 10

    validation {
      condition     = config.page_size >= 10 && config.page_size <= 100
      error_message = "page_size (pagelen) must be between 10 and 100."
    }
  }

  http {
    base_url      = "https://api.bitbucket.org/2.0"
    error_message = ".error.message"

    retry {
      attempts         = 6
      initial_interval = "1s"
      max_interval     = "1m"
    }

    rate_limit {
      requests = 1000
      per      = "1h"
      burst    = 20
    }
  }

  auth "bearer" {
    when  = config.access_token != ""
    token = config.access_token
  }

  auth "basic" {
    username = config.username
    password = config.api_token
  }

  check {
    request {
      path = "/workspaces/${pathescape(config.workspace)}"
    }
  }

  stream "repositories" {
    request {
      path  = "/repositories/${pathescape(config.workspace)}"
      query = { pagelen = config.page_size, sort = "full_name" }
    }

    paginate "next_url" {
      url = ".next"
    }

    records = ".values[]"

    asset = <<-JQ
      {
        key:        "bitbucket:repo:\(.uuid // error("the repository has no uuid"))",
        class:      "repository",
        name:       .full_name,
        status:     "active",
        first_seen: (.created_on | to_rfc3339),
        last_seen:  (.updated_on | to_rfc3339),
        attributes: ({
          url:         .links.html.href,
          private:     .is_private,
          language:    .language,
          scm:         .scm,
          main_branch: .mainbranch.name,
          project:     .project.key,
          workspace:   .workspace.slug,
          description: .description,
          size_bytes:  .size
        } | compact),
        source: { vendor_id: .uuid }
      }
    JQ
  }
}
