/**
 * Built-in rules: cloud and service credentials. Formats come from the vendors' own documentation; the
 * vendors' documented example values (AWS's AKIAIOSFODNN7EXAMPLE) have the real format and do match.
 */
import type { RuleLiterals } from '../prefilter.js';

export const CLOUD_CREDENTIAL_RULES = String.raw`
rule aws_access_key_id {
  meta:
    description = "AWS access key ID (long-term AKIA or temporary ASIA); the secret key may be near it"
    severity = "medium"
    source = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids"
  strings:
    $id = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and ($id)
}

rule aws_secret_access_key {
  meta:
    description = "AWS secret access key assigned in a credentials/config file or environment setting"
    severity = "critical"
    source = "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"
  strings:
    $secret = /aws_secret_access_key["']?\s{0,4}[=:]\s{0,4}["']?[A-Za-z0-9\/+]{40}([^A-Za-z0-9\/+]|$)/ nocase
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and ($secret)
}

rule gcp_service_account_key {
  meta:
    description = "Google Cloud service account key file (JSON with a private key)"
    severity = "critical"
    source = "https://cloud.google.com/iam/docs/keys-create-delete, https://google.aip.dev/auth/4112"
  strings:
    $type = /"type"\s{0,4}:\s{0,4}"service_account"/
    $key = /"private_key"\s{0,4}:\s{0,4}"-----BEGIN PRIVATE KEY-----/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and ($type and $key)
}

rule github_token {
  meta:
    description = "GitHub token: personal access token (classic ghp_, fine-grained github_pat_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_) or refresh token (ghr_)"
    severity = "high"
    source = "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/, https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"
  strings:
    $classic = /\b(ghp_|gho_|ghu_|ghs_|ghr_)[A-Za-z0-9]{36}\b/
    $fine = /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and (any of them)
}

rule slack_token {
  meta:
    description = "Slack token (bot xoxb-, user xoxp-, app-level xapp-) or incoming webhook URL"
    severity = "high"
    source = "https://api.slack.com/authentication/token-types, https://api.slack.com/messaging/webhooks"
  strings:
    $bot_user = /\b(xoxb-|xoxp-)[0-9]{8,14}-[0-9]{8,14}(-[0-9]{8,14})?-[A-Za-z0-9]{24,34}\b/
    $app = /\bxapp-[0-9]-[A-Z0-9]{8,14}-[0-9]{8,14}-[a-f0-9]{40,80}\b/
    $webhook = /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and (any of them)
}
`;

/** What each rule above cannot match without (the prefilter, src/yara/prefilter.ts). */
export const CLOUD_CREDENTIAL_LITERALS: readonly RuleLiterals[] = [
  { rule: 'aws_access_key_id', all: [{ any: ['AKIA', 'ASIA'] }], notElf: true },
  { rule: 'aws_secret_access_key', all: [{ any: ['aws_secret_access_key'], nocase: true }], notElf: true },
  {
    rule: 'gcp_service_account_key',
    all: [{ any: ['"service_account"'] }, { any: ['"private_key"'] }, { any: ['-----BEGIN PRIVATE KEY-----'] }],
    notElf: true,
  },
  { rule: 'github_token', all: [{ any: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] }], notElf: true },
  {
    rule: 'slack_token',
    all: [{ any: ['xoxb-', 'xoxp-', 'xapp-', 'https://hooks.slack.com/services/T'] }],
    notElf: true,
  },
];
