/**
 * The troubleshooting guide users read (docs/troubleshooting.md), rendered from code: the reason registry
 * (./reasons.ts), the analyzers actually registered (../inventory/registry.ts), the default job policy
 * (../policy/verdict.ts) and the contract (../shared/spec/scan-status.md). `npm run docs` writes it
 * (./generated.ts); test/docs/guide.test.ts checks the committed file equals `renderGuide()`, so the guide
 * cannot drift from what the scanner does.
 */
import { ANALYZERS } from '../inventory/registry.js';
import type { Analyzer } from '../inventory/types.js';
import type { ReasonCode, TerminalStatus } from '../model/reasons.js';
import { REASON_CODES, REASONS } from '../model/reasons.js';
import type { InventoryStatus, Mode, PackageType, ScanEvent } from '../model/report.js';
import { DEFAULT_POLICY } from '../policy/verdict.js';
import { describeInput } from '../scan/input.js';
import { ScanJob } from '../scan/job.js';

export const GUIDE_PATH = 'docs/troubleshooting.md';

/** A package manager the contract (spec §3) says ScanRook supports. */
export interface SupportedPackageManager {
  manager: string;
  /** Distributions / ecosystems, as the contract lists them. */
  covers: string;
  /** The package type its packages carry in the report (`packages[].type`). */
  packageType: PackageType;
  /**
   * Name tokens of the analyzers that read it: an analyzer covers this manager when a `/`-separated segment
   * of its name, or one of its `/`, `-`, `_` or `.` separated parts, is one of these (`os/dpkg`, `lang/npm`,
   * `lock/package-lock`).
   */
  tokens: readonly string[];
}

/** The table of spec §3, kept in code so the guide and the tests read the same list. */
export const SUPPORTED_PACKAGE_MANAGERS: readonly SupportedPackageManager[] = [
  {
    manager: 'RPM',
    packageType: 'rpm',
    tokens: ['rpm'],
    covers: 'RHEL, CentOS, Rocky, AlmaLinux, Fedora, Amazon Linux, Oracle Linux (sqlite, Berkeley DB and NDB rpmdb)',
  },
  {
    manager: 'dpkg',
    packageType: 'deb',
    tokens: ['dpkg', 'deb'],
    covers: 'Debian, Ubuntu (including distroless `var/lib/dpkg/status.d/`)',
  },
  { manager: 'APK', packageType: 'apk', tokens: ['apk'], covers: 'Alpine, Chainguard, Wolfi' },
  {
    manager: 'npm',
    packageType: 'npm',
    tokens: ['npm', 'node', 'yarn', 'pnpm', 'package-lock'],
    covers: 'Node.js projects',
  },
  {
    manager: 'pip',
    packageType: 'pypi',
    tokens: ['pip', 'pypi', 'python', 'poetry', 'pipenv', 'pipfile', 'requirements'],
    covers: 'Python projects',
  },
  {
    manager: 'Go modules',
    packageType: 'golang',
    tokens: ['go', 'golang', 'gomod', 'gobinary'],
    covers: 'Go projects and Go binaries',
  },
  {
    manager: 'Maven',
    packageType: 'maven',
    tokens: ['maven', 'java', 'jar', 'pom', 'gradle'],
    covers: 'Java projects and jars',
  },
  {
    manager: 'Cargo',
    packageType: 'cargo',
    tokens: ['cargo', 'rust', 'rustaudit'],
    covers: 'Rust projects and audited Rust binaries',
  },
  {
    manager: 'RubyGems',
    packageType: 'gem',
    tokens: ['gem', 'gems', 'rubygems', 'ruby', 'bundler', 'gemfile'],
    covers: 'Ruby projects',
  },
  { manager: 'Composer', packageType: 'composer', tokens: ['composer', 'php'], covers: 'PHP projects' },
  { manager: 'Hex', packageType: 'hex', tokens: ['hex', 'mix', 'elixir', 'erlang'], covers: 'Elixir/Erlang projects' },
  {
    manager: 'Pub',
    packageType: 'pub',
    tokens: ['pub', 'pubspec', 'dart', 'flutter'],
    covers: 'Dart/Flutter projects',
  },
];

/** The registered analyzers that read a package manager (matched by name token). */
export function analyzersFor(pm: SupportedPackageManager, analyzers: readonly Analyzer[] = ANALYZERS): Analyzer[] {
  return analyzers.filter((a) => {
    const name = a.name.toLowerCase();
    return [...name.split('/'), ...name.split(/[/._-]/)].some((t) => pm.tokens.includes(t));
  });
}

