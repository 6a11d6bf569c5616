/**
 * SARIF in the action: one file with one run per image (rendered from the JSON reports), always written to
 * `sarif-file`; uploaded to code scanning when `upload-sarif` is true.
 *
 * Categories: each image's run is `<sarif-category>/<image name>`, the name being the image's repository
 * without tag or digest (`ghcr.io/org/app`), so the category stays the same when the tag moves on (the next
 * upload replaces the alerts of the last one) and differs between images (several images, or the legs of a
 * matrix, never overwrite each other). Two images of one repository in one step fall back to `repo:tag`, and
 * the same image twice to `repo/<position>`.
 *
 * Incomplete scans (status not `done`) are written to the file, marked as such, but never uploaded: code
 * scanning closes every alert of a category that a new upload no longer reports, and an incomplete scan did
 * not check what it does not report. The upload carries the complete runs only (each category is replaced on
 * its own); the other categories keep their alerts until a complete scan replaces them. A warning says so.
 */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImageDockerfile } from '../dockerfile/image.js';
import type { GitHubClient } from '../github/client.js';
import type { RunContext } from '../github/context.js';
import type { UploadOptions, UploadResult } from '../github/sarif-upload.js';
import { uploadSarif } from '../github/sarif-upload.js';
import type { ScanReport } from '../model/report.js';
import { TOOL_VERSION } from '../model/version.js';
import type { SarifInput, SarifRenderResult } from '../report/sarif/render.js';
import { normalizeCategory, renderSarif, SarifRenderError } from '../report/sarif/render.js';
import type { ScanInput } from '../scan/input.js';
import { errorText } from '../util/error-text.js';
import { writeFileAtomic } from './files.js';

/** `ghcr.io/org/app:1.2@sha256:…` → `ghcr.io/org/app`; `app:1.2` → `app`; `localhost:5000/app` stays. */
export function repositoryOf(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function withoutDigest(ref: string): string {
  return ref.split('@')[0]!;
}

function clean(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._:/+-]+/g, '_')
      .replace(/\/{2,}/g, '/')
      .replace(/^\/+|\/+$/g, '') || 'image'
  );
}

/** The image's name as written by the user or the archive: ref input, `#ref`, the archive's first tag, the file name. */
export function imageNameOf(input: ScanInput, report: ScanReport): string {
  if (input.kind === 'docker') return input.ref;
  if (input.ref) return input.ref;
  if (report.target.refs[0]) return report.target.refs[0];
  return basename(input.path.replace(/[/\\]+$/, '')).replace(/\.(tar\.gz|tgz|tar|tar\.zst)$/i, '') || input.path;
}

/** One distinct, stable category per image (see the file header). */
export function sarifCategories(base: string, images: readonly { input: ScanInput; report: ScanReport }[]): string[] {
  const prefix = normalizeCategory(base) || 'scanrook';
  const names = images.map((i) => imageNameOf(i.input, i.report));
  const pick = (f: (n: string) => string) => names.map((n) => clean(f(n)));
  const repos = pick(repositoryOf);
  const full = pick(withoutDigest);
  const dup = (list: string[]) => list.map((x) => list.filter((y) => y === x).length > 1);
  const d1 = dup(repos);
  let chosen = repos.map((c, i) => (d1[i] ? full[i]! : c));
  const d2 = dup(chosen);
  // Still the same (the very same image twice, under other paths): the repository and the position.
  chosen = chosen.map((c, i) => (d2[i] ? `${repos[i]}/${i + 1}` : c));
  return chosen.map((c) => `${prefix}/${c}`);
}

export interface SarifImage {
  report: ScanReport;
  category: string;
  /** The image's Dockerfile mapping, computed once by the caller (also used for the annotations). */
  dockerfile: ImageDockerfile | null;
}

export interface SarifPublication {
  /** The file written, or null. */
  file: string | null;
  /** One sentence per image on where its SARIF went, for the comment and the summary. */
  notes: (string | null)[];
  upload: UploadResult | null;
}

export interface SarifIo {
  warning(message: string): void;
  info(message: string): void;
}

export interface SarifSettings {
  sarifFile: string;
  uploadSarif: boolean;
}

