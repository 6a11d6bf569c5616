/**
 * Two independent checks for every SARIF file the tests produce:
 * 1. the official OASIS SARIF 2.1.0 errata01 schema (../shared/github/sarif-schema-2.1.0.json), draft-04, with
 *    ajv-draft-04 + ajv-formats;
 * 2. GitHub code scanning's own rules (../shared/github/CONTRACTS.md §1.1–1.2): required non-empty fields,
 *    description lengths, `security-severity` as a numeric string in (0, 10], all four region fields,
 *    `partialFingerprints.primaryLocationLineHash`, the limits, distinct categories, and no image digests in
 *    rule ids or URIs.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: checks SARIF JSON of any shape against GitHub's limits, field by field
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { sharedPath } from '../../helpers/shared.js';

type AjvLike = {
  compile(s: object): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
};
const Ajv04 = ((Ajv04Module as unknown as { default?: unknown }).default ?? Ajv04Module) as unknown as new (
  o: object,
) => AjvLike;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  a: AjvLike,
) => void;

let validator: ReturnType<AjvLike['compile']> | null = null;

export function schemaErrors(sarif: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(sharedPath('github', 'sarif-schema-2.1.0.json'), 'utf8')));
  }
  return validator(sarif)
    ? []
    : (validator.errors ?? []).slice(0, 20).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

export function githubErrors(sarif: any, opts: { maxResults?: number } = {}): string[] {
  const errs: string[] = [];
  const maxResults = opts.maxResults ?? 5000;
  if (!nonEmpty(sarif?.$schema)) errs.push('$schema is required');
  if (sarif?.version !== '2.1.0') errs.push('version must be 2.1.0');
  if (!Array.isArray(sarif?.runs) || sarif.runs.length === 0) return [...errs, 'runs[] is required'];
  if (sarif.runs.length > 20) errs.push(`${sarif.runs.length} runs: at most 20`);
  const gz = gzipSync(JSON.stringify(sarif)).length;
  if (gz > 10 * 1000 * 1000) errs.push(`gzipped size ${gz} over 10 MB`);
  const categories = new Set<string>();
  sarif.runs.forEach((run: any, r: number) => {
    const at = `runs[${r}]`;
    const d = run?.tool?.driver;
    if (!nonEmpty(d?.name)) errs.push(`${at}.tool.driver.name is required`);
    if (!Array.isArray(d?.rules)) errs.push(`${at}.tool.driver.rules[] is required`);
    if (!Array.isArray(run?.results)) errs.push(`${at}.results[] is required`);
    const id = run?.automationDetails?.id;
    if (!nonEmpty(id)) errs.push(`${at}.automationDetails.id missing`);
    else {
      const cat = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : '';
      if (cat === '') errs.push(`${at}.automationDetails.id "${id}" has no category`);
      if (categories.has(cat)) errs.push(`${at}: category "${cat}" repeated`);
      categories.add(cat);
    }
    const rules: any[] = d?.rules ?? [];
    const results: any[] = run?.results ?? [];
    if (rules.length > 25000) errs.push(`${at}: ${rules.length} rules`);
    if (results.length > maxResults) errs.push(`${at}: ${results.length} results, more than ${maxResults}`);
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const ra = `${at}.rules[${i}]`;
      if (!nonEmpty(rule?.id)) errs.push(`${ra}.id is required`);
      if (ids.has(rule?.id)) errs.push(`${ra}.id ${rule?.id} repeated`);
      ids.add(rule?.id);
      if (/sha256:|[0-9a-f]{64}/.test(String(rule?.id))) errs.push(`${ra}.id holds a digest`);
      if (rule?.name !== undefined && String(rule.name).length > 255) errs.push(`${ra}.name over 255`);
      for (const k of ['shortDescription', 'fullDescription']) {
        const t = rule?.[k]?.text;
        if (!nonEmpty(t)) errs.push(`${ra}.${k}.text is required`);
        else if (t.length > 1024) errs.push(`${ra}.${k}.text is ${t.length} > 1024`);
      }
      if (!nonEmpty(rule?.help?.text)) errs.push(`${ra}.help.text is required`);
      const p = rule?.properties ?? {};
      if (
        p.tags !== undefined &&
        (!Array.isArray(p.tags) || p.tags.length > 10 || p.tags.some((t: unknown) => !nonEmpty(t)))
      )
        errs.push(`${ra}.properties.tags invalid or over 10`);
      if (p.precision !== undefined && !['very-high', 'high', 'medium', 'low'].includes(p.precision))
        errs.push(`${ra}.properties.precision invalid`);
      const ss = p['security-severity'];
      if (ss !== undefined) {
        if (typeof ss !== 'string' || !/^\d+(\.\d+)?$/.test(ss) || !(Number(ss) > 0 && Number(ss) <= 10))
          errs.push(`${ra}.security-severity "${ss}" not a numeric string in (0, 10]`);
      }
      const lvl = rule?.defaultConfiguration?.level;
      if (lvl !== undefined && !['note', 'warning', 'error'].includes(lvl))
        errs.push(`${ra}.defaultConfiguration.level invalid`);
    });
    results.forEach((res, i) => {
      const ra = `${at}.results[${i}]`;
      if (!nonEmpty(res?.message?.text)) errs.push(`${ra}.message.text is required`);
      if (!ids.has(res?.ruleId)) errs.push(`${ra}.ruleId ${res?.ruleId} has no rule`);
      if (typeof res?.ruleIndex === 'number' && rules[res.ruleIndex]?.id !== res.ruleId)
        errs.push(`${ra}.ruleIndex does not point at its rule`);
      if (res?.level !== undefined && !['none', 'note', 'warning', 'error'].includes(res.level))
        errs.push(`${ra}.level invalid`);
      if (!Array.isArray(res?.locations) || res.locations.length < 1 || res.locations.length > 10)
        errs.push(`${ra}.locations must hold 1..10`);
      else {
        const pl = res.locations[0]?.physicalLocation;
        const uri = pl?.artifactLocation?.uri;
        if (!nonEmpty(uri)) errs.push(`${ra} location uri is required`);
        else if (/sha256:|[0-9a-f]{64}/.test(uri)) errs.push(`${ra} location uri holds a digest: ${uri}`);
        else if (/^[a-z]+:/i.test(uri) || uri.startsWith('/'))
          errs.push(`${ra} location uri should be repository-relative: ${uri}`);
        const rg = pl?.region;
        for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn'])
          if (!posInt(rg?.[k])) errs.push(`${ra}.region.${k} is required (positive integer)`);
        if (posInt(rg?.startLine) && posInt(rg?.endLine) && rg.endLine < rg.startLine)
          errs.push(`${ra}.region ends before it starts`);
        if (rg?.startLine === rg?.endLine && posInt(rg?.endColumn) && rg.endColumn < rg.startColumn)
          errs.push(`${ra}.region endColumn before startColumn`);
      }
      if (!nonEmpty(res?.partialFingerprints?.primaryLocationLineHash))
        errs.push(`${ra}.partialFingerprints.primaryLocationLineHash is required`);
    });
  });
  return errs;
}

/** Both checks; throws listing every problem. */
export function assertGitHubSarif(sarif: unknown, opts: { maxResults?: number } = {}): void {
  const errs = [
    ...schemaErrors(sarif).map((e) => `schema: ${e}`),
    ...githubErrors(sarif, opts).map((e) => `github: ${e}`),
  ];
  if (errs.length > 0) throw new Error(`invalid SARIF:\n${errs.slice(0, 40).join('\n')}`);
}