/** The `inventory_reason` values the scan writes (src/scan/run.ts), with what each means. */
export const INVENTORY_REASONS: readonly { value: string; status: readonly InventoryStatus[]; meaning: string }[] = [
  {
    value: 'no_os_package_database',
    status: ['missing'],
    meaning:
      'light mode found no installed OS package database (no dpkg, apk or rpm database). Language packages found are still listed and matched; this alone does not make the scan partial.',
  },
  {
    value: 'deep_mode_requires_installed_inventory',
    status: ['missing'],
    meaning:
      'deep mode was asked for, and the image has no installed OS package database. The scan ends `partial_failed` with the reason of the same name; everything else found is still reported.',
  },
  {
    value: 'collection_time_limit_exceeded',
    status: ['partial', 'missing'],
    meaning:
      "the scan's time limit (`timeout`) stopped the image read before its end: later layers may change or hold the package database, so what was read is not the whole inventory: `partial` when an OS package database was read before the cut, `missing` otherwise.",
  },
  {
    value: 'os_package_database_partially_read',
    status: ['partial'],
    meaning:
      'an OS package database was found, but part of it could not be read (a reason `archive_corrupt` names the file and what was wrong). The packages that were read are reported.',
  },
];

/** The CLI exit codes (src/cli.ts `EXIT`; cli.ts runs on import, so the values are mirrored here and checked by test). */
export const CLI_EXIT_CODES: readonly { name: string; code: number; meaning: string }[] = [
  {
    name: 'pass',
    code: 0,
    meaning: 'the job outcome is `pass` or `warn` (warnings are printed, the exit code stays 0)',
  },
  {
    name: 'fail',
    code: 1,
    meaning:
      'the job outcome is `fail` by policy (findings or YARA detections at or above the threshold, or a status / reason rule)',
  },
  {
    name: 'usage',
    code: 2,
    meaning: 'usage error: an unknown option, a bad value, or suppression files with errors; nothing was scanned',
  },
  {
    name: 'scanFailed',
    code: 3,
    meaning:
      'the scan itself ended `failed` (whatever the policy says), a `db` command could not finish (`db build` could not write its file: nothing is left behind), or the CLI hit an internal error',
  },
];

const STATUS_MEANING: Record<TerminalStatus, { meaning: string; findings: string }> = {
  done: { meaning: 'every stage finished without error', findings: 'complete' },
  partial_failed: {
    meaning: 'the scan completed, but one or more stages failed or could not run',
    findings: 'whatever was found is reported',
  },
  failed: { meaning: 'the scan did not complete', findings: 'none' },
};

const MODES: { mode: Mode; what: string }[] = [
  {
    mode: 'light',
    what: 'installed package databases (OS and language) and the build metadata binaries embed (Go build info, Rust cargo-auditable data). Works on any image with a recognised package database or binary metadata and never fails for lack of a full OS inventory. The default.',
  },
  {
    mode: 'deep',
    what: 'light, plus lockfiles and manifests, archives (jars) and YARA rules. Needs an installed OS package database.',
  },
];

const EXAMPLE_PATH = 'build/image.tar';
const EXAMPLE_CLOCK = () => new Date('2026-01-01T12:00:00.000Z');

/**
 * The event log of a scan whose input does not exist, built with the real ScanJob and the same messages as
 * runScan and checkInput (test/docs/guide.test.ts runs a real scan of a missing path and compares).
 */
export function exampleFailedEvents(path = EXAMPLE_PATH, clock: () => Date = EXAMPLE_CLOCK): ScanEvent[] {
  const input = { kind: 'path' as const, path };
  const job = new ScanJob(clock, `scan queued: ${describeInput(input)} (mode light)`);
  job.inputFailed('file_not_found', `${path} does not exist`);
  return [...job.events];
}

