/**
 * One SARIF rule per vulnerability id in a run: descriptions (≤ 1024 characters, never empty), help in text and
 * Markdown (the affected packages with installed and fixed versions, the advisory links), tags and severity.
 */
import type { Finding } from '../../model/report.js';
import { sarifLevel, securitySeverity, worse } from './severity.js';
import type { SarifRule } from './types.js';

export const MAX_DESCRIPTION = 1024;
export const MAX_TAGS = 10;
const MAX_HELP_PACKAGES = 25;
const MAX_HELP_REFERENCES = 15;

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1).trimEnd()}…`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Escape what Markdown would read as formatting or table structure. */
export function md(s: string): string {
  return oneLine(s).replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

function mdLink(url: string): string {
  return /^https?:\/\/[^\s()<>[\]]+$/.test(url) ? `[${md(url)}](${url})` : md(url);
}

export function fixedText(f: Pick<Finding, 'fixed_version'>): string {
  return f.fixed_version ? f.fixed_version : 'no fix yet';
}

export function buildRule(id: string, findings: Finding[]): SarifRule {
  let severity = findings[0]!.severity;
  for (const f of findings) severity = worse(severity, f.severity);
  let secSev: number | null = null;
  for (const f of findings) {
    const s = securitySeverity(f);
    if (s !== null && (secSev === null || Number(s) > secSev)) secSev = Number(s);
  }
  const summary = oneLine(findings.find((f) => f.summary && f.summary.trim() !== '')?.summary ?? '');
  const aliases = [...new Set(findings.flatMap((f) => f.aliases))].filter((a) => a !== id).sort();
  const references = [...new Set(findings.flatMap((f) => f.references))].filter((r) => r.trim() !== '');
  const pkgs = [...new Map(findings.map((f) => [`${f.package_type}/${f.package}`, f])).values()];
  const pkgNames = pkgs.map((f) => f.package);
  const pkgList =
    pkgNames.length <= 3 ? pkgNames.join(', ') : `${pkgNames.slice(0, 3).join(', ')} and ${pkgNames.length - 3} more`;

  const shortText = summary !== '' ? `${id}: ${summary}` : `${id} in ${pkgList}`;
  const aliasText =
    aliases.length > 0 ? ` Also known as ${aliases.slice(0, 10).join(', ')}${aliases.length > 10 ? ', …' : ''}.` : '';
  const fullText =
    summary !== '' ? `${summary}${aliasText}` : `${id} affects ${pkgList} (${severity} severity).${aliasText}`;

  const listed = findings.slice(0, MAX_HELP_PACKAGES);
  const more = findings.length - listed.length;
  const refs = references.slice(0, MAX_HELP_REFERENCES);
  const moreRefs = references.length - refs.length;

  const text: string[] = [`${id} (${severity}${secSev !== null ? `, score ${secSev.toFixed(1)}` : ''})`];
  if (aliases.length > 0) text.push(`Aliases: ${aliases.join(', ')}`);
  if (summary !== '') text.push('', summary);
  text.push('', 'Affected packages:');
  for (const f of listed) {
    text.push(
      `- ${f.package} (${f.package_type}) ${f.installed_version}: ${f.fixed_version ? `fixed in ${f.fixed_version}` : 'no fix yet'}; ${f.location}`,
    );
  }
  if (more > 0) text.push(`- … and ${more} more`);
  if (refs.length > 0) {
    text.push('', 'References:');
    for (const r of refs) text.push(`- ${oneLine(r)}`);
    if (moreRefs > 0) text.push(`- … and ${moreRefs} more`);
  }
  text.push('', fixAdvice(findings));

  const mdl: string[] = [`**${md(id)}** (${severity}${secSev !== null ? `, score ${secSev.toFixed(1)}` : ''})`];
  if (aliases.length > 0) mdl.push('', `Aliases: ${aliases.map(md).join(', ')}`);
  if (summary !== '') mdl.push('', md(summary));
  mdl.push('', '| Package | Type | Installed | Fixed | Location |', '| --- | --- | --- | --- | --- |');
  for (const f of listed) {
    mdl.push(
      `| ${md(f.package)} | ${md(f.package_type)} | ${md(f.installed_version)} | ${f.fixed_version ? md(f.fixed_version) : '_no fix yet_'} | ${md(f.location)} |`,
    );
  }
  if (more > 0) mdl.push('', `… and ${more} more.`);
  if (refs.length > 0) {
    mdl.push('', '**References**', '');
    for (const r of refs) mdl.push(`- ${mdLink(r.trim())}`);
    if (moreRefs > 0) mdl.push(`- … and ${moreRefs} more`);
  }
  mdl.push('', md(fixAdvice(findings)));

  const tags = ['security', 'vulnerability', severity, ...new Set(findings.map((f) => f.package_type))];
  if (findings.some((f) => f.fixed_version)) tags.push('fixable');
  const rule: SarifRule = {
    id,
    shortDescription: { text: truncate(shortText, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(fullText, MAX_DESCRIPTION) },
    help: { text: text.join('\n'), markdown: mdl.join('\n') },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { tags: [...new Set(tags)].slice(0, MAX_TAGS), precision: 'high' },
  };
  if (secSev !== null) rule.properties['security-severity'] = secSev.toFixed(1);
  return rule;
}

function fixAdvice(findings: Finding[]): string {
  const fixable = findings.filter((f) => f.fixed_version);
  if (fixable.length === findings.length)
    return 'Upgrade each package to its fixed version (or later), or move to a base image that ships it.';
  if (fixable.length === 0)
    return 'No fixed version is known yet: watch the advisory, or remove the package if the image does not need it.';
  return 'Upgrade the packages that have a fixed version; the others have no fix yet.';
}