export async function publishSarif(
  io: SarifIo,
  settings: SarifSettings,
  images: readonly SarifImage[],
  github: { client: GitHubClient | null; context: RunContext | null },
  uploadOptions: UploadOptions = {},
): Promise<SarifPublication> {
  const none = (note: string): SarifPublication => ({ file: null, notes: images.map(() => note), upload: null });
  if (images.length === 0) return none('no image was scanned');
  const inputs: SarifInput[] = images.map((i) => ({
    report: i.report,
    category: i.category,
    dockerfile: i.dockerfile,
  }));
  let rendered: SarifRenderResult;
  try {
    rendered = renderSarif(inputs, { toolVersion: TOOL_VERSION });
  } catch (e) {
    if (!(e instanceof SarifRenderError)) throw e;
    io.warning(`SARIF not written: ${e.message}`);
    return none(`not written: ${e.message}`);
  }
  for (const t of rendered.trimmed) io.warning(`SARIF: ${t.reason}`);
  const incomplete = new Map(rendered.incomplete.map((r) => [r.run, r]));

  let file: string | null = settings.sarifFile;
  try {
    writeFileAtomic(settings.sarifFile, JSON.stringify(rendered.sarif) + '\n');
    io.info(`SARIF written to ${settings.sarifFile} (${rendered.sarif.runs.length} run(s))`);
  } catch (e) {
    io.warning(`could not write the SARIF file ${settings.sarifFile}: ${errorText(e)}`);
    file = null;
  }

  const category = (i: number) => `category ${images[i]!.category}`;
  if (!settings.uploadSarif) {
    return {
      file,
      upload: null,
      notes: images.map((_, i) => {
        if (!file) return `not written (see the log), ${category(i)}.`;
        const base = `written to ${file} (${category(i)}) for github/codeql-action/upload-sarif.`;
        return incomplete.has(i)
          ? `${base} This scan is incomplete: uploading its run would close alerts it did not check.`
          : base;
      }),
    };
  }

  // upload-sarif: true
  const notWritten = file ? '' : ' (the file could not be written)';
  const skip = (why: string): SarifPublication => {
    io.warning(`SARIF not uploaded: ${why}`);
    return { file, upload: null, notes: images.map((_, i) => `not uploaded: ${why}${notWritten}; ${category(i)}.`) };
  };
  if (!github.context) return skip('not running in GitHub Actions (GITHUB_REPOSITORY is not set)');
  if (!github.client) return skip('input "github-token" is empty');
  for (const r of rendered.incomplete) io.warning(`SARIF of ${r.category} not uploaded: ${r.reason}`);
  const runs = rendered.sarif.runs.filter((_, i) => !incomplete.has(i));
  if (runs.length === 0) {
    io.warning(
      'SARIF not uploaded: no scan completed, and uploading incomplete runs would close code scanning alerts that were not checked',
    );
    return {
      file,
      upload: null,
      notes: images.map(
        (_, i) =>
          `not uploaded: the scan is incomplete, and uploading it would close alerts it did not check (${category(i)}).`,
      ),
    };
  }
  const ctx = github.context;
  const result = await uploadSarif(
    github.client,
    ctx,
    { ...rendered.sarif, runs },
    {
      checkoutUri: pathToFileURL(ctx.workspace.endsWith('/') ? ctx.workspace : `${ctx.workspace}/`).href,
      toolName: 'ScanRook',
      ...uploadOptions,
    },
  );
  if (result.outcome === 'uploaded') io.info(result.message);
  else
    io.warning(
      `${result.message}${result.errors.length > 0 && !result.message.includes(result.errors[0]!) ? ` (${result.errors.join('; ')})` : ''} This does not change the verdict.`,
    );
  const notes = images.map((_, i) => {
    if (incomplete.has(i))
      return `not uploaded: the scan is incomplete, and uploading it would close alerts it did not check (${category(i)}).`;
    switch (result.outcome) {
      case 'uploaded':
        return `uploaded to code scanning (${category(i)}).`;
      case 'forbidden':
        return `upload refused by GitHub (${category(i)}): ${result.message}`;
      case 'rejected':
        return `rejected by code scanning (${category(i)}): ${result.message}`;
      default:
        return `upload failed (${category(i)}): ${result.message}`;
    }
  });
  return { file, notes, upload: result };
}