const code = (s: string) => `\`${s}\``;
/** A markdown table cell: no raw pipes or newlines. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function reasonLine(c: ReasonCode): string {
  const r = REASONS.get(c)!;
  return `- ${code(c)} — ${r.when}. **What to do:** ${r.hint}`;
}

function modesOf(analyzers: readonly Analyzer[]): string {
  if (analyzers.length === 0) return '**not detected yet** (no analyzer registered)';
  const light = analyzers.some((a) => a.modes.includes('light'));
  const deep = analyzers.some((a) => a.modes.includes('deep'));
  const deepOnly = analyzers.filter((a) => !a.modes.includes('light')).map((a) => code(a.name));
  if (light && deep) {
    return deepOnly.length ? `light and deep (${deepOnly.join(', ')}: deep only)` : 'light and deep';
  }
  return light ? 'light only' : '**deep only**';
}

function list(values: readonly string[]): string {
  return values.length ? values.map(code).join(', ') : '(empty)';
}

/** The whole guide, as markdown. Deterministic: no clock, no file system. */
export function renderGuide(): string {
  const out: string[] = [];
  const p = (...lines: string[]) => out.push(...lines, '');
  const byStatus = (s: TerminalStatus) => REASON_CODES.filter((c) => REASONS.get(c)!.status === s);

  p(
    '# Troubleshooting ScanRook',
    '<!-- Generated by renderGuide() in src/docs/guide.ts from the reason registry (src/model/reasons.ts), the registered analyzers and the default policy. Do not edit by hand: change the code, then run `npm run docs`. -->',
  );
  p(
    'Every scan ends with a **status**, a list of **reasons** and an **event log**. This page says what each of them',
    'means and what to do about it. The names below (statuses, reason codes, fields) are the public API of the',
    'JSON report (`scan_status`, `reasons[]`, `inventory_status`, `inventory_reason`, `events[]`), the action',
    'outputs (`status`, `reasons`, `verdict`) and the CLI.',
  );

  p(
    '## Contents',
    [
      '1. [What the status means](#what-the-status-means)',
      '2. [My scan ended `partial_failed`](#my-scan-ended-partial_failed)',
      '3. [My scan ended `failed` straight away (two events)](#my-scan-ended-failed-straight-away-two-events)',
      '4. [Light or deep mode](#light-or-deep-mode)',
      '5. [Supported package managers](#supported-package-managers)',
      '6. [Inventory status and `inventory_reason`](#inventory-status-and-inventory_reason)',
      '7. [Every reason code](#every-reason-code)',
      '8. [How the job outcome (pass / warn / fail) is decided](#how-the-job-outcome-pass--warn--fail-is-decided)',
      '9. [CLI exit codes](#cli-exit-codes)',
    ].join('\n'),
  );

  // 1
  p('## What the status means');
  p('A scan moves `queued → running` and ends in one of three terminal statuses:');
  p(
    table(
      ['status', 'meaning', 'findings'],
      (['done', 'partial_failed', 'failed'] as TerminalStatus[]).map((s) => [
        code(s),
        STATUS_MEANING[s].meaning,
        STATUS_MEANING[s].findings,
      ]),
    ),
  );
  p(
    'Every status other than `done` carries at least one reason; `done` may carry informational ones',
    `(${list(byStatus('done'))}). Each reason has a \`code\`, the \`stage\` that raised it, a \`message\` saying what`,
    'happened, and a `hint` saying what to do. **A scan that did not complete is never reported as "0 vulnerabilities"**:',
    'zero findings mean something only when the status is `done`.',
  );
  p(
    'The event log has one entry per stage transition (`seq`, `timestamp`, `stage`, `status` = started / finished /',
    'failed / skipped, `message`). Stages run in this order: `input`, `image`, `inventory`, `vulndb`, `match`.',
    'The first event whose status is `failed` names the stage that failed, and its message starts with the reason',
    'code. The CLI prints each event on stderr as it happens (`[stage] status: message`) unless `--quiet`.',
  );

  // 2
  p('## My scan ended `partial_failed`');
  p(
    'The scan ran to the end but something was missing; what was found is reported. By default the job **warns**',
    '(it does not fail) — see [the job outcome](#how-the-job-outcome-pass--warn--fail-is-decided). The common cases:',
  );
  p(
    '### Deep mode on an image without an installed OS package database',
    'The report shows `"inventory_status": "missing"` and `"inventory_reason": "deep_mode_requires_installed_inventory"`,',
    'with a reason of the same code. Deep mode needs an installed OS package inventory (dpkg, apk or rpm); scratch',
    'images, distroless images without `var/lib/dpkg/status.d/`, and images holding only static binaries have none.',
    `**What to do:** ${REASONS.get('deep_mode_requires_installed_inventory')!.hint}`,
  );
  p(
    '### Nothing was detected (zero findings)',
    'Reason `no_packages_detected`: no package of any [supported format](#supported-package-managers) was found, so',
    'the zero findings are not a clean bill of health — the scan says so by ending `partial_failed`, never `done`.',
    `**What to do:** ${REASONS.get('no_packages_detected')!.hint}`,
  );
  p(
    '### The platform asked for is not in the image',
    'Reason `platform_not_found`: `platform` names one the image does not have (say `linux/arm64` on an amd64-only',
    'image). The image that is there was scanned and its findings reported; the message names its platforms.',
    `**What to do:** ${REASONS.get('platform_not_found')!.hint}`,
  );
  p(
    '### No vulnerability data',
    'Reason `vulndb_unavailable`: the vulnerability database could not be downloaded or restored (or holds no records',
    'for an ecosystem the image uses; the message names it). The inventory (`packages[]`) is still reported, but',
    'those packages were not matched: the event log shows the `vulndb` stage `failed` and `match` `skipped` (or',
    `matched only the packages that had data). **What to do:** ${REASONS.get('vulndb_unavailable')!.hint}`,
  );
  p('### Every reason that leads to `partial_failed`');
  p(byStatus('partial_failed').map(reasonLine).join('\n'));
  p(
    'A reason that usually fails a scan (such as `internal_error` in one analyzer) leaves it `partial_failed` when the',
    'scan could go on: what the other stages found is still reported.',
  );

  // 3
  p('## My scan ended `failed` straight away (two events)');
  p(
    'A job that cannot even open its input ends `failed` with **exactly two events**: `queued` and the `input`',
    'stage `failed`. Nothing was read, so there are no packages and no findings. For example, scanning a path that',
    `does not exist (\`scanrook scan ${EXAMPLE_PATH} --format json\`) gives this event log:`,
  );
  p('```json', `"events": ${JSON.stringify(exampleFailedEvents(), null, 2)}`, '```');
  p(
    'The second event names the reason (`file_not_found` here) and the message says what was wrong. The reasons that',
    'end a scan this way:',
  );
  p(
    REASON_CODES.filter((c) => c !== 'internal_error' && REASONS.get(c)!.status === 'failed')
      .map(reasonLine)
      .join('\n'),
  );
  p(
    '(`unsupported_media_type` also covers an empty file and a folder without `index.json`; `image_size_exceeded` ends',
    'a scan this way when the archive file itself is over `max-image-size`.)',
  );
  p(
    'A `failed` scan with more than two events got further: the input opened, then a later stage failed in a way',
    'that left nothing trustworthy to report — for example `archive_corrupt` when no layer of the image could be read,',
    'or `image_size_exceeded` when a `docker save` stream passed the limit. The first `failed` event names the stage.',
    `\`internal_error\` is a bug in ScanRook: ${REASONS.get('internal_error')!.hint}`,
  );

  // 4
  p('## Light or deep mode');
  p(
    table(
      ['mode', 'reads'],
      MODES.map((m) => [code(m.mode), m.what]),
    ),
  );
  p(
    'If unsure, use `light`: it covers most images and never fails for lack of a full inventory. On an image with no',
    'installed OS package database, `light` scans what it finds (`inventory_reason: no_os_package_database`), while',
    '`deep` ends `partial_failed` with `deep_mode_requires_installed_inventory`. A Go or Rust service on `scratch` or',
    'distroless needs no switch: light mode reads the Go build info (`stdlib` at the toolchain version, the main',
    'module, dependencies and replacements) and cargo-auditable data of every ELF executable in the image, so its',
    'modules are matched in either mode.',
  );

  // 5
  p('## Supported package managers');
  p(
    'A package format outside this list is not detected. The modes column comes from the analyzers registered in',
    'this version of ScanRook.',
  );
  p(
    table(
      ['package manager', 'distributions / ecosystems', 'report `type`', 'read in', 'analyzers'],
      SUPPORTED_PACKAGE_MANAGERS.map((pm) => {
        const as = analyzersFor(pm);
        return [
          pm.manager,
          pm.covers,
          code(pm.packageType),
          modesOf(as),
          as.map((a) => code(a.name)).join(', ') || '—',
        ];
      }),
    ),
  );
  p(
    '"deep only" means the manager is read only with `mode: deep` (lockfiles, jars): in light mode those',
    'packages are not listed.',
  );

  // 6
  p('## Inventory status and `inventory_reason`');
  p(
    '`inventory_status` says whether an installed OS package database was read: `present` (found and read), `missing`',
    '(none found) or `partial` (found, but some of it could not be read). When it is not `present`, `inventory_reason`',
    'says why:',
  );
  p(
    table(
      ['inventory_reason', 'inventory_status', 'meaning'],
      INVENTORY_REASONS.map((r) => [code(r.value), r.status.map(code).join(' or '), r.meaning]),
    ),
  );

  // 7
  p('## Every reason code');
  p('"typical status" is the least severe status a scan carrying the reason ends with.');
  p(
    table(
      ['code', 'stage', 'typical status', 'when', 'what to do'],
      REASON_CODES.map((c) => {
        const r = REASONS.get(c)!;
        return [code(c), code(r.stage), code(r.status), r.when, r.hint];
      }),
    ),
  );

  // 8
  const pol = DEFAULT_POLICY;
  p('## How the job outcome (pass / warn / fail) is decided');
  p(
    'The action (and the CLI) turns the status, the reasons and the findings into `pass`, `warn` or `fail`, and states',
    'the outcome and the rule that decided it in one sentence (job summary, PR comment, `verdict` output, and the',
    '`verdict:` line the CLI prints on stderr unless `--quiet`). Every rule is an input (action inputs; the CLI has',
    '`--severity-threshold` and uses the defaults for the rest):',
  );
  p(
    table(
      ['input', 'default', 'what it does'],
      [
        ['`fail-on-status`', list(pol.failOnStatus), 'scan statuses that fail the job'],
        [
          '`warn-on-status`',
          list(pol.warnOnStatus),
          'scan statuses that end the job with a warning (fail wins when a status is in both lists)',
        ],
        [
          '`fail-on-reasons`',
          list(pol.failOnReasons),
          'reason codes that fail the job whatever the status (e.g. `vulndb_stale, os_eol`)',
        ],
        [
          '`warn-on-reasons`',
          list(pol.warnOnReasons),
          'reason codes that end the job with a warning whatever the status',
        ],
        [
          '`severity-threshold`',
          code(pol.severityThreshold),
          'findings, and YARA detections in deep mode, at or above this severity fail the job (`critical`, `high`, `medium`, `low`, `negligible`, `unknown` = every one, `none` = never)',
        ],
        [
          '`fixed-only-gate`',
          code(String(pol.fixedOnlyGate)),
          'when true, only findings with a fixed version can fail the job; unfixed ones are reported, not gated. YARA detections are not affected',
        ],
      ],
    ),
  );
  p(
    'Each rule that applies proposes an outcome and the most severe one wins:',
    [
      '1. a reason listed in `fail-on-reasons` → `fail`; in `warn-on-reasons` → `warn`;',
      '2. the status rule (`fail-on-status`, then `warn-on-status`) — unless every reason that made the status what it',
      '   is has a rule of its own in the two reason lists (so with `fail-on-status: failed, partial_failed`, adding',
      '   `warn-on-reasons: vulndb_unavailable` makes a scan that is partial only for lack of vulnerability data warn',
      '   instead of fail, while other `partial_failed` scans still fail);',
      '3. findings: any finding not suppressed, at or above `severity-threshold`, and (with `fixed-only-gate`) with a',
      '   fixed version → `fail`; YARA detections (deep mode): any detection at or above `severity-threshold` → `fail`,',
      '   whatever `fixed-only-gate` says (a leaked key or a miner has no fixed version to wait for);',
      '4. otherwise `pass`.',
    ].join('\n'),
  );
  p(
    'With the defaults: `failed` fails, `partial_failed` warns, and findings fail the job only at `high` or above',
    'when a fix exists. Severity `unknown` (no or unrecognised rating) ranks lowest: only `severity-threshold: unknown`',
    'gates it. Suppressed findings (ignore file, VEX) never gate. A detection at `high` or above (a private key,',
    'a cloud credential, a web shell, a miner; your own rules carry their `meta: severity`) fails the job by default,',
    'and the one-sentence reason names its rule (`yara/<namespace>/<rule>`).',
  );

  // 9
  p('## CLI exit codes');
  p(
    table(
      ['exit code', 'meaning'],
      CLI_EXIT_CODES.map((e) => [String(e.code), e.meaning]),
    ),
  );
  return out.join('\n').replace(/\n+$/, '\n');
}
