#!/usr/bin/env node
import { fileURLToPath as __scanrookFileURLToPath } from 'node:url';
import { dirname as __scanrookDirname } from 'node:path';
const __filename = __scanrookFileURLToPath(import.meta.url);
const __dirname = __scanrookDirname(__filename);
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  d: () => (/* binding */ EXIT),
  i: () => (/* binding */ main)
});

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/scan/reasons.ts
const table = [
    { code: 'file_not_found', stage: 'input', status: 'failed',
        when: 'the input path does not exist or cannot be read',
        hint: 'Check the path given in `image-tar` (or on the command line) and that the file was produced before this step ran.' },
    { code: 'unsupported_media_type', stage: 'input', status: 'failed',
        when: 'the input is not a docker-save archive, OCI layout or OCI image archive (.tar, .tar.gz)',
        hint: 'Produce the archive with `docker save IMAGE -o image.tar` (or `docker save IMAGE | gzip`), or pass an OCI layout folder.' },
    { code: 'archive_corrupt', stage: 'image', status: 'partial_failed',
        when: 'the archive or one of its layers is truncated or malformed; the scan is partial when other layers were read, failed when nothing could be read',
        hint: 'Re-create the archive (an interrupted `docker save` or upload truncates it) and check the disk was not full.' },
    { code: 'image_not_found', stage: 'input', status: 'failed',
        when: '`docker save` could not find the image',
        hint: 'Build or pull the image in an earlier step, and check the reference (name:tag) matches exactly.' },
    { code: 'docker_unavailable', stage: 'input', status: 'failed',
        when: 'there is no docker CLI or no daemon to save the image',
        hint: 'Run on a runner with Docker (ubuntu-latest has it), check DOCKER_HOST and socket permissions, or pass an archive with `image-tar`.' },
    { code: 'image_size_exceeded', stage: 'image', status: 'failed',
        when: 'the image is larger than the configured maximum',
        hint: 'Raise `max-image-size` (0 turns the limit off) or scan a smaller image.' },
    { code: 'deep_mode_requires_installed_inventory', stage: 'inventory', status: 'partial_failed',
        when: 'deep mode was asked for, but the image has no installed OS package database',
        hint: 'Use `mode: light` for scratch, distroless-without-status.d or static-binary images, or scan binaries with `scanrook bin`.' },
    { code: 'no_packages_detected', stage: 'inventory', status: 'partial_failed',
        when: 'nothing at all was detected in the image',
        hint: 'The image holds no package format ScanRook supports; zero findings here does not mean the image is safe.' },
    { code: 'unsupported_os', stage: 'inventory', status: 'partial_failed',
        when: 'OS packages were found, but no vulnerability data exists for that distribution (or it could not be identified)',
        hint: 'OS packages of this distribution are listed but not matched; language packages are still matched.' },
    { code: 'os_eol', stage: 'inventory', status: 'done',
        when: 'the distribution is past its vendor\'s end of life: its packages get no new fixes',
        hint: 'Move the base image to a supported release.' },
    { code: 'package_collection_limit_exceeded', stage: 'inventory', status: 'partial_failed',
        when: 'the image holds more packages than the configured maximum; the first N are matched',
        hint: 'Raise `max-packages` (0 turns the limit off).' },
    { code: 'collection_time_limit_exceeded', stage: 'scan', status: 'partial_failed',
        when: 'the scan hit its time limit; findings up to then are reported',
        hint: 'Raise `timeout`, or use `mode: light`.' },
    { code: 'vulndb_unavailable', stage: 'vulndb', status: 'partial_failed',
        when: 'no vulnerability DB could be downloaded or restored; the inventory is still reported',
        hint: 'Check network access to `db-url`, or ship a DB with `db-path` for air-gapped runners.' },
    { code: 'vulndb_stale', stage: 'vulndb', status: 'done',
        when: 'the DB in use is older than the configured maximum age',
        hint: 'Let the DB refresh (check access to `db-url`) or raise `db-max-age`.' },
    { code: 'yara_unavailable', stage: 'analysis', status: 'done',
        when: 'deep mode, but the YARA engine or rules could not be loaded',
        hint: 'Check the rules folder compiles; the package scan itself is complete.' },
    { code: 'internal_error', stage: 'scan', status: 'failed',
        when: 'a bug in ScanRook: the message says what, the report is still written',
        hint: 'Please report it with the JSON report attached.' },
];
const REASONS = new Map(table.map((r) => [r.code, r]));
const REASON_CODES = table.map((r) => r.code);
function isReasonCode(s) {
    return REASONS.has(s);
}
function reasonInfo(code) {
    const r = REASONS.get(code);
    if (!r)
        throw new Error(`unknown reason code ${code}`);
    return r;
}
const rank = { done: 0, partial_failed: 1, failed: 2 };
function worseStatus(a, b) {
    return rank[a] >= rank[b] ? a : b;
}

;// CONCATENATED MODULE: ./src/policy/verdict.ts
/**
 * The verdict: (status, reasons, findings, settings) → pass | warn | fail, with the rule that decided it in
 * one sentence. Defaults (spec §6): `failed` fails, `partial_failed` warns, findings fail only at or above
 * the severity threshold (default high) and only when a fixed version exists. A reason's own rule beats
 * its status's rule. A scanner failure is never described as "0 vulnerabilities".
 */

const DEFAULT_POLICY = {
    failOnStatus: ['failed'],
    warnOnStatus: ['partial_failed'],
    failOnReasons: [],
    warnOnReasons: [],
    severityThreshold: 'high',
    fixedOnlyGate: true,
};
/** Severity rank for the threshold; `unknown` ranks lowest, so only threshold `unknown` gates it. */
const RANK = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };
const ORDER = { pass: 0, warn: 1, fail: 2 };
function gatingFindings(findings, policy) {
    if (policy.severityThreshold === 'none')
        return [];
    const min = RANK[policy.severityThreshold];
    return findings.filter((f) => !f.suppressed && RANK[f.severity] >= min && (!policy.fixedOnlyGate || f.fixed_version !== null));
}
function codes(rs) {
    return [...new Set(rs.map((r) => r.code))].join(', ');
}
function decideVerdict(input, policy = DEFAULT_POLICY) {
    const candidates = [];
    const failReasons = input.reasons.filter((r) => policy.failOnReasons.includes(r.code));
    const warnReasons = input.reasons.filter((r) => !policy.failOnReasons.includes(r.code) && policy.warnOnReasons.includes(r.code));
    if (failReasons.length) {
        candidates.push({ verdict: 'fail', rule: 'fail-on-reasons', gating: 0,
            why: `failed because the scan reported ${codes(failReasons)}, which fail-on-reasons fails on` });
    }
    if (warnReasons.length) {
        candidates.push({ verdict: 'warn', rule: 'warn-on-reasons', gating: 0,
            why: `warning because the scan reported ${codes(warnReasons)}, which warn-on-reasons warns on` });
    }
    // The status rule applies unless every reason that made the status what it is has its own rule.
    const ruled = new Set([...policy.failOnReasons, ...policy.warnOnReasons]);
    const statusCausing = input.reasons.filter((r) => reasonInfo(r.code).status !== 'done');
    const statusRuleApplies = input.status === 'done' || statusCausing.length === 0 || statusCausing.some((r) => !ruled.has(r.code));
    if (statusRuleApplies) {
        const because = statusCausing.length ? ` (${codes(statusCausing)})` : '';
        const what = input.status === 'failed' ? `the scan failed${because}, so no vulnerability result exists`
            : input.status === 'partial_failed' ? `the scan is incomplete${because}` : 'the scan completed';
        if (policy.failOnStatus.includes(input.status)) {
            candidates.push({ verdict: 'fail', rule: 'fail-on-status', gating: 0, why: `failed because ${what} and fail-on-status includes ${input.status}` });
        }
        else if (policy.warnOnStatus.includes(input.status)) {
            candidates.push({ verdict: 'warn', rule: 'warn-on-status', gating: 0, why: `warning because ${what} and warn-on-status includes ${input.status}` });
        }
    }
    const gating = gatingFindings(input.findings, policy);
    if (gating.length) {
        const fixed = policy.fixedOnlyGate ? ' with a fixed version' : '';
        candidates.push({ verdict: 'fail', rule: 'severity-threshold', gating: gating.length,
            why: `failed because ${gating.length} finding(s) at or above ${policy.severityThreshold}${fixed} were found` });
    }
    let best;
    for (const c of candidates)
        if (!best || ORDER[c.verdict] > ORDER[best.verdict])
            best = c;
    if (best)
        return { ...best, gating: gating.length };
    const open = input.findings.filter((f) => !f.suppressed).length;
    const threshold = policy.severityThreshold === 'none' ? 'findings never fail the job (severity-threshold none)'
        : `none at or above ${policy.severityThreshold}${policy.fixedOnlyGate ? ' with a fixed version' : ''}`;
    const why = input.status === 'done'
        ? `passed: the scan completed with ${open} finding(s), ${threshold}`
        : `passed: the scan ended ${input.status}${statusCausing.length ? ` (${codes(statusCausing)})` : ''}, which the status rules do not gate`;
    return { verdict: 'pass', rule: 'default', gating: 0, why };
}

;// CONCATENATED MODULE: ./src/scan/report.ts
const REPORT_SCHEMA_VERSION = '1';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];

;// CONCATENATED MODULE: ./src/report/table/render.ts

function render_table(headers, rows, max = 60) {
    const clip = (s) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
    const cells = rows.map((r) => r.map(clip));
    const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
    const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
/** Keeps terminal control characters out of the output: image contents are untrusted. */
function safe(s) {
    return (s ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
function renderTable(report, verdict, opts = {}) {
    const out = [];
    const t = report.target;
    out.push(`ScanRook ${report.tool.version} — ${safe(t.input)}`);
    out.push(`status: ${report.scan_status}   mode: ${report.mode}   verdict: ${verdict.verdict.toUpperCase()} — ${verdict.why}`);
    if (t.format)
        out.push(`image: ${t.format}${t.platform ? ', ' + t.platform : ''}, ${t.layers.length} layer(s)${t.image_id ? ', ' + t.image_id.slice(0, 19) : ''}${t.refs.length ? ', ' + t.refs.map(safe).join(' ') : ''}`);
    if (t.selection)
        out.push(`picked: ${safe(t.selection)}`);
    const os = report.os;
    out.push(`os: ${os ? safe(os.pretty_name ?? `${os.id ?? '?'} ${os.version_id ?? ''}`) + (os.ecosystem ? ` (advisories: ${os.ecosystem})` : ' (no advisory data)') : 'not identified'}`);
    out.push(`inventory: ${report.inventory_status}${report.inventory_reason ? ` (${report.inventory_reason})` : ''}, ${report.summary.packages} package(s)`);
    if (report.reasons.length) {
        out.push('', 'reasons:');
        for (const r of report.reasons)
            out.push(`  ${r.code} [${r.stage}] ${safe(r.message)}`, `    hint: ${r.hint}`);
    }
    out.push('', `findings: ${report.summary.findings} (${SEVERITIES.map((s) => `${s} ${report.summary.by_severity[s]}`).join(', ')}), fixable ${report.summary.fixable}`);
    if (report.findings.length) {
        out.push(render_table(['ID', 'SEVERITY', 'PACKAGE', 'INSTALLED', 'FIXED'], report.findings.map((f) => [safe(f.id), f.severity, safe(f.package), safe(f.installed_version), safe(f.fixed_version ?? '(none)')])));
    }
    if (report.packages.length) {
        const limit = opts.maxPackages ?? 50;
        out.push('', `packages (${report.packages.length}${report.packages.length > limit ? `, first ${limit}` : ''}):`);
        out.push(render_table(['NAME', 'VERSION', 'TYPE', 'SOURCE', 'LAYER'], report.packages.slice(0, limit).map((p) => [safe(p.name), safe(p.version), p.type,
            p.source_name === p.name && p.source_version === p.version ? '' : safe(`${p.source_name} ${p.source_version}`),
            p.layer ? String(p.layer.index) : ''])));
    }
    out.push('', `${report.events.length} events, ${report.timings.total_ms} ms`);
    return out.join('\n') + '\n';
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: ./src/image/docker-errors.ts
/**
 * What a failed `docker save` said, in our reason codes. Docker prints one-line errors on stderr; the texts
 * below were seen from Docker 20.10 (Debian 12) and Docker 26 (Debian 13) engines with the 20.10, 26 and
 * 28 CLIs (see test/docker/). The CLI's message is always quoted to the user as is.
 */
/** The daemon (or the socket) could not be reached: the CLI is there, the engine is not. */
const UNREACHABLE = [
    /Cannot connect to the Docker daemon/i,
    /Is the docker daemon running\?/i,
    /permission denied while trying to connect/i,
    /error during connect/i,
    /dial unix [^:]*: connect:/i,
    /connection refused/i,
    /no such host/i,
    /Failed to initialize: unable to resolve docker endpoint/i,
];
/** The daemon answered: it has no such image (or the reference cannot name one). */
const NOT_FOUND = [
    /No such image/i,
    /reference does not exist/i,
    /An image does not exist locally/i,
    /invalid reference format/i,
    /failed to get digest sha256:/i,
    /: not found\b/i,
    /\bnot found\b/i,
];
/** Classify docker's stderr; null when it is neither an unreachable daemon nor a missing image. */
function classifyDockerError(stderr) {
    // An answer from the daemon ("Error response from daemon: ...") means the daemon is reachable.
    const daemonAnswered = /Error response from daemon/i.test(stderr);
    if (!daemonAnswered && UNREACHABLE.some((r) => r.test(stderr)))
        return 'docker_unavailable';
    if (NOT_FOUND.some((r) => r.test(stderr)))
        return 'image_not_found';
    if (UNREACHABLE.some((r) => r.test(stderr)))
        return 'docker_unavailable';
    return null;
}
/** The meaningful part of docker's stderr for a message: trimmed, last lines, bounded. */
function dockerMessage(stderr, max = 2000) {
    const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    let text = lines.slice(-5).join(' | ');
    if (text.length > max)
        text = '…' + text.slice(text.length - max);
    return text;
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/image/types.ts
/** Errors the reader raises carry a reason code, so the job can report them. */
class ImageError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'ImageError';
    }
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/image/paths.ts
/**
 * Path normalisation for entries inside an image: relative, no `./`, no leading `/`, no `//`, `.` and `..`
 * resolved lexically. A path whose `..` would climb above the root is hostile: `normalizeEntryPath` returns
 * null for it (the entry is ignored), `containPath` clamps it at the root (used for link targets and lookups).
 */
function split(p) {
    return p.split('/').filter((s) => s !== '' && s !== '.');
}
/** Anything that needs the general path: `//`, `.`/`..` components, a leading `/`, NUL. */
const IRREGULAR = /\/\/|(^|\/)\.\.?(\/|$)|^\/|\0/;
/** Normalised relative path, '' for the root, or null when `..` escapes the root or the name has NUL. */
function normalizeEntryPath(name) {
    // fast path for the usual tar names (`usr/bin/x`, `./usr/bin/x`, `usr/share/`)
    let s = name;
    while (s.startsWith('./'))
        s = s.slice(2);
    if (s.endsWith('/') && !s.endsWith('//'))
        s = s.slice(0, -1);
    if (!IRREGULAR.test(s))
        return s;
    if (name.includes('\0'))
        return null;
    const out = [];
    for (const part of split(name)) {
        if (part === '..') {
            if (out.length === 0)
                return null;
            out.pop();
        }
        else
            out.push(part);
    }
    return out.join('/');
}
/** Normalised relative path where `..` at the root stays at the root (like the kernel does for `/..`). */
function containPath(name) {
    const out = [];
    for (const part of split(name.replace(/\0/g, ''))) {
        if (part === '..')
            out.pop();
        else
            out.push(part);
    }
    return out.join('/');
}
function dirnameOf(p) {
    const i = p.lastIndexOf('/');
    return i === -1 ? '' : p.slice(0, i);
}
function basenameOf(p) {
    const i = p.lastIndexOf('/');
    return i === -1 ? p : p.slice(i + 1);
}
function joinPath(dir, rel) {
    return dir ? `${dir}/${rel}` : rel;
}
/** Target of a link member inside the outer archive: relative to its folder, or absolute from the root. */
function linkTarget(linkPath, target) {
    const joined = target.startsWith('/') ? target : joinPath(dirnameOf(linkPath), target);
    return normalizeEntryPath(joined);
}

;// CONCATENATED MODULE: ./src/image/catalog.ts
/**
 * The members of an image container (outer tar, OCI layout folder, or a streamed archive), seen the same way
 * by the format resolver: normalised member paths, link members followed, small JSON members readable.
 */




/** Largest JSON member (manifest, index, config) we read. */
const MAX_JSON = 32 * 1024 * 1024;
async function readJson(cat, member, what) {
    if (cat.size(member) > MAX_JSON)
        throw new ImageError('archive_corrupt', `${what} (${member}) is too large to be JSON metadata`);
    const b = await cat.readBytes(member);
    try {
        return JSON.parse(b.toString('utf8'));
    }
    catch (e) {
        throw new ImageError('archive_corrupt', `${what} (${member}) is not valid JSON: ${e.message}`);
    }
}
/** Shared link handling: members that are symlinks / hard links to other members. */
class LinkedCatalog {
    links = new Map();
    find(path) {
        let p = normalizeEntryPath(path);
        for (let i = 0; i < 40 && p !== null; i++) {
            if (this.has(p))
                return p;
            const next = this.links.get(p);
            if (next === undefined)
                return null;
            p = next;
        }
        return null;
    }
}
/** Members of an outer tar file read in seekable mode. */
class ArchiveCatalog extends LinkedCatalog {
    file;
    members = new Map();
    constructor(file) {
        super();
        this.file = file;
    }
    has(p) {
        return this.members.has(p);
    }
    size(m) {
        return this.members.get(m)?.size ?? 0;
    }
    async readBytes(m) {
        const mem = this.members.get(m);
        if (!mem)
            throw new ImageError('archive_corrupt', `${m} is not in the archive`);
        return Buffer.from(await this.file.read(mem.offset, mem.size));
    }
    list() {
        return [...this.members.keys()];
    }
    addLink(path, target, hard) {
        const t = hard ? normalizeEntryPath(target) : linkTarget(path, target);
        if (t !== null)
            this.links.set(path, t);
    }
}
/** An OCI layout (or extracted docker save) folder. Members never resolve outside the folder. */
class FolderCatalog extends LinkedCatalog {
    root;
    files = new Map();
    constructor(root) {
        super();
        this.root = root;
    }
    /** Walk the folder (following nothing outside it). */
    async scan() {
        const rootReal = await external_node_fs_namespaceObject.promises.realpath(this.root);
        const walk = async (rel, depth) => {
            if (depth > 16)
                return;
            const dir = rel ? (0,external_node_path_namespaceObject.join)(rootReal, rel) : rootReal;
            for (const d of await external_node_fs_namespaceObject.promises.readdir(dir, { withFileTypes: true })) {
                const r = rel ? `${rel}/${d.name}` : d.name;
                const full = (0,external_node_path_namespaceObject.join)(rootReal, r);
                if (d.isDirectory())
                    await walk(r, depth + 1);
                else if (d.isFile())
                    this.files.set(r, { full, size: (await external_node_fs_namespaceObject.promises.stat(full)).size });
                else if (d.isSymbolicLink()) {
                    let real;
                    try {
                        real = await external_node_fs_namespaceObject.promises.realpath(full);
                    }
                    catch {
                        continue; // dangling
                    }
                    if (real !== rootReal && !real.startsWith(rootReal + external_node_path_namespaceObject.sep))
                        continue; // leads out of the folder
                    const st = await external_node_fs_namespaceObject.promises.stat(real);
                    if (st.isFile())
                        this.files.set(r, { full: real, size: st.size });
                }
            }
        };
        await walk('', 0);
    }
    has(p) {
        return this.files.has(p);
    }
    fullPath(m) {
        return this.files.get(m).full;
    }
    size(m) {
        return this.files.get(m)?.size ?? 0;
    }
    async readBytes(m) {
        const f = this.files.get(m);
        if (!f)
            throw new ImageError('archive_corrupt', `${m} is not in the folder`);
        return external_node_fs_namespaceObject.promises.readFile(f.full);
    }
    list() {
        return [...this.files.keys()];
    }
}
class StreamCatalog extends LinkedCatalog {
    members = new Map();
    has(p) {
        return this.members.has(p);
    }
    size(m) {
        return this.members.get(m)?.size ?? 0;
    }
    async readBytes(m) {
        const mem = this.members.get(m);
        if (!mem?.bytes) {
            throw new ImageError('archive_corrupt', `${m} is not metadata (${mem ? `a ${mem.kind} blob of ${mem.size} bytes` : 'absent'})`);
        }
        return mem.bytes;
    }
    list() {
        return [...this.members.keys()];
    }
    addLink(path, target, hard) {
        const t = hard ? normalizeEntryPath(target) : linkTarget(path, target);
        if (t !== null)
            this.links.set(path, t);
    }
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./node_modules/fzstd/esm/index.mjs
// Some numerical data is initialized as -1 even when it doesn't need initialization to help the JIT infer types
// aliases for shorter compressed code (most minifers don't do this)
var ab = ArrayBuffer, u8 = Uint8Array, u16 = Uint16Array, i16 = Int16Array, u32 = (/* unused pure expression or super */ null && (Uint32Array)), i32 = Int32Array;
var slc = function (v, s, e) {
    if (u8.prototype.slice)
        return u8.prototype.slice.call(v, s, e);
    if (s == null || s < 0)
        s = 0;
    if (e == null || e > v.length)
        e = v.length;
    var n = new u8(e - s);
    n.set(v.subarray(s, e));
    return n;
};
var fill = function (v, n, s, e) {
    if (u8.prototype.fill)
        return u8.prototype.fill.call(v, n, s, e);
    if (s == null || s < 0)
        s = 0;
    if (e == null || e > v.length)
        e = v.length;
    for (; s < e; ++s)
        v[s] = n;
    return v;
};
var cpw = function (v, t, s, e) {
    if (u8.prototype.copyWithin)
        return u8.prototype.copyWithin.call(v, t, s, e);
    if (s == null || s < 0)
        s = 0;
    if (e == null || e > v.length)
        e = v.length;
    while (s < e) {
        v[t++] = v[s++];
    }
};
/**
 * Codes for errors generated within this library
 */
var ZstdErrorCode = {
    InvalidData: 0,
    WindowSizeTooLarge: 1,
    InvalidBlockType: 2,
    FSEAccuracyTooHigh: 3,
    DistanceTooFarBack: 4,
    UnexpectedEOF: 5
};
// error codes
var ec = [
    'invalid zstd data',
    'window size too large (>2046MB)',
    'invalid block type',
    'FSE accuracy too high',
    'match distance too far back',
    'unexpected EOF'
];
var err = function (ind, msg, nt) {
    var e = new Error(msg || ec[ind]);
    e.code = ind;
    if (Error.captureStackTrace)
        Error.captureStackTrace(e, err);
    if (!nt)
        throw e;
    return e;
};
var rb = function (d, b, n) {
    var i = 0, o = 0;
    for (; i < n; ++i)
        o |= d[b++] << (i << 3);
    return o;
};
var b4 = function (d, b) { return (d[b] | (d[b + 1] << 8) | (d[b + 2] << 16) | (d[b + 3] << 24)) >>> 0; };
// read Zstandard frame header
var rzfh = function (dat, w) {
    var n3 = dat[0] | (dat[1] << 8) | (dat[2] << 16);
    if (n3 == 0x2FB528 && dat[3] == 253) {
        // Zstandard
        var flg = dat[4];
        //    single segment       checksum             dict flag     frame content flag
        var ss = (flg >> 5) & 1, cc = (flg >> 2) & 1, df = flg & 3, fcf = flg >> 6;
        if (flg & 8)
            err(0);
        // byte
        var bt = 6 - ss;
        // dict bytes
        var db = df == 3 ? 4 : df;
        // dictionary id
        var di = rb(dat, bt, db);
        bt += db;
        // frame size bytes
        var fsb = fcf ? (1 << fcf) : ss;
        // frame source size
        var fss = rb(dat, bt, fsb) + ((fcf == 1) && 256);
        // window size
        var ws = fss;
        if (!ss) {
            // window descriptor
            var wb = 1 << (10 + (dat[5] >> 3));
            ws = wb + (wb >> 3) * (dat[5] & 7);
        }
        if (ws > 2145386496)
            err(1);
        var buf = new u8((w == 1 ? (fss || ws) : w ? 0 : ws) + 12);
        buf[0] = 1, buf[4] = 4, buf[8] = 8;
        return {
            b: bt + fsb,
            y: 0,
            l: 0,
            d: di,
            w: (w && w != 1) ? w : buf.subarray(12),
            e: ws,
            o: new i32(buf.buffer, 0, 3),
            u: fss,
            c: cc,
            m: Math.min(131072, ws)
        };
    }
    else if (((n3 >> 4) | (dat[3] << 20)) == 0x184D2A5) {
        // skippable
        return b4(dat, 4) + 8;
    }
    err(0);
};
// most significant bit for nonzero
var msb = function (val) {
    var bits = 0;
    for (; (1 << bits) <= val; ++bits)
        ;
    return bits - 1;
};
// read finite state entropy
var rfse = function (dat, bt, mal) {
    // table pos
    var tpos = (bt << 3) + 4;
    // accuracy log
    var al = (dat[bt] & 15) + 5;
    if (al > mal)
        err(3);
    // size
    var sz = 1 << al;
    // probabilities symbols  repeat   index   high threshold
    var probs = sz, sym = -1, re = -1, i = -1, ht = sz;
    // optimization: single allocation is much faster
    var buf = new ab(512 + (sz << 2));
    var freq = new i16(buf, 0, 256);
    // same view as freq
    var dstate = new u16(buf, 0, 256);
    var nstate = new u16(buf, 512, sz);
    var bb1 = 512 + (sz << 1);
    var syms = new u8(buf, bb1, sz);
    var nbits = new u8(buf, bb1 + sz);
    while (sym < 255 && probs > 0) {
        var bits = msb(probs + 1);
        var cbt = tpos >> 3;
        // mask
        var msk = (1 << (bits + 1)) - 1;
        var val = ((dat[cbt] | (dat[cbt + 1] << 8) | (dat[cbt + 2] << 16)) >> (tpos & 7)) & msk;
        // mask (1 fewer bit)
        var msk1fb = (1 << bits) - 1;
        // max small value
        var msv = msk - probs - 1;
        // small value
        var sval = val & msk1fb;
        if (sval < msv)
            tpos += bits, val = sval;
        else {
            tpos += bits + 1;
            if (val > msk1fb)
                val -= msv;
        }
        freq[++sym] = --val;
        if (val == -1) {
            probs += val;
            syms[--ht] = sym;
        }
        else
            probs -= val;
        if (!val) {
            do {
                // repeat byte
                var rbt = tpos >> 3;
                re = ((dat[rbt] | (dat[rbt + 1] << 8)) >> (tpos & 7)) & 3;
                tpos += 2;
                sym += re;
            } while (re == 3);
        }
    }
    if (sym > 255 || probs)
        err(0);
    var sympos = 0;
    // sym step (coprime with sz - formula from zstd source)
    var sstep = (sz >> 1) + (sz >> 3) + 3;
    // sym mask
    var smask = sz - 1;
    for (var s = 0; s <= sym; ++s) {
        var sf = freq[s];
        if (sf < 1) {
            dstate[s] = -sf;
            continue;
        }
        // This is split into two loops in zstd to avoid branching, but as JS is higher-level that is unnecessary
        for (i = 0; i < sf; ++i) {
            syms[sympos] = s;
            do {
                sympos = (sympos + sstep) & smask;
            } while (sympos >= ht);
        }
    }
    // After spreading symbols, should be zero again
    if (sympos)
        err(0);
    for (i = 0; i < sz; ++i) {
        // next state
        var ns = dstate[syms[i]]++;
        // num bits
        var nb = nbits[i] = al - msb(ns);
        nstate[i] = (ns << nb) - sz;
    }
    return [(tpos + 7) >> 3, {
            b: al,
            s: syms,
            n: nbits,
            t: nstate
        }];
};
// read huffman
var rhu = function (dat, bt) {
    //  index  weight count
    var i = 0, wc = -1;
    //    buffer             header byte
    var buf = new u8(292), hb = dat[bt];
    // huffman weights
    var hw = buf.subarray(0, 256);
    // rank count
    var rc = buf.subarray(256, 268);
    // rank index
    var ri = new u16(buf.buffer, 268);
    // NOTE: at this point bt is 1 less than expected
    if (hb < 128) {
        // end byte, fse decode table
        var _a = rfse(dat, bt + 1, 6), ebt = _a[0], fdt = _a[1];
        bt += hb;
        var epos = ebt << 3;
        // last byte
        var lb = dat[bt];
        if (!lb)
            err(0);
        //  state1   state2   state1 bits   state2 bits
        var st1 = 0, st2 = 0, btr1 = fdt.b, btr2 = btr1;
        // fse pos
        // pre-increment to account for original deficit of 1
        var fpos = (++bt << 3) - 8 + msb(lb);
        for (;;) {
            fpos -= btr1;
            if (fpos < epos)
                break;
            var cbt = fpos >> 3;
            st1 += ((dat[cbt] | (dat[cbt + 1] << 8)) >> (fpos & 7)) & ((1 << btr1) - 1);
            hw[++wc] = fdt.s[st1];
            fpos -= btr2;
            if (fpos < epos)
                break;
            cbt = fpos >> 3;
            st2 += ((dat[cbt] | (dat[cbt + 1] << 8)) >> (fpos & 7)) & ((1 << btr2) - 1);
            hw[++wc] = fdt.s[st2];
            btr1 = fdt.n[st1];
            st1 = fdt.t[st1];
            btr2 = fdt.n[st2];
            st2 = fdt.t[st2];
        }
        if (++wc > 255)
            err(0);
    }
    else {
        wc = hb - 127;
        for (; i < wc; i += 2) {
            var byte = dat[++bt];
            hw[i] = byte >> 4;
            hw[i + 1] = byte & 15;
        }
        ++bt;
    }
    // weight exponential sum
    var wes = 0;
    for (i = 0; i < wc; ++i) {
        var wt = hw[i];
        // bits must be at most 11, same as weight
        if (wt > 11)
            err(0);
        wes += wt && (1 << (wt - 1));
    }
    // max bits
    var mb = msb(wes) + 1;
    // table size
    var ts = 1 << mb;
    // remaining sum
    var rem = ts - wes;
    // must be power of 2
    if (rem & (rem - 1))
        err(0);
    hw[wc++] = msb(rem) + 1;
    for (i = 0; i < wc; ++i) {
        var wt = hw[i];
        ++rc[hw[i] = wt && (mb + 1 - wt)];
    }
    // huf buf
    var hbuf = new u8(ts << 1);
    //    symbols                      num bits
    var syms = hbuf.subarray(0, ts), nb = hbuf.subarray(ts);
    ri[mb] = 0;
    for (i = mb; i > 0; --i) {
        var pv = ri[i];
        fill(nb, i, pv, ri[i - 1] = pv + rc[i] * (1 << (mb - i)));
    }
    if (ri[0] != ts)
        err(0);
    for (i = 0; i < wc; ++i) {
        var bits = hw[i];
        if (bits) {
            var code = ri[bits];
            fill(syms, i, code, ri[bits] = code + (1 << (mb - bits)));
        }
    }
    return [bt, {
            n: nb,
            b: mb,
            s: syms
        }];
};
// Tables generated using this:
// https://gist.github.com/101arrowz/a979452d4355992cbf8f257cbffc9edd
// default literal length table
var dllt = /*#__PURE__*/ rfse(/*#__PURE__*/ new u8([
    81, 16, 99, 140, 49, 198, 24, 99, 12, 33, 196, 24, 99, 102, 102, 134, 70, 146, 4
]), 0, 6)[1];
// default match length table
var dmlt = /*#__PURE__*/ rfse(/*#__PURE__*/ new u8([
    33, 20, 196, 24, 99, 140, 33, 132, 16, 66, 8, 33, 132, 16, 66, 8, 33, 68, 68, 68, 68, 68, 68, 68, 68, 36, 9
]), 0, 6)[1];
// default offset code table
var doct = /*#__PURE__ */ rfse(/*#__PURE__*/ new u8([
    32, 132, 16, 66, 102, 70, 68, 68, 68, 68, 36, 73, 2
]), 0, 5)[1];
// bits to baseline
var b2bl = function (b, s) {
    var len = b.length, bl = new i32(len);
    for (var i = 0; i < len; ++i) {
        bl[i] = s;
        s += 1 << b[i];
    }
    return bl;
};
// literal length bits
var llb = /*#__PURE__ */ new u8(( /*#__PURE__ */new i32([
    0, 0, 0, 0, 16843009, 50528770, 134678020, 202050057, 269422093
])).buffer, 0, 36);
// literal length baseline
var llbl = /*#__PURE__ */ b2bl(llb, 0);
// match length bits
var mlb = /*#__PURE__ */ new u8(( /*#__PURE__ */new i32([
    0, 0, 0, 0, 0, 0, 0, 0, 16843009, 50528770, 117769220, 185207048, 252579084, 16
])).buffer, 0, 53);
// match length baseline
var mlbl = /*#__PURE__ */ b2bl(mlb, 3);
// decode huffman stream
var dhu = function (dat, out, hu) {
    var len = dat.length, ss = out.length, lb = dat[len - 1], msk = (1 << hu.b) - 1, eb = -hu.b;
    if (!lb)
        err(0);
    var st = 0, btr = hu.b, pos = (len << 3) - 8 + msb(lb) - btr, i = -1;
    for (; pos > eb && i < ss;) {
        var cbt = pos >> 3;
        var val = (dat[cbt] | (dat[cbt + 1] << 8) | (dat[cbt + 2] << 16)) >> (pos & 7);
        st = ((st << btr) | val) & msk;
        out[++i] = hu.s[st];
        pos -= (btr = hu.n[st]);
    }
    if (pos != eb || i + 1 != ss)
        err(0);
};
// decode huffman stream 4x
// TODO: use workers to parallelize
var dhu4 = function (dat, out, hu) {
    var bt = 6;
    var ss = out.length, sz1 = (ss + 3) >> 2, sz2 = sz1 << 1, sz3 = sz1 + sz2;
    dhu(dat.subarray(bt, bt += dat[0] | (dat[1] << 8)), out.subarray(0, sz1), hu);
    dhu(dat.subarray(bt, bt += dat[2] | (dat[3] << 8)), out.subarray(sz1, sz2), hu);
    dhu(dat.subarray(bt, bt += dat[4] | (dat[5] << 8)), out.subarray(sz2, sz3), hu);
    dhu(dat.subarray(bt), out.subarray(sz3), hu);
};
// read Zstandard block
var rzb = function (dat, st, out) {
    var _a;
    var bt = st.b;
    //    byte 0        block type
    var b0 = dat[bt], btype = (b0 >> 1) & 3;
    st.l = b0 & 1;
    var sz = (b0 >> 3) | (dat[bt + 1] << 5) | (dat[bt + 2] << 13);
    // end byte for block
    var ebt = (bt += 3) + sz;
    if (btype == 1) {
        if (bt >= dat.length)
            return;
        st.b = bt + 1;
        if (out) {
            fill(out, dat[bt], st.y, st.y += sz);
            return out;
        }
        return fill(new u8(sz), dat[bt]);
    }
    if (ebt > dat.length)
        return;
    if (btype == 0) {
        st.b = ebt;
        if (out) {
            out.set(dat.subarray(bt, ebt), st.y);
            st.y += sz;
            return out;
        }
        return slc(dat, bt, ebt);
    }
    if (btype == 2) {
        //    byte 3        lit btype     size format
        var b3 = dat[bt], lbt = b3 & 3, sf = (b3 >> 2) & 3;
        // lit src size  lit cmp sz 4 streams
        var lss = b3 >> 4, lcs = 0, s4 = 0;
        if (lbt < 2) {
            if (sf & 1)
                lss |= (dat[++bt] << 4) | ((sf & 2) && (dat[++bt] << 12));
            else
                lss = b3 >> 3;
        }
        else {
            s4 = sf;
            if (sf < 2)
                lss |= ((dat[++bt] & 63) << 4), lcs = (dat[bt] >> 6) | (dat[++bt] << 2);
            else if (sf == 2)
                lss |= (dat[++bt] << 4) | ((dat[++bt] & 3) << 12), lcs = (dat[bt] >> 2) | (dat[++bt] << 6);
            else
                lss |= (dat[++bt] << 4) | ((dat[++bt] & 63) << 12), lcs = (dat[bt] >> 6) | (dat[++bt] << 2) | (dat[++bt] << 10);
        }
        ++bt;
        // add literals to end - can never overlap with backreferences because unused literals always appended
        var buf = out ? out.subarray(st.y, st.y + st.m) : new u8(st.m);
        // starting point for literals
        var spl = buf.length - lss;
        if (lbt == 0)
            buf.set(dat.subarray(bt, bt += lss), spl);
        else if (lbt == 1)
            fill(buf, dat[bt++], spl);
        else {
            // huffman table
            var hu = st.h;
            if (lbt == 2) {
                var hud = rhu(dat, bt);
                // subtract description length
                lcs += bt - (bt = hud[0]);
                st.h = hu = hud[1];
            }
            else if (!hu)
                err(0);
            (s4 ? dhu4 : dhu)(dat.subarray(bt, bt += lcs), buf.subarray(spl), hu);
        }
        // num sequences
        var ns = dat[bt++];
        if (ns) {
            if (ns == 255)
                ns = (dat[bt++] | (dat[bt++] << 8)) + 0x7F00;
            else if (ns > 127)
                ns = ((ns - 128) << 8) | dat[bt++];
            // symbol compression modes
            var scm = dat[bt++];
            if (scm & 3)
                err(0);
            var dts = [dmlt, doct, dllt];
            for (var i = 2; i > -1; --i) {
                var md = (scm >> ((i << 1) + 2)) & 3;
                if (md == 1) {
                    // rle buf
                    var rbuf = new u8([0, 0, dat[bt++]]);
                    dts[i] = {
                        s: rbuf.subarray(2, 3),
                        n: rbuf.subarray(0, 1),
                        t: new u16(rbuf.buffer, 0, 1),
                        b: 0
                    };
                }
                else if (md == 2) {
                    // accuracy log 8 for offsets, 9 for others
                    _a = rfse(dat, bt, 9 - (i & 1)), bt = _a[0], dts[i] = _a[1];
                }
                else if (md == 3) {
                    if (!st.t)
                        err(0);
                    dts[i] = st.t[i];
                }
            }
            var _b = st.t = dts, mlt = _b[0], oct = _b[1], llt = _b[2];
            var lb = dat[ebt - 1];
            if (!lb)
                err(0);
            var spos = (ebt << 3) - 8 + msb(lb) - llt.b, cbt = spos >> 3, oubt = 0;
            var lst = ((dat[cbt] | (dat[cbt + 1] << 8)) >> (spos & 7)) & ((1 << llt.b) - 1);
            cbt = (spos -= oct.b) >> 3;
            var ost = ((dat[cbt] | (dat[cbt + 1] << 8)) >> (spos & 7)) & ((1 << oct.b) - 1);
            cbt = (spos -= mlt.b) >> 3;
            var mst = ((dat[cbt] | (dat[cbt + 1] << 8)) >> (spos & 7)) & ((1 << mlt.b) - 1);
            for (++ns; --ns;) {
                var llc = llt.s[lst];
                var lbtr = llt.n[lst];
                var mlc = mlt.s[mst];
                var mbtr = mlt.n[mst];
                var ofc = oct.s[ost];
                var obtr = oct.n[ost];
                cbt = (spos -= ofc) >> 3;
                var ofp = 1 << ofc;
                var off = ofp + (((dat[cbt] | (dat[cbt + 1] << 8) | (dat[cbt + 2] << 16) | (dat[cbt + 3] << 24)) >>> (spos & 7)) & (ofp - 1));
                cbt = (spos -= mlb[mlc]) >> 3;
                var ml = mlbl[mlc] + (((dat[cbt] | (dat[cbt + 1] << 8) | (dat[cbt + 2] << 16)) >> (spos & 7)) & ((1 << mlb[mlc]) - 1));
                cbt = (spos -= llb[llc]) >> 3;
                var ll = llbl[llc] + (((dat[cbt] | (dat[cbt + 1] << 8) | (dat[cbt + 2] << 16)) >> (spos & 7)) & ((1 << llb[llc]) - 1));
                cbt = (spos -= lbtr) >> 3;
                lst = llt.t[lst] + (((dat[cbt] | (dat[cbt + 1] << 8)) >> (spos & 7)) & ((1 << lbtr) - 1));
                cbt = (spos -= mbtr) >> 3;
                mst = mlt.t[mst] + (((dat[cbt] | (dat[cbt + 1] << 8)) >> (spos & 7)) & ((1 << mbtr) - 1));
                cbt = (spos -= obtr) >> 3;
                ost = oct.t[ost] + (((dat[cbt] | (dat[cbt + 1] << 8)) >> (spos & 7)) & ((1 << obtr) - 1));
                if (off > 3) {
                    st.o[2] = st.o[1];
                    st.o[1] = st.o[0];
                    st.o[0] = off -= 3;
                }
                else {
                    var idx = off - (ll != 0);
                    if (idx) {
                        off = idx == 3 ? st.o[0] - 1 : st.o[idx];
                        if (idx > 1)
                            st.o[2] = st.o[1];
                        st.o[1] = st.o[0];
                        st.o[0] = off;
                    }
                    else
                        off = st.o[0];
                }
                for (var i = 0; i < ll; ++i) {
                    buf[oubt + i] = buf[spl + i];
                }
                oubt += ll, spl += ll;
                var stin = oubt - off;
                if (stin < 0) {
                    var len = -stin;
                    var bs = st.e + stin;
                    if (len > ml)
                        len = ml;
                    for (var i = 0; i < len; ++i) {
                        buf[oubt + i] = st.w[bs + i];
                    }
                    oubt += len, ml -= len, stin = 0;
                }
                for (var i = 0; i < ml; ++i) {
                    buf[oubt + i] = buf[stin + i];
                }
                oubt += ml;
            }
            if (oubt != spl) {
                while (spl < buf.length) {
                    buf[oubt++] = buf[spl++];
                }
            }
            else
                oubt = buf.length;
            if (out)
                st.y += oubt;
            else
                buf = slc(buf, 0, oubt);
        }
        else if (out) {
            st.y += lss;
            if (spl) {
                for (var i = 0; i < lss; ++i) {
                    buf[i] = buf[spl + i];
                }
            }
        }
        else if (spl)
            buf = slc(buf, spl);
        st.b = ebt;
        return buf;
    }
    err(2);
};
// concat
var cct = function (bufs, ol) {
    if (bufs.length == 1)
        return bufs[0];
    var buf = new u8(ol);
    for (var i = 0, b = 0; i < bufs.length; ++i) {
        var chk = bufs[i];
        buf.set(chk, b);
        b += chk.length;
    }
    return buf;
};
/**
 * Decompresses Zstandard data
 * @param dat The input data
 * @param buf The output buffer. If unspecified, the function will allocate
 *            exactly enough memory to fit the decompressed data. If your
 *            data has multiple frames and you know the output size, specifying
 *            it will yield better performance.
 * @returns The decompressed data
 */
function decompress(dat, buf) {
    var bufs = [], nb = +!buf;
    var bt = 0, ol = 0;
    for (; dat.length;) {
        var st = rzfh(dat, nb || buf);
        if (typeof st == 'object') {
            if (nb) {
                buf = null;
                if (st.w.length == st.u) {
                    bufs.push(buf = st.w);
                    ol += st.u;
                }
            }
            else {
                bufs.push(buf);
                st.e = 0;
            }
            for (; !st.l;) {
                var blk = rzb(dat, st, buf);
                if (!blk)
                    err(5);
                if (buf)
                    st.e = st.y;
                else {
                    bufs.push(blk);
                    ol += blk.length;
                    cpw(st.w, 0, blk.length);
                    st.w.set(blk, st.w.length - blk.length);
                }
            }
            bt = st.b + (st.c * 4);
        }
        else
            bt = st;
        dat = dat.subarray(bt);
    }
    return cct(bufs, ol);
}
/**
 * Decompressor for Zstandard streamed data
 */
var Decompress = /*#__PURE__*/ (function () {
    /**
     * Creates a Zstandard decompressor
     * @param ondata The handler for stream data
     */
    function Decompress(ondata) {
        this.ondata = ondata;
        this.c = [];
        this.l = 0;
        this.z = 0;
    }
    /**
     * Pushes data to be decompressed
     * @param chunk The chunk of data to push
     * @param final Whether or not this is the last chunk in the stream
     */
    Decompress.prototype.push = function (chunk, final) {
        if (typeof this.s == 'number') {
            var sub = Math.min(chunk.length, this.s);
            chunk = chunk.subarray(sub);
            this.s -= sub;
        }
        var sl = chunk.length;
        var ncs = sl + this.l;
        if (!this.s) {
            if (final) {
                if (!ncs) {
                    this.ondata(new u8(0), true);
                    return;
                }
                // min for frame + one block
                if (ncs < 5)
                    err(5);
            }
            else if (ncs < 18) {
                this.c.push(chunk);
                this.l = ncs;
                return;
            }
            if (this.l) {
                this.c.push(chunk);
                chunk = cct(this.c, ncs);
                this.c = [];
                this.l = 0;
            }
            if (typeof (this.s = rzfh(chunk)) == 'number')
                return this.push(chunk, final);
        }
        if (typeof this.s != 'number') {
            if (ncs < (this.z || 3)) {
                if (final)
                    err(5);
                this.c.push(chunk);
                this.l = ncs;
                return;
            }
            if (this.l) {
                this.c.push(chunk);
                chunk = cct(this.c, ncs);
                this.c = [];
                this.l = 0;
            }
            if (!this.z && ncs < (this.z = (chunk[this.s.b] & 2) ? 4 : 3 + ((chunk[this.s.b] >> 3) | (chunk[this.s.b + 1] << 5) | (chunk[this.s.b + 2] << 13)))) {
                if (final)
                    err(5);
                this.c.push(chunk);
                this.l = ncs;
                return;
            }
            else
                this.z = 0;
            for (;;) {
                var blk = rzb(chunk, this.s);
                if (!blk) {
                    if (final)
                        err(5);
                    var adc = chunk.subarray(this.s.b);
                    this.s.b = 0;
                    this.c.push(adc), this.l += adc.length;
                    return;
                }
                else {
                    this.ondata(blk, false);
                    cpw(this.s.w, 0, blk.length);
                    this.s.w.set(blk, this.s.w.length - blk.length);
                }
                if (this.s.l) {
                    var rest = chunk.subarray(this.s.b);
                    this.s = this.s.c * 4;
                    this.push(rest, final);
                    return;
                }
            }
        }
        else if (final)
            err(5);
    };
    return Decompress;
}());


;// CONCATENATED MODULE: ./src/image/tar-header.ts
const BLOCK = 512;
/** Largest body of a meta header (long name, PAX record set) we accept; more is a hostile/corrupt archive. */
const MAX_META_SIZE = 1 << 20;
/** A tar problem: truncation or a malformed header. `offset` is the byte offset in the tar stream. */
class TarError extends Error {
    kind;
    offset;
    constructor(kind, message, offset) {
        super(message);
        this.kind = kind;
        this.offset = offset;
        this.name = 'TarError';
    }
}
function cstring(buf, start, len) {
    const end = buf.indexOf(0, start);
    const stop = end === -1 || end > start + len ? start + len : end;
    return buf.toString('utf8', start, stop);
}
/** Parse a numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function parseNumber(buf, start, len) {
    const first = buf[start];
    if (first & 0x80) {
        // base-256, big-endian, two's complement; negative values are invalid for sizes
        if (first & 0x40)
            return null;
        let v = first & 0x3f;
        for (let i = 1; i < len; i++) {
            v = v * 256 + buf[start + i];
            if (v > Number.MAX_SAFE_INTEGER)
                return null;
        }
        return v;
    }
    let i = start;
    const end = start + len;
    while (i < end && (buf[i] === 0x20 || buf[i] === 0)) {
        if (buf[i] === 0)
            return 0; // an empty field
        i++;
    }
    let v = 0;
    let digits = 0;
    for (; i < end; i++) {
        const c = buf[i];
        if (c === 0 || c === 0x20)
            break;
        if (c < 0x30 || c > 0x37)
            return null;
        v = v * 8 + (c - 0x30);
        digits++;
    }
    return digits === 0 ? 0 : v;
}
function isZeroBlock(buf) {
    for (let i = 0; i < BLOCK; i++)
        if (buf[i] !== 0)
            return false;
    return true;
}
/** True when the 512 bytes carry a valid tar header checksum (unsigned or the historic signed sum). */
function checksumOk(buf) {
    const stored = parseNumber(buf, 148, 8);
    if (stored === null)
        return false;
    let unsigned = 8 * 0x20; // the checksum field counts as spaces
    for (let i = 0; i < 148; i++)
        unsigned += buf[i];
    for (let i = 156; i < BLOCK; i++)
        unsigned += buf[i];
    if (stored === unsigned)
        return true;
    // the historic signed sum: bytes above 127 count as negative
    let high = 0;
    for (let i = 0; i < BLOCK; i++)
        if ((i < 148 || i >= 156) && buf[i] > 127)
            high++;
    return stored === unsigned - 256 * high;
}
/** Does this block look like the first header of a tar (or an empty tar)? Used to sniff layer blobs. */
function looksLikeTar(head) {
    if (head.length < BLOCK)
        return false;
    const block = head.subarray(0, BLOCK);
    return isZeroBlock(block) || checksumOk(block);
}
function entryType(flag, name) {
    switch (flag) {
        case '0':
        case '\0':
        case '7':
        case '':
            return name.endsWith('/') ? 'dir' : 'file';
        case '1': return 'hardlink';
        case '2': return 'symlink';
        case '5': return 'dir';
        default: return 'other';
    }
}
/** Parse PAX extended header records (`<len> <key>=<value>\n`). Throws on malformed records. */
function parsePax(body, offset) {
    const out = new Map();
    let i = 0;
    while (i < body.length) {
        if (body[i] === 0)
            break; // padding
        const sp = body.indexOf(0x20, i);
        if (sp === -1)
            throw new TarError('bad_header', 'malformed PAX header record', offset);
        const len = Number(body.toString('ascii', i, sp));
        if (!Number.isInteger(len) || len <= sp - i + 1 || i + len > body.length) {
            throw new TarError('bad_header', 'malformed PAX header record length', offset);
        }
        const rec = body.toString('utf8', sp + 1, i + len - 1); // without the trailing newline
        const eq = rec.indexOf('=');
        if (eq > 0)
            out.set(rec.slice(0, eq), rec.slice(eq + 1));
        i += len;
    }
    return out;
}
/** Stateful decoder: feed it each 512-byte header block; give it the body of meta headers. */
class HeaderDecoder {
    longName = null;
    longLink = null;
    pax = null;
    decode(block, offset) {
        if (isZeroBlock(block))
            return { kind: 'zero' };
        if (!checksumOk(block)) {
            throw new TarError('bad_header', `bad tar header checksum at byte ${offset}`, offset);
        }
        const typeflag = String.fromCharCode(block[156]);
        const size = parseNumber(block, 124, 12);
        if (size === null)
            throw new TarError('bad_header', `bad size field in tar header at byte ${offset}`, offset);
        if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
            if (size > MAX_META_SIZE) {
                throw new TarError('bad_header', `tar meta header at byte ${offset} is too large (${size} bytes)`, offset);
            }
            return { kind: 'meta', typeflag, size };
        }
        const magic = block.toString('latin1', 257, 263);
        let name = cstring(block, 0, 100);
        if (magic === 'ustar\0') {
            const prefix = cstring(block, 345, 155);
            if (prefix)
                name = `${prefix}/${name}`;
        }
        let linkname = cstring(block, 157, 100);
        let realSize = size;
        if (this.longName !== null)
            name = this.longName;
        if (this.longLink !== null)
            linkname = this.longLink;
        if (this.pax) {
            const p = this.pax.get('path');
            if (p !== undefined)
                name = p;
            const l = this.pax.get('linkpath');
            if (l !== undefined)
                linkname = l;
            const s = this.pax.get('size');
            if (s !== undefined) {
                const n = Number(s);
                if (!Number.isSafeInteger(n) || n < 0) {
                    throw new TarError('bad_header', `bad PAX size for tar entry at byte ${offset}`, offset);
                }
                realSize = n;
            }
        }
        this.longName = this.longLink = null;
        this.pax = null;
        const mode = parseNumber(block, 100, 8) ?? 0;
        const type = entryType(typeflag, name);
        // links, dirs, devices and FIFOs carry no body; unknown types (GNU sparse 'S', vendor types) do
        const noBody = type === 'dir' || type === 'symlink' || type === 'hardlink' || '346'.includes(typeflag);
        const bodySize = noBody ? 0 : realSize;
        return {
            kind: 'entry',
            entry: { name, type, typeflag, size: bodySize, mode: mode & 0o7777, linkname, headerOffset: offset },
        };
    }
    /** True when a meta header was read whose entry has not come yet (data ending here is truncated). */
    get pending() {
        return this.longName !== null || this.longLink !== null || this.pax !== null;
    }
    applyMeta(typeflag, body, offset) {
        if (typeflag === 'L')
            this.longName = cstring(body, 0, body.length);
        else if (typeflag === 'K')
            this.longLink = cstring(body, 0, body.length);
        else if (typeflag === 'x') {
            const recs = parsePax(body, offset);
            this.pax = this.pax ?? new Map();
            for (const [k, v] of recs)
                this.pax.set(k, v);
        }
        else if (typeflag === 'g')
            parsePax(body, offset); // validated, values not applied
    }
}
function padded(size) {
    return Math.ceil(size / BLOCK) * BLOCK;
}

;// CONCATENATED MODULE: ./src/image/compression.ts
/**
 * Layer / archive compression: detection by magic bytes, and decompressors as Transform streams (gzip via
 * node zlib, zstd via node zlib when it has it — Node >= 22.15 — else the fzstd package).
 */




/** What a blob is, from its first bytes (give at least 512 when the blob is that long). */
function sniff(head) {
    if (head.length === 0)
        return 'empty';
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528)
        return 'zstd';
    if (looksLikeTar(head))
        return 'tar';
    let i = 0;
    while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09))
        i++;
    if (head[i] === 0x7b || head[i] === 0x5b)
        return 'json';
    return 'unknown';
}
class FzstdTransform extends external_node_stream_namespaceObject.Transform {
    d;
    constructor() {
        super();
        this.d = new Decompress((chunk) => {
            if (chunk.length)
                this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        });
    }
    _transform(chunk, _enc, cb) {
        try {
            this.d.push(chunk);
            cb();
        }
        catch (e) {
            cb(e);
        }
    }
    _flush(cb) {
        try {
            this.d.push(new Uint8Array(0), true);
            cb();
        }
        catch (e) {
            cb(e);
        }
    }
}
/** A decompressor for the kind, or null for data that is not compressed. */
function decompressor(kind) {
    if (kind === 'gzip')
        return external_node_zlib_namespaceObject.createGunzip({ chunkSize: 256 * 1024 });
    if (kind === 'zstd') {
        const native = external_node_zlib_namespaceObject.createZstdDecompress;
        return typeof native === 'function' ? native() : new FzstdTransform();
    }
    return null;
}
/** Resolves on the first of drain / close / error (never rejects, leaves no dangling listener). */
function settle(t) {
    return new Promise((resolve) => {
        const done = () => {
            t.off('drain', done);
            t.off('close', done);
            t.off('error', done);
            resolve();
        };
        t.on('drain', done);
        t.on('close', done);
        t.on('error', done);
    });
}
/**
 * Push `input` through `transform` and yield its output. Backpressure is respected, and when the consumer
 * stops or the transform fails, the input iteration is closed cleanly before this generator finishes (so the
 * underlying reader is never used by two parties at once).
 */
async function* through(input, transform, stats) {
    let failed = null;
    transform.on('error', (e) => {
        failed = failed ?? e;
    });
    const feed = (async () => {
        try {
            for await (const c of input) {
                if (failed || transform.destroyed)
                    return;
                stats.bytesIn += c.length;
                if (!transform.write(c)) {
                    await settle(transform);
                }
            }
            if (!transform.destroyed)
                transform.end();
        }
        catch (e) {
            failed = failed ?? e;
            transform.destroy(e);
        }
    })();
    try {
        for await (const out of transform)
            yield out;
    }
    finally {
        if (!transform.destroyed)
            transform.destroy();
        await feed;
    }
    if (failed)
        throw failed;
}

;// CONCATENATED MODULE: ./src/image/config.ts
/**
 * The image config (application/vnd.oci.image.config.v1+json / docker's image JSON): platform, env, labels,
 * creation time, history and rootfs.diff_ids, and the mapping of each layer to the history entry that made it.
 */

const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === 'string' ? v : null);
function parseConfig(bytes, where) {
    let j;
    try {
        j = JSON.parse(bytes.toString('utf8'));
    }
    catch (e) {
        throw new ImageError('archive_corrupt', `the image config (${where}) is not valid JSON: ${e.message}`);
    }
    if (!isObj(j))
        throw new ImageError('archive_corrupt', `the image config (${where}) is not a JSON object`);
    const inner = isObj(j.config) ? j.config : {};
    const labels = {};
    if (isObj(inner.Labels))
        for (const [k, v] of Object.entries(inner.Labels))
            if (typeof v === 'string')
                labels[k] = v;
    const rootfs = isObj(j.rootfs) ? j.rootfs : {};
    return {
        os: str(j.os),
        architecture: str(j.architecture),
        variant: str(j.variant),
        created: str(j.created),
        env: Array.isArray(inner.Env) ? inner.Env.filter((e) => typeof e === 'string') : [],
        labels,
        history: Array.isArray(j.history)
            ? j.history.filter(isObj).map((h) => ({
                created_by: str(h.created_by),
                empty_layer: h.empty_layer === true,
                created: str(h.created),
                comment: str(h.comment),
            }))
            : [],
        diffIds: Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids.filter((d) => typeof d === 'string') : [],
    };
}
/** For each of `layerCount` layers, the index of the history entry that produced it (empty_layer skipped). */
function historyIndexes(history, layerCount) {
    const out = [];
    for (let i = 0; i < history.length && out.length < layerCount; i++)
        if (!history[i].empty_layer)
            out.push(i);
    while (out.length < layerCount)
        out.push(null);
    return out;
}

;// CONCATENATED MODULE: ./src/image/describe.ts
/** Wording for users: byte counts, short digests, layer labels, error texts without stack traces. */

function fmtBytes(n) {
    if (n < 1024)
        return `${n} bytes`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} KB`;
    if (n < 1024 * 1024 * 1024)
        return `${(n / (1024 * 1024)).toFixed(1)} MB`;
    return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}
function shortDigest(d) {
    if (!d)
        return null;
    const i = d.indexOf(':');
    return i >= 0 && d.length > i + 13 ? `${d.slice(0, i + 13)}…` : d;
}
function layerLabel(i, n, digest) {
    const d = shortDigest(digest);
    return `layer ${i + 1} of ${n}${d ? ` (${d})` : ''}`;
}
/** A decompression / tar error as a sentence. */
function describeError(e, compression, bytesIn) {
    if (e instanceof TarError)
        return e.message;
    const err = e;
    const msg = err?.message ?? String(e);
    if (compression === 'gzip' || compression === 'zstd') {
        if (err?.code === 'Z_BUF_ERROR' || /unexpected end/i.test(msg)) {
            return `${compression} data ends early after ${fmtBytes(bytesIn)} (truncated)`;
        }
        return `${compression} data is corrupt after ${fmtBytes(bytesIn)} (${msg})`;
    }
    return msg;
}

;// CONCATENATED MODULE: ./src/image/tar-seek.ts
/**
 * Seekable tar reading over a file handle: positional reads of 512-byte headers through a read-ahead buffer
 * (so runs of small headers cost one syscall), bodies skipped by offset and read only on request.
 */


const READ_AHEAD = 64 * 1024;
/** Header window of one tar walk: headers of small neighbouring entries share one read. */
const WINDOW = 16 * 1024;
/** A walk gives the event loop a turn after this much time (ms) of synchronous header reading. */
const YIELD_MS = 8;
/** Positional reads with a read-ahead window; counts the bytes actually read from disk. */
class PositionalFile {
    fh;
    size;
    onRead;
    buf = Buffer.alloc(0);
    bufStart = 0;
    bytesRead = 0;
    constructor(fh, size, onRead) {
        this.fh = fh;
        this.size = size;
        this.onRead = onRead;
    }
    /** Read `len` bytes at `pos` (fewer only at end of file). Small reads go through the read-ahead buffer. */
    async read(pos, len) {
        len = Math.max(0, Math.min(len, this.size - pos));
        if (pos >= this.bufStart && pos + len <= this.bufStart + this.buf.length) {
            return this.buf.subarray(pos - this.bufStart, pos - this.bufStart + len);
        }
        if (len >= READ_AHEAD)
            return this.rawRead(pos, len);
        const want = Math.min(READ_AHEAD, this.size - pos);
        this.buf = await this.rawRead(pos, want);
        this.bufStart = pos;
        return this.buf.subarray(0, Math.min(len, this.buf.length));
    }
    /**
     * Synchronous positional read into `out` (fewer bytes only at end of file). Used by the tar walker for
     * headers: a pread from the page cache costs microseconds, far less than a round trip through libuv's
     * thread pool, and the walker yields to the event loop regularly.
     */
    readIntoSync(out, pos, len) {
        len = Math.max(0, Math.min(len, this.size - pos, out.length));
        let got = 0;
        while (got < len) {
            const n = (0,external_node_fs_namespaceObject.readSync)(this.fh.fd, out, got, len - got, pos + got);
            if (n === 0)
                break;
            got += n;
        }
        this.bytesRead += got;
        this.onRead?.(this.bytesRead);
        return got;
    }
    async rawRead(pos, len) {
        const out = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
            const { bytesRead } = await this.fh.read(out, got, len - got, pos + got);
            if (bytesRead === 0)
                break;
            got += bytesRead;
        }
        this.bytesRead += got;
        this.onRead?.(this.bytesRead);
        return got === len ? out : out.subarray(0, got);
    }
}
/**
 * Walk the tar found at [base, base+length) of `file`. `visit` gets each entry, the absolute offset of its
 * body and a synchronous reader of a copy of the body; it may also read the body through `file.read`. Throws TarError on truncation or a malformed header.
 */
async function walkTarSeekable(file, base, length, visit, checkAbort) {
    const dec = new HeaderDecoder();
    // this walk's own read window (walks of several layers of one file run concurrently)
    const win = Buffer.allocUnsafe(Math.min(WINDOW, Math.max(BLOCK, length)));
    let winStart = 0;
    let winLen = 0;
    /** `len` bytes at absolute offset `at`: a view into the window (valid until the next call), or a fresh buffer. */
    const bytesAt = (at, len) => {
        if (at >= winStart && at + len <= winStart + winLen)
            return win.subarray(at - winStart, at - winStart + len);
        if (len > win.length) {
            const out = Buffer.allocUnsafe(len);
            return out.subarray(0, file.readIntoSync(out, at, len));
        }
        winStart = at;
        winLen = file.readIntoSync(win, at, Math.min(win.length, base + length - at));
        return win.subarray(0, Math.min(len, winLen));
    };
    let pos = 0;
    let since = performance.now();
    let n = 0;
    for (;;) {
        checkAbort?.();
        if ((++n & 255) === 0 && performance.now() - since > YIELD_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            checkAbort?.();
            since = performance.now();
        }
        if (pos >= length) {
            if (pos > length) {
                throw new TarError('truncated', `the tar data is cut short inside the padding of the entry ending at byte ${length}`, length);
            }
            if (dec.pending)
                throw new TarError('truncated', `the tar data ends after a meta header, before its entry (byte ${pos})`, pos);
            return { eofMarker: false, end: pos };
        }
        if (pos + BLOCK > length) {
            throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
        }
        const block = bytesAt(base + pos, BLOCK);
        if (block.length < BLOCK) {
            throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
        }
        const d = dec.decode(block, pos);
        if (d.kind === 'zero') {
            // one zero block then end of data is tolerated (as GNU tar does); a second one is the normal marker
            return { eofMarker: true, end: pos + BLOCK };
        }
        const size = d.kind === 'meta' ? d.size : d.entry.size;
        const dataStart = pos + BLOCK;
        if (dataStart + size > length) {
            const what = d.kind === 'entry' ? `"${d.entry.name}"` : 'a meta header';
            throw new TarError('truncated', `the tar data is cut short: ${what} needs ${size} bytes at byte ${dataStart}, but only ${length - dataStart} remain`, pos);
        }
        if (d.kind === 'meta') {
            const body = bytesAt(base + dataStart, size);
            if (body.length < size)
                throw new TarError('truncated', `the tar data is cut short inside a meta header body at byte ${dataStart}`, pos);
            dec.applyMeta(d.typeflag, body, pos);
        }
        else {
            const at = base + dataStart;
            const entrySize = size;
            // a copy of the body, read synchronously (through the window when it lies there)
            const readBody = () => {
                const v = bytesAt(at, entrySize);
                const b = v.buffer === win.buffer ? Buffer.from(v) : v;
                if (b.length < entrySize)
                    throw new TarError('truncated', `the tar data is cut short inside "${d.entry.name}"`, pos);
                return b;
            };
            const pending = visit(d.entry, at, readBody);
            if (pending)
                await pending;
        }
        pos = dataStart + padded(size);
    }
}

;// CONCATENATED MODULE: ./src/image/tar-stream.ts
/**
 * Streaming tar reading over any async iterable of Buffers (a Readable, a decompressor's output). Single
 * pass: each entry's body is offered to the visitor, which may read it whole, stream its chunks or ignore it;
 * whatever it leaves is skipped. A stream that ends inside a header or a body is a TarError('truncated').
 */

/** Pull-based byte reader over an async iterator of chunks. */
class ChunkReader {
    cur = Buffer.alloc(0);
    off = 0;
    done = false;
    /** Bytes consumed by the reader's user so far. */
    consumed = 0;
    it;
    constructor(source) {
        this.it = source[Symbol.asyncIterator]();
    }
    get avail() {
        return this.cur.length - this.off;
    }
    /** Pull the next chunk; false at end of stream. */
    async pull() {
        if (this.done)
            return false;
        for (;;) {
            const r = await this.it.next();
            if (r.done) {
                this.done = true;
                return false;
            }
            const v = r.value;
            const b = typeof v === 'string' ? Buffer.from(v) : Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
            if (b.length === 0)
                continue;
            if (this.avail === 0) {
                this.cur = b;
                this.off = 0;
            }
            else {
                this.cur = Buffer.concat([this.cur.subarray(this.off), b]);
                this.off = 0;
            }
            return true;
        }
    }
    /** Make at least n bytes available (fewer at end of stream); returns how many are available. */
    async fill(n) {
        while (this.avail < n)
            if (!(await this.pull()))
                break;
        return Math.min(this.avail, n);
    }
    /** Up to n bytes (fewer only at end of stream), copied only when they span chunks. */
    async read(n) {
        if (n === 0)
            return Buffer.alloc(0);
        if (this.avail >= n) {
            const out = this.cur.subarray(this.off, this.off + n);
            this.off += n;
            this.consumed += n;
            return out;
        }
        const parts = [];
        let left = n;
        while (left > 0) {
            if (this.avail === 0 && !(await this.pull()))
                break;
            const take = Math.min(left, this.avail);
            parts.push(this.cur.subarray(this.off, this.off + take));
            this.off += take;
            left -= take;
            this.consumed += take;
        }
        return parts.length === 1 ? parts[0] : Buffer.concat(parts);
    }
    /** n bytes when they are already buffered in the current chunk (no await), else null. */
    readNow(n) {
        if (this.avail < n)
            return null;
        const out = this.cur.subarray(this.off, this.off + n);
        this.off += n;
        this.consumed += n;
        return out;
    }
    /** Skip what is buffered of the next n bytes, without awaiting; returns how many were skipped. */
    skipNow(n) {
        const take = Math.min(n, this.avail);
        this.off += take;
        this.consumed += take;
        return take;
    }
    /** Peek at up to n bytes without consuming them. */
    async peek(n) {
        const got = await this.fill(n);
        return this.cur.subarray(this.off, this.off + got);
    }
    /** Skip up to n bytes; returns how many were skipped. */
    async skip(n) {
        let left = n;
        while (left > 0) {
            if (this.avail === 0 && !(await this.pull()))
                break;
            const take = Math.min(left, this.avail);
            this.off += take;
            left -= take;
            this.consumed += take;
        }
        return n - left;
    }
    /** Yield the next n bytes as chunks (zero-copy); stops early at end of stream. */
    async *chunks(n) {
        let left = n;
        while (left > 0) {
            if (this.avail === 0 && !(await this.pull()))
                return;
            const take = Math.min(left, this.avail);
            const out = this.cur.subarray(this.off, this.off + take);
            this.off += take;
            left -= take;
            this.consumed += take;
            yield out;
        }
    }
    /** Consume the rest of the stream; returns the byte count. */
    async drain() {
        let n = this.avail;
        this.off = this.cur.length;
        while (await this.pull()) {
            n += this.avail;
            this.off = this.cur.length;
        }
        this.consumed += n;
        return n;
    }
}
/**
 * Walk a tar stream. After the end-of-archive marker the rest of the source is drained (so a producer such as
 * `docker save` or a decompressor can finish and verify its own trailer).
 */
async function walkTarStream(source, visit, checkAbort) {
    const r = new ChunkReader(source);
    const dec = new HeaderDecoder();
    for (;;) {
        checkAbort?.();
        const pos = r.consumed;
        // most headers lie in the chunk at hand: take them without a trip through the promise machinery
        const block = r.readNow(BLOCK) ?? (await r.read(BLOCK));
        if (block.length === 0) {
            if (dec.pending)
                throw new TarError('truncated', `the tar data ends after a meta header, before its entry (byte ${pos})`, pos);
            return { eofMarker: false, bytes: r.consumed };
        }
        if (block.length < BLOCK) {
            throw new TarError('truncated', `the tar data is cut short inside a header at byte ${pos}`, pos);
        }
        const d = dec.decode(block, pos);
        if (d.kind === 'zero') {
            await r.drain();
            return { eofMarker: true, bytes: r.consumed };
        }
        const size = d.kind === 'meta' ? d.size : d.entry.size;
        const dataStart = pos + BLOCK;
        const cut = (got) => new TarError('truncated', `the tar data is cut short: ${d.kind === 'entry' ? `"${d.entry.name}"` : 'a meta header'} needs ${size} bytes at byte ${dataStart}, but the data ends after ${got}`, pos);
        if (d.kind === 'meta') {
            const body = await r.read(size);
            if (body.length < size)
                throw cut(body.length);
            dec.applyMeta(d.typeflag, body, pos);
        }
        else {
            let used = 0;
            const body = {
                size,
                get consumed() {
                    return used;
                },
                peek: async (n) => r.peek(Math.min(n, size - used)),
                readAll: async () => {
                    const b = await r.read(size - used);
                    used += b.length;
                    if (used < size)
                        throw cut(used);
                    return b;
                },
                chunks: () => ({
                    [Symbol.asyncIterator]: async function* () {
                        for await (const c of r.chunks(size - used)) {
                            used += c.length;
                            yield c;
                        }
                    },
                }),
            };
            const pending = visit(d.entry, body);
            if (pending)
                await pending;
            if (used < size)
                used += r.skipNow(size - used);
            if (used < size)
                used += await r.skip(size - used);
            if (used < size)
                throw cut(used);
        }
        const pad = padded(size) - size;
        if (pad > 0) {
            let skipped = r.skipNow(pad);
            if (skipped < pad)
                skipped += await r.skip(pad - skipped);
            if (skipped < pad) {
                throw new TarError('truncated', `the tar data is cut short inside the padding of the entry ending at byte ${r.consumed}`, r.consumed);
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/image/layer-index.ts



function emptyIndex() {
    return { ops: [], bodies: new Map(), entries: 0, ignored: [], complete: false };
}
/** The largest maxSize among the requests matching the path, or null when none does. */
function wantedMax(requests, path) {
    let max = null;
    for (const r of requests) {
        if (r.match(path))
            max = max === null ? r.maxSize : Math.max(max, r.maxSize);
    }
    return max;
}
/** Turns tar entries into layer ops; tells the reader which bodies to keep. */
class Indexer {
    requests;
    index = emptyIndex();
    /** Regular files of this layer with where their bodies are (seekable mode only). */
    fileOffsets = new Map();
    constructor(requests) {
        this.requests = requests;
    }
    /** Classify an entry; returns the path and size cap when its body should be kept. */
    entry(e) {
        const path = normalizeEntryPath(e.name);
        if (path === null) {
            if (this.index.ignored.length < 100)
                this.index.ignored.push(e.name);
            return null;
        }
        if (path === '')
            return null; // the root folder itself
        const base = basenameOf(path);
        if (base.startsWith('.wh.')) {
            const dir = dirnameOf(path);
            if (base === '.wh..wh..opq')
                this.index.ops.push({ op: 'opaque', dir });
            else if (!base.startsWith('.wh..wh.'))
                this.index.ops.push({ op: 'whiteout', path: joinPath(dir, base.slice(4)) });
            return null; // other .wh..wh. names are aufs bookkeeping
        }
        const entry = {
            path,
            type: e.type,
            size: e.size,
            mode: e.mode,
            linkname: e.type === 'symlink' || e.type === 'hardlink' ? e.linkname : null,
        };
        if (e.type === 'hardlink') {
            const target = normalizeEntryPath(e.linkname);
            if (target === null || target === '') {
                if (this.index.ignored.length < 100)
                    this.index.ignored.push(`${e.name} -> ${e.linkname}`);
                return null;
            }
            entry.linkTarget = target;
        }
        this.index.ops.push({ op: 'add', entry });
        this.index.entries++;
        if (e.type !== 'file' && e.type !== 'hardlink')
            return null;
        const max = wantedMax(this.requests, path);
        if (e.type === 'hardlink') {
            if (max !== null) {
                const have = this.index.bodies.get(entry.linkTarget);
                if (have && !have.linkTarget)
                    this.index.bodies.set(path, { body: have.body, size: have.size });
                else
                    this.index.bodies.set(path, { body: null, size: 0, linkTarget: entry.linkTarget });
            }
            return null;
        }
        if (max === null)
            return null;
        if (e.size > max) {
            this.index.bodies.set(path, { body: null, size: e.size });
            return null;
        }
        return { path, max };
    }
    body(path, body) {
        this.index.bodies.set(path, { body, size: body.length });
    }
}
/** Index an uncompressed layer tar lying at [base, base+length) of a file: headers and wanted bodies only. */
async function indexTarSeekable(file, base, length, requests, checkAbort, out) {
    const ix = new Indexer(requests);
    out.index = ix.index;
    const r = await walkTarSeekable(file, base, length, (e, dataOffset, readBody) => {
        const want = ix.entry(e);
        if (e.type === 'file') {
            const p = want ? want.path : normalizeEntryPath(e.name);
            if (p)
                ix.fileOffsets.set(p, { offset: dataOffset, size: e.size });
        }
        if (want)
            ix.body(want.path, readBody());
    }, checkAbort);
    // hard links to files of this layer whose bodies were not kept: read them now
    for (const [path, wb] of ix.index.bodies) {
        if (!wb.linkTarget)
            continue;
        const loc = ix.fileOffsets.get(wb.linkTarget);
        if (!loc)
            continue;
        const max = wantedMax(requests, path) ?? 0;
        const body = loc.size <= max ? Buffer.from(await file.read(loc.offset, loc.size)) : null;
        ix.index.bodies.set(path, { body, size: loc.size });
    }
    ix.index.complete = true;
    return { eofMarker: r.eofMarker };
}
/** Index a layer tar arriving as a stream (decompressed already): wanted bodies are kept as they pass. */
async function indexTarStream(source, requests, checkAbort, out) {
    const ix = new Indexer(requests);
    out.index = ix.index;
    const r = await walkTarStream(source, (e, body) => {
        const want = ix.entry(e);
        if (!want)
            return undefined; // unwanted bodies are skipped by the walker, no promise needed
        return body.readAll().then((b) => ix.body(want.path, Buffer.from(b)));
    }, checkAbort);
    ix.index.complete = true;
    return r;
}

;// CONCATENATED MODULE: ./src/image/merged-view.ts

/** A caller's path: NULs dropped; `/`, `.` and `..` are handled by the resolver (symlink-aware). */
function clean(p) {
    return p.replace(/\0/g, '');
}
const MAX_HOPS = 40;
function dirNode(entry) {
    return { entry, children: new Map() };
}
function parts(p) {
    return p === '' ? [] : p.split('/');
}
class MergedTree {
    root = dirNode(null);
    versionMap = new Map();
    wantedCache = null;
    count = -1;
    /** Real path → node, without following anything. */
    lookup(path) {
        let n = this.root;
        for (const c of parts(path)) {
            n = n.children?.get(c);
            if (!n)
                return undefined;
        }
        return n;
    }
    /**
     * Resolve `path` (already contained: relative, no `.`; `..` allowed) through symlinks inside the root.
     * Missing components are kept as written. undefined after MAX_HOPS links (a loop).
     */
    resolveContained(path, followLast) {
        const queue = path.split('/').filter((s) => s !== '' && s !== '.');
        const stack = [];
        const nodes = [this.root];
        let hops = 0;
        while (queue.length > 0) {
            const c = queue.shift();
            if (c === '.')
                continue;
            if (c === '..') {
                if (stack.length > 0) {
                    stack.pop();
                    nodes.pop();
                }
                continue;
            }
            const parent = nodes[nodes.length - 1];
            const child = parent?.children?.get(c);
            if (child?.entry?.type === 'symlink' && (queue.length > 0 || followLast)) {
                if (++hops > MAX_HOPS)
                    return undefined;
                const target = child.entry.linkname ?? '';
                if (target.startsWith('/')) {
                    stack.length = 0;
                    nodes.length = 1;
                }
                queue.unshift(...target.split('/').filter((s) => s !== '' && s !== '.'));
                continue;
            }
            stack.push(c);
            nodes.push(child);
        }
        return stack.join('/');
    }
    /** The folder node at a real path, creating implicit folders (and replacing non-folders) on the way. */
    ensureDir(path, layer) {
        let n = this.root;
        let cur = '';
        for (const c of parts(path)) {
            cur = joinPath(cur, c);
            let child = n.children.get(c);
            if (!child || !child.children) {
                child = dirNode({ path: cur, type: 'dir', size: 0, mode: 0o755, linkname: null, layer });
                n.children.set(c, child);
            }
            n = child;
        }
        return n;
    }
    /** Apply one layer on top of what is there. */
    apply(layer, index, logger) {
        this.wantedCache = null;
        this.count = -1;
        // whiteouts and opaque markers hide what the lower layers wrote, never this layer's own entries
        for (const op of index.ops) {
            if (op.op === 'whiteout') {
                const parent = this.resolveContained(dirnameOf(op.path), true);
                if (parent === undefined)
                    continue;
                this.lookup(parent)?.children?.delete(basenameOf(op.path));
            }
            else if (op.op === 'opaque') {
                const dir = this.resolveContained(op.dir, true);
                if (dir === undefined)
                    continue;
                this.lookup(dir)?.children?.clear();
            }
        }
        // resolved parent folders: entries of a layer come grouped by folder. Resolution depends only on the
        // symlinks in the tree, so the cache is dropped whenever a symlink may appear or vanish.
        const parents = new Map();
        for (const op of index.ops) {
            if (op.op !== 'add')
                continue;
            const e = op.entry;
            const dir = dirnameOf(e.path);
            let parentPath = parents.get(dir);
            if (parentPath === undefined) {
                const resolved = this.resolveContained(dir, true);
                parentPath = resolved ?? dir;
                // a link loop: ensureDir below may replace a link on the way, so nothing is cached
                if (resolved === undefined)
                    parents.clear();
                else
                    parents.set(dir, parentPath);
            }
            const name = basenameOf(e.path);
            const real = joinPath(parentPath, name);
            const entry = { path: real, type: e.type, size: e.size, mode: e.mode, linkname: e.linkname, layer };
            let body;
            if (e.type === 'hardlink') {
                const tpath = this.resolveContained(e.linkTarget, false);
                const target = tpath === undefined ? undefined : this.lookup(tpath);
                if (!target?.entry || target.entry.type !== 'file' && target.entry.type !== 'hardlink') {
                    logger.debug(`layer ${layer}: hard link ${e.path} -> ${e.linkname} has no file to point to; ignored`);
                    continue;
                }
                entry.size = target.entry.size;
                const wb = index.bodies.get(e.path);
                if (wb) {
                    if (!wb.linkTarget)
                        body = wb.body;
                    else if (target.body !== undefined)
                        body = target.body;
                    else {
                        body = null;
                        logger.warn(`layer ${layer}: ${e.path} is a hard link to ${e.linkname}, whose content was not read`);
                    }
                }
            }
            else if (e.type === 'file') {
                const wb = index.bodies.get(e.path);
                if (wb)
                    body = wb.body;
            }
            const parent = this.ensureDir(parentPath, layer);
            const existing = parent.children.get(name);
            if (e.type === 'dir' && existing?.children) {
                existing.entry = entry; // a folder over a folder keeps what is inside
                continue;
            }
            if (e.type === 'symlink' || existing?.entry?.type === 'symlink' || existing?.children)
                parents.clear();
            const node = e.type === 'dir' ? dirNode(entry) : { entry, children: null };
            if (body !== undefined) {
                node.body = body;
                const list = this.versionMap.get(real) ?? [];
                const v = { layer, body, size: body ? body.length : entry.size };
                if (list.length > 0 && list[list.length - 1].layer === layer)
                    list[list.length - 1] = v;
                else
                    list.push(v);
                this.versionMap.set(real, list);
            }
            parent.children.set(name, node);
        }
    }
    stat(path, followSymlinks = true) {
        const real = this.resolveContained(clean(path), followSymlinks);
        if (real === undefined)
            return undefined;
        if (real === '')
            return { path: '', type: 'dir', size: 0, mode: 0o755, linkname: null, layer: 0 };
        return this.lookup(real)?.entry ?? undefined;
    }
    read(path) {
        const real = this.resolveContained(clean(path), true);
        if (real === undefined)
            return undefined;
        const n = this.lookup(real);
        if (!n?.entry || (n.entry.type !== 'file' && n.entry.type !== 'hardlink'))
            return undefined;
        return n.body;
    }
    versions(path) {
        const p = containPath(path);
        const real = this.resolveContained(clean(path), true);
        return [...(this.versionMap.get(real ?? p) ?? this.versionMap.get(p) ?? [])];
    }
    wanted() {
        if (!this.wantedCache) {
            const out = [];
            for (const [n] of this.walk())
                if (n.body !== undefined)
                    out.push(n.entry.path);
            this.wantedCache = out.sort();
        }
        return [...this.wantedCache];
    }
    *walk() {
        const stack = [this.root];
        while (stack.length > 0) {
            const n = stack.pop();
            if (n.entry)
                yield [n];
            if (n.children)
                for (const c of n.children.values())
                    stack.push(c);
        }
    }
    *entries() {
        for (const [n] of this.walk())
            yield n.entry;
    }
    resolve(path) {
        return this.resolveContained(clean(path), true);
    }
    get fileCount() {
        if (this.count < 0) {
            let c = 0;
            for (const _ of this.walk())
                c++;
            this.count = c;
        }
        return this.count;
    }
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/image/refs.ts
/** Image references as archives write them (RepoTags, ref.name annotations), compared loosely. */
/** `alpine` → `docker.io/library/alpine:latest`; a bare tag (`3.19`, as Docker 25+ writes ref.name) stays. */
function normalizeRef(ref) {
    let r = ref.trim();
    const at = r.indexOf('@');
    const digest = at >= 0 ? r.slice(at) : '';
    if (at >= 0)
        r = r.slice(0, at);
    const slash = r.lastIndexOf('/');
    const colon = r.lastIndexOf(':');
    if (colon <= slash && !digest)
        r += ':latest';
    const first = r.split('/')[0];
    const hasRegistry = r.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (!hasRegistry)
        r = r.includes('/') ? `docker.io/${r}` : `docker.io/library/${r}`;
    return r + digest;
}
function refMatches(have, want) {
    if (have === want)
        return true;
    // a bare tag (Docker 25+ `org.opencontainers.image.ref.name`) matches only literally
    if (!/[/:@]/.test(have) && /^[\w][\w.-]*$/.test(have))
        return false;
    return normalizeRef(have) === normalizeRef(want);
}
function describeRefs(refs) {
    return refs.map((r) => (r.length ? r.join(' / ') : '(untagged)')).join(', ');
}

;// CONCATENATED MODULE: ./src/image/platform.ts
/** Platforms (`os/arch[/variant]`) and matching them the way registries do. */
const ARCH_ALIASES = { x86_64: 'amd64', x86: '386', i386: '386', aarch64: 'arm64', armhf: 'arm' };
function parsePlatform(s) {
    const [os = 'linux', arch = 'amd64', variant] = s.split('/');
    return { os, arch: ARCH_ALIASES[arch] ?? arch, variant: variant ?? null };
}
function formatPlatform(p) {
    return `${p.os}/${p.arch}${p.variant ? `/${p.variant}` : ''}`;
}
/** The candidates for `want`: exact variant match first; without a requested variant any variant matches. */
function matchPlatform(items, plat, want) {
    const same = items.filter((t) => {
        const p = plat(t);
        return p !== null && p.os === want.os && (ARCH_ALIASES[p.arch] ?? p.arch) === want.arch;
    });
    if (want.variant)
        return same.filter((t) => (plat(t).variant ?? defaultVariant(want.arch)) === want.variant);
    const plain = same.filter((t) => !plat(t).variant || plat(t).variant === defaultVariant(want.arch));
    return plain.length ? plain : same;
}
function defaultVariant(arch) {
    return arch === 'arm64' ? 'v8' : arch === 'arm' ? 'v7' : null;
}

;// CONCATENATED MODULE: ./src/image/resolve.ts
/**
 * Which image an archive holds, and how: the layout (docker-archive, docker-oci-archive, oci-archive,
 * oci-layout), the image picked (by ref, by platform), its config and its layers in order. Works on any
 * Catalog, so a file, a folder and a stream resolve the same way.
 */






const resolve_isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const resolve_str = (v) => (typeof v === 'string' ? v : null);
function blobPath(digest) {
    const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
    return m ? `blobs/${m[1]}/${m[2]}` : null;
}
function digestOfPath(path) {
    const m = /(?:^|\/)blobs\/([a-z0-9]+)\/([a-f0-9]{32,})$/.exec(path);
    return m ? `${m[1]}:${m[2]}` : null;
}
const INDEX_TYPES = new Set([
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
]);
/** Candidates from `manifest.json` (docker save, both layouts). */
async function dockerCandidates(cat, member) {
    const man = await readJson(cat, member, 'manifest.json');
    if (!Array.isArray(man))
        throw new ImageError('archive_corrupt', 'manifest.json is not a list of images');
    return man.map((e, i) => {
        if (!resolve_isObj(e) || typeof e.Config !== 'string' || !Array.isArray(e.Layers) || !e.Layers.every((l) => typeof l === 'string')) {
            throw new ImageError('archive_corrupt', `manifest.json entry ${i + 1} has no Config or Layers`);
        }
        const sources = resolve_isObj(e.LayerSources) ? e.LayerSources : {};
        const refs = Array.isArray(e.RepoTags) ? e.RepoTags.filter((t) => typeof t === 'string') : [];
        return {
            refs,
            manifestDigest: null,
            platform: null,
            configPath: e.Config,
            layers: e.Layers.map((p) => {
                const digest = digestOfPath(p);
                const src = digest ? sources[digest] : undefined;
                return {
                    path: p,
                    digest,
                    mediaType: resolve_isObj(src) ? resolve_str(src.mediaType) : null,
                    size: resolve_isObj(src) && typeof src.size === 'number' ? src.size : null,
                };
            }),
        };
    });
}
function annotationRefs(desc, inherited) {
    const ann = resolve_isObj(desc.annotations) ? desc.annotations : {};
    const out = [...inherited];
    for (const k of ['io.containerd.image.name', 'org.opencontainers.image.ref.name']) {
        const v = resolve_str(ann[k]);
        if (v && !out.includes(v))
            out.push(v);
    }
    return out;
}
function isAttestation(desc) {
    const ann = resolve_isObj(desc.annotations) ? desc.annotations : {};
    const p = resolve_isObj(desc.platform) ? desc.platform : {};
    return ann['vnd.docker.reference.type'] === 'attestation-manifest' || p.os === 'unknown';
}
/** Candidates from `index.json` (OCI layout), following nested indexes. */
async function ociCandidates(cat, logger) {
    const idx = await readJson(cat, cat.find('index.json'), 'index.json');
    if (!resolve_isObj(idx))
        throw new ImageError('archive_corrupt', 'index.json is not a JSON object');
    const out = [];
    const visit = async (list, refs, depth, where) => {
        if (list === null || list === undefined)
            return;
        if (!Array.isArray(list))
            throw new ImageError('archive_corrupt', `${where} has a "manifests" that is not a list`);
        for (const d of list) {
            if (!resolve_isObj(d) || typeof d.digest !== 'string')
                throw new ImageError('archive_corrupt', `${where} has a descriptor without digest`);
            if (isAttestation(d))
                continue;
            const bp = blobPath(d.digest);
            const member = bp ? cat.find(bp) : null;
            if (!member)
                throw new ImageError('archive_corrupt', `${where} names manifest ${d.digest}, which is not in the archive`);
            const body = await readJson(cat, member, `manifest ${d.digest}`);
            if (!resolve_isObj(body))
                throw new ImageError('archive_corrupt', `manifest ${d.digest} is not a JSON object`);
            const r = annotationRefs(d, refs);
            const mt = resolve_str(d.mediaType) ?? resolve_str(body.mediaType);
            if ((mt && INDEX_TYPES.has(mt)) || Array.isArray(body.manifests)) {
                if (depth >= 4)
                    throw new ImageError('archive_corrupt', 'image indexes nest too deep');
                await visit(body.manifests, r, depth + 1, `index ${d.digest}`);
                continue;
            }
            if (!resolve_isObj(body.config) || typeof body.config.digest !== 'string') {
                logger.debug(`skipping ${d.digest}: not an image manifest`);
                continue;
            }
            const layers = Array.isArray(body.layers) ? body.layers : [];
            out.push({
                refs: r,
                manifestDigest: d.digest,
                platform: resolve_isObj(d.platform) ? parsePlatformObj(d.platform) : null,
                configPath: blobPath(body.config.digest) ?? body.config.digest,
                layers: layers.map((l, i) => {
                    if (!resolve_isObj(l) || typeof l.digest !== 'string') {
                        throw new ImageError('archive_corrupt', `manifest ${d.digest}: layer ${i + 1} has no digest`);
                    }
                    return {
                        path: blobPath(l.digest) ?? l.digest,
                        digest: l.digest,
                        mediaType: resolve_str(l.mediaType),
                        size: typeof l.size === 'number' ? l.size : null,
                    };
                }),
            });
        }
    };
    await visit(idx.manifests, [], 0, 'index.json');
    return out;
}
function parsePlatformObj(p) {
    const os = resolve_str(p.os);
    const arch = resolve_str(p.architecture);
    if (!os || !arch)
        return null;
    return { os, arch, variant: resolve_str(p.variant) };
}
/** Pick the image and read its config. `folder`: the catalog is an OCI layout folder. */
async function resolveImage(cat, opts, logger, folder) {
    const manifestJson = cat.find('manifest.json');
    const indexJson = cat.find('index.json');
    const ociLayout = cat.find('oci-layout');
    if (!manifestJson && !indexJson) {
        const names = cat.list();
        const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length} in all)` : '');
        throw new ImageError('unsupported_media_type', names.length === 0
            ? 'not a container image: the archive is empty'
            : `not a container image archive: no manifest.json or index.json (found ${shown})`);
    }
    let format;
    let candidates;
    if (manifestJson) {
        format = indexJson && ociLayout ? 'docker-oci-archive' : 'docker-archive';
        candidates = await dockerCandidates(cat, manifestJson);
        if (indexJson) {
            // Docker 25+: the OCI index knows the manifest digests (and the platforms)
            try {
                const oci = await ociCandidates(cat, logger);
                for (const c of candidates) {
                    const o = oci.find((x) => x.configPath === c.configPath);
                    if (o) {
                        c.manifestDigest = o.manifestDigest;
                        c.platform = o.platform;
                        for (const l of c.layers)
                            l.mediaType = l.mediaType ?? o.layers.find((x) => x.path === l.path)?.mediaType ?? null;
                    }
                }
            }
            catch (e) {
                logger.debug(`index.json next to manifest.json could not be used: ${e.message}`);
            }
        }
    }
    else {
        format = folder ? 'oci-layout' : 'oci-archive';
        candidates = await ociCandidates(cat, logger);
    }
    if (candidates.length === 0)
        throw new ImageError('image_not_found', 'the archive holds no image manifest');
    const notes = [];
    // 1. by ref
    if (opts.ref) {
        const hit = candidates.filter((c) => c.refs.some((r) => refMatches(r, opts.ref)));
        if (hit.length === 0) {
            throw new ImageError('image_not_found', `no image named ${opts.ref} in the archive; it holds ${describeRefs(candidates.map((c) => c.refs))}`);
        }
        if (candidates.length > 1)
            notes.push(`ref ${opts.ref} matched ${hit.length} of ${candidates.length} images`);
        candidates = hit;
    }
    // 2. by platform (from the descriptors; else from the configs)
    const want = parsePlatform(opts.platform ?? 'linux/amd64');
    const configs = new Map();
    const configOf = async (c) => {
        let cfg = configs.get(c);
        if (!cfg) {
            const m = cat.find(c.configPath);
            if (!m)
                throw new ImageError('archive_corrupt', `the image config ${c.configPath} is not in the archive`);
            const bytes = await cat.readBytes(m);
            cfg = parseConfig(bytes, c.configPath);
            configs.set(c, cfg);
        }
        return cfg;
    };
    if (candidates.length > 1) {
        const plats = new Map();
        for (const c of candidates) {
            const cfg = c.platform ? null : await configOf(c);
            plats.set(c, c.platform ?? (cfg?.os && cfg.architecture ? { os: cfg.os, arch: cfg.architecture, variant: cfg.variant } : null));
        }
        const distinct = new Set([...plats.values()].map((p) => (p ? formatPlatform(p) : '?')));
        if (distinct.size > 1) {
            const hit = matchPlatform(candidates, (c) => plats.get(c) ?? null, want);
            if (hit.length === 0) {
                throw new ImageError('image_not_found', `no image for platform ${formatPlatform(want)} in the archive; it has ${[...distinct].join(', ')}`);
            }
            notes.push(`platform ${formatPlatform(want)} picked from ${[...distinct].join(', ')}`);
            candidates = hit;
        }
    }
    if (candidates.length > 1) {
        const sameImage = candidates.every((c) => c.configPath === candidates[0].configPath);
        if (!sameImage) {
            throw new ImageError('image_not_found', `the archive holds ${candidates.length} images (${describeRefs(candidates.map((c) => c.refs))}); choose one by its ref`);
        }
    }
    const pick = candidates[0];
    const config = await configOf(pick);
    const cfgMember = cat.find(pick.configPath);
    const imageId = `sha256:${(0,external_node_crypto_namespaceObject.createHash)('sha256').update(await cat.readBytes(cfgMember)).digest('hex')}`;
    const platform = config.os && config.architecture
        ? formatPlatform({ os: config.os, arch: config.architecture, variant: config.variant })
        : pick.platform ? formatPlatform(pick.platform) : null;
    if (notes.length === 0 && platform && matchPlatform([platform], parsePlatform, want).length === 0) {
        notes.push(`the archive's only image is ${platform}, not ${formatPlatform(want)}${opts.platform ? '' : ' (the default)'}; it was read anyway`);
    }
    if (config.diffIds.length !== pick.layers.length) {
        logger.warn(`the image config lists ${config.diffIds.length} layer digests but the manifest ${pick.layers.length} layers`);
    }
    const layers = pick.layers.map((l, i) => {
        const member = cat.find(l.path);
        return {
            path: l.path,
            member,
            digest: l.digest,
            diffId: config.diffIds[i] ?? null,
            mediaType: l.mediaType,
            size: member ? cat.size(member) : l.size ?? 0,
        };
    });
    return {
        format,
        refs: pick.refs,
        manifestDigest: pick.manifestDigest,
        imageId,
        platform,
        selection: notes.length ? notes.join('; ') : null,
        config,
        layers,
    };
}

;// CONCATENATED MODULE: ./src/image/read.ts
/**
 * Entry points of the image reader: an archive file (tar, tar.gz/zst) or an OCI layout folder
 * (`readImageFromPath`), or a single-pass stream such as `docker save` stdout (`readImageFromStream`).
 *
 * Files with a plain outer tar are read in seekable mode: only tar headers and wanted bodies are read from
 * uncompressed layers, compressed layers are decompressed concurrently (zlib runs on libuv's thread pool),
 * then the layers are merged in order. Streams are read once: every blob that looks like a layer (gzip/zstd
 * magic, a tar header) is indexed as it passes, small JSON is kept, and the manifest is resolved at the end
 * (legacy `docker save` writes manifest.json last).
 */














/** Thrown inside the reader when opts.signal aborts; never escapes. */
class Aborted extends Error {
}
class Ctx {
    opts;
    logger;
    bytes = 0;
    lastReport = 0;
    constructor(opts, logger) {
        this.opts = opts;
        this.logger = logger;
    }
    check = () => {
        if (this.opts.signal?.aborted)
            throw new Aborted('aborted');
    };
    progress(bytes) {
        this.bytes = bytes;
        if (this.opts.onProgress && (bytes - this.lastReport >= 1 << 20 || bytes < this.lastReport)) {
            this.lastReport = bytes;
            this.opts.onProgress(bytes);
        }
    }
    add(n) {
        this.progress(this.bytes + n);
    }
}
const CONCURRENCY = Math.max(2, Math.min(4, (external_node_os_namespaceObject.availableParallelism?.() ?? external_node_os_namespaceObject.cpus().length) || 2));
async function pool(n, limit, fn) {
    const out = new Array(n);
    let next = 0;
    const worker = async () => {
        while (next < n) {
            const i = next++;
            out[i] = await fn(i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
    return out;
}
async function* counted(src, ctx) {
    for await (const c of src) {
        ctx.add(c.length);
        yield c;
    }
}
/** Index one layer blob lying in a file at [offset, offset+size). */
async function indexFileLayer(file, path, offset, size, ctx) {
    const holder = { index: emptyIndex() };
    if (size === 0) {
        holder.index.complete = true;
        return { index: holder.index, error: null, aborted: false };
    }
    const head = await file.read(offset, Math.min(size, BLOCK));
    const kind = sniff(head);
    const stats = { bytesIn: 0 };
    try {
        if (kind === 'tar') {
            await indexTarSeekable(file, offset, size, ctx.opts.requests, ctx.check, holder);
        }
        else if (kind === 'gzip' || kind === 'zstd') {
            const raw = counted((0,external_node_fs_namespaceObject.createReadStream)(path, { start: offset, end: offset + size - 1, highWaterMark: 1 << 20 }), ctx);
            await indexTarStream(through(raw, decompressor(kind), stats), ctx.opts.requests, ctx.check, holder);
        }
        else {
            return { index: holder.index, error: notALayer(kind, head), aborted: false };
        }
        return { index: holder.index, error: null, aborted: false };
    }
    catch (e) {
        if (e instanceof Aborted)
            return { index: holder.index, error: null, aborted: true };
        return { index: holder.index, error: describeError(e, kind, stats.bytesIn), aborted: false };
    }
}
function notALayer(kind, head) {
    if (kind === 'json')
        return 'the blob is JSON, not a layer';
    if (head.length < BLOCK)
        return `the blob is ${head.length} bytes, too short for a tar, gzip or zstd layer`;
    return 'not a tar, gzip or zstd layer (bad tar header checksum at byte 0)';
}
/** Turn the resolved image and its indexed layers into the view. */
function buildView(r, results, problems, target, ctx) {
    const n = r.layers.length;
    const hist = historyIndexes(r.config.history, n);
    const tree = new MergedTree();
    const layers = [];
    let abortedNoted = false;
    for (let i = 0; i < n; i++) {
        const l = r.layers[i];
        const res = results[i];
        const label = layerLabel(i, n, l.digest ?? l.diffId);
        if (res?.error)
            problems.push({ code: 'archive_corrupt', layer: i, message: `${label}: ${res.error}` });
        if (res?.aborted || (res === null && ctx.opts.signal?.aborted)) {
            if (!abortedNoted) {
                problems.push({
                    code: 'collection_time_limit_exceeded',
                    layer: i,
                    message: `the time limit stopped the read in ${label}; later content is missing`,
                });
                abortedNoted = true;
            }
        }
        if (res) {
            if (res.index.ignored.length) {
                ctx.logger.warn(`${label}: ignored ${res.index.ignored.length} entries whose paths leave the image root (e.g. ${res.index.ignored[0]})`);
            }
            tree.apply(i, res.index, ctx.logger);
        }
        const hi = hist[i] ?? null;
        layers.push({
            index: i,
            digest: l.digest,
            diff_id: l.diffId,
            media_type: l.mediaType,
            size: l.size,
            created_by: hi === null ? null : r.config.history[hi]?.created_by ?? null,
            history_index: hi,
            entries: res?.index.entries ?? 0,
        });
    }
    const targetInfo = {
        input: target.input,
        kind: target.kind,
        format: r.format,
        refs: r.refs,
        image_id: r.imageId,
        manifest_digest: r.manifestDigest,
        platform: r.platform,
        selection: r.selection,
        size_bytes: target.size,
        created: r.config.created,
        architecture: r.config.architecture,
        env: r.config.env,
        labels: r.config.labels,
        layers,
        history: r.config.history,
    };
    ctx.opts.onProgress?.(ctx.bytes);
    return { target: targetInfo, layers, files: tree, problems };
}
/** Resolve, turning resolution failures after a cut / a stop into the right error. */
async function resolveOrExplain(cat, ctx, folder, outerError, aborted) {
    try {
        return await resolveImage(cat, ctx.opts, ctx.logger, folder);
    }
    catch (e) {
        if (!(e instanceof ImageError))
            throw e;
        if (aborted) {
            throw new ImageError('collection_time_limit_exceeded', `the time limit stopped the read before the image manifest was found (${e.message})`);
        }
        if (outerError)
            throw new ImageError('archive_corrupt', `${outerError}; ${e.message}`);
        throw e;
    }
}
function missingLayer(r, i, outerError, aborted) {
    const l = r.layers[i];
    const label = layerLabel(i, r.layers.length, l.digest ?? l.diffId);
    if (aborted)
        return null;
    if (outerError)
        return { code: 'archive_corrupt', layer: i, message: `${label} (${l.path}) is missing: ${outerError}` };
    throw new ImageError('archive_corrupt', `the manifest names ${label} (${l.path}), which is not in the archive`);
}
/** Read an image archive file (tar, tar.gz, tar.zst) or an OCI layout folder. */
async function readImageFromPath(path, opts, logger) {
    return (await readImageFromPathDetailed(path, opts, logger)).view;
}
/** As readImageFromPath, also giving the bytes actually read from disk (for tests and benchmarks). */
async function readImageFromPathDetailed(path, opts, logger) {
    let st;
    try {
        st = await external_node_fs_namespaceObject.promises.stat(path);
    }
    catch (e) {
        const code = e.code;
        throw new ImageError('file_not_found', code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code ?? 'error'})`);
    }
    const ctx = new Ctx(opts, logger);
    if (st.isDirectory()) {
        const view = await readFolder(path, ctx);
        return { view, bytesRead: ctx.bytes };
    }
    if (!st.isFile())
        throw new ImageError('unsupported_media_type', `${path} is not a regular file or a folder`);
    if (st.size === 0)
        throw new ImageError('unsupported_media_type', `${path} is empty (0 bytes), not an image archive`);
    if (opts.maxImageSize && st.size > opts.maxImageSize) {
        throw new ImageError('image_size_exceeded', `${path} is ${fmtBytes(st.size)}, over the limit of ${fmtBytes(opts.maxImageSize)}`);
    }
    let fh;
    try {
        fh = await external_node_fs_namespaceObject.promises.open(path, 'r');
    }
    catch (e) {
        throw new ImageError('file_not_found', `${path} cannot be opened (${e.code ?? 'error'})`);
    }
    try {
        const file = new PositionalFile(fh, st.size, (b) => ctx.progress(b));
        const head = await file.read(0, BLOCK);
        const kind = sniff(head);
        if (kind === 'gzip' || kind === 'zstd') {
            const stats = { bytesIn: 0 };
            const raw = (0,external_node_fs_namespaceObject.createReadStream)(path, { highWaterMark: 1 << 20 });
            const inner = through(counted(raw, ctx), decompressor(kind), stats);
            const view = await streamCore(inner, ctx, { input: path, kind: 'archive' }, st.size, kind, stats);
            return { view, bytesRead: ctx.bytes };
        }
        if (kind !== 'tar') {
            if (head.length < BLOCK && head.length > 262 && head.toString('latin1', 257, 262) === 'ustar') {
                throw new ImageError('archive_corrupt', `${path} is a tar archive cut short inside its first header (${head.length} bytes)`);
            }
            throw new ImageError('unsupported_media_type', `${path} is not a tar archive (nor gzip or zstd compressed)`);
        }
        const view = await readArchiveFile(path, file, st.size, ctx);
        return { view, bytesRead: file.bytesRead };
    }
    finally {
        await fh.close();
    }
}
async function readArchiveFile(path, file, size, ctx) {
    const cat = new ArchiveCatalog(file);
    let outerError = null;
    let aborted = false;
    const problems = [];
    try {
        const w = await walkTarSeekable(file, 0, size, (e, dataOffset) => {
            const p = normalizeEntryPath(e.name);
            if (!p)
                return;
            if (e.type === 'file')
                cat.members.set(p, { offset: dataOffset, size: e.size });
            else if (e.type === 'symlink' || e.type === 'hardlink')
                cat.addLink(p, e.linkname, e.type === 'hardlink');
        }, ctx.check);
        if (!w.eofMarker) {
            problems.push({ code: 'archive_corrupt', layer: null, message: `${path} ends without the tar end-of-archive marker (it may be truncated)` });
        }
    }
    catch (e) {
        if (e instanceof Aborted)
            aborted = true;
        else if (e instanceof TarError)
            outerError = `the archive is ${e.kind === 'truncated' ? 'truncated' : 'corrupt'} (${e.message})`;
        else
            throw e;
    }
    const r = await resolveOrExplain(cat, ctx, false, outerError, aborted);
    if (outerError)
        problems.push({ code: 'archive_corrupt', layer: null, message: outerError });
    const results = await pool(r.layers.length, CONCURRENCY, async (i) => {
        const l = r.layers[i];
        if (!l.member) {
            const p = missingLayer(r, i, outerError, aborted || !!ctx.opts.signal?.aborted);
            if (p)
                problems.push(p);
            return null;
        }
        if (ctx.opts.signal?.aborted)
            return { index: emptyIndex(), error: null, aborted: true };
        const m = cat.members.get(l.member);
        return indexFileLayer(file, path, m.offset, m.size, ctx);
    });
    if (aborted)
        problems.push({ code: 'collection_time_limit_exceeded', layer: null, message: 'the time limit stopped the read of the archive' });
    return buildView(r, results, problems, { input: path, kind: 'archive', size }, ctx);
}
async function readFolder(path, ctx) {
    const cat = new FolderCatalog(path);
    try {
        await cat.scan();
    }
    catch (e) {
        throw new ImageError('file_not_found', `${path} cannot be read (${e.code ?? 'error'})`);
    }
    if (!cat.find('index.json') && !cat.find('manifest.json')) {
        throw new ImageError('unsupported_media_type', `${path} is a folder but not an OCI image layout (no index.json)`);
    }
    const r = await resolveOrExplain(cat, ctx, true, null, false);
    const total = r.layers.reduce((s, l) => s + l.size, 0);
    if (ctx.opts.maxImageSize && total > ctx.opts.maxImageSize) {
        throw new ImageError('image_size_exceeded', `the image's layers take ${fmtBytes(total)}, over the limit of ${fmtBytes(ctx.opts.maxImageSize)}`);
    }
    const problems = [];
    const results = await pool(r.layers.length, CONCURRENCY, async (i) => {
        const l = r.layers[i];
        if (!l.member) {
            missingLayer(r, i, null, false);
            return null;
        }
        if (ctx.opts.signal?.aborted)
            return { index: emptyIndex(), error: null, aborted: true };
        const full = cat.fullPath(l.member);
        const fh = await external_node_fs_namespaceObject.promises.open(full, 'r');
        try {
            const size = (await fh.stat()).size;
            return await indexFileLayer(new PositionalFile(fh, size, () => undefined), full, 0, size, ctx);
        }
        finally {
            await fh.close();
        }
    });
    return buildView(r, results, problems, { input: path, kind: 'oci-layout', size: total }, ctx);
}
/** Read an image from a single-pass stream: `docker save` stdout, or a gzipped archive. */
async function readImageFromStream(stream, opts, logger, info) {
    const ctx = new Ctx(opts, logger);
    const source = stream;
    const head = counted(source, ctx);
    // a gzip/zstd-compressed archive stream is decompressed on the fly
    const first = await peekStream(head);
    if (first.kind === 'gzip' || first.kind === 'zstd') {
        const stats = { bytesIn: 0 };
        return streamCore(through(first.source, decompressor(first.kind), stats), ctx, info, null, first.kind, stats);
    }
    return streamCore(first.source, ctx, info, null, null, null);
}
/** Look at the first bytes of a stream and give back a stream that still starts with them. */
async function peekStream(src) {
    const it = src[Symbol.asyncIterator]();
    const got = [];
    let len = 0;
    let done = false;
    while (len < BLOCK) {
        const r = await it.next();
        if (r.done) {
            done = true;
            break;
        }
        const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        got.push(b);
        len += b.length;
    }
    const headBuf = Buffer.concat(got);
    const source = (async function* () {
        if (headBuf.length)
            yield headBuf;
        if (done)
            return;
        for (;;) {
            const r = await it.next();
            if (r.done)
                return;
            yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        }
    })();
    return { kind: sniff(headBuf), source };
}
async function streamCore(source, ctx, info, fileSize, outerCompression, outerStats) {
    const cat = new StreamCatalog();
    const problems = [];
    let outerError = null;
    let aborted = false;
    let sawAnything = false;
    const limit = ctx.opts.maxImageSize ?? 0;
    const check = () => {
        ctx.check();
        if (limit && fileSize === null && ctx.bytes > limit) {
            throw new ImageError('image_size_exceeded', `the image stream passed ${fmtBytes(limit)}, the size limit`);
        }
    };
    try {
        const w = await walkTarStream(source, async (e, body) => {
            sawAnything = true;
            const p = normalizeEntryPath(e.name);
            if (!p)
                return;
            if (e.type === 'symlink' || e.type === 'hardlink') {
                cat.addLink(p, e.linkname, e.type === 'hardlink');
                return;
            }
            if (e.type !== 'file')
                return;
            const head = await body.peek(BLOCK);
            let kind = sniff(head);
            if (kind === 'empty' && e.size > 0)
                kind = 'unknown';
            if (kind === 'tar' || kind === 'gzip' || kind === 'zstd') {
                const holder = { index: emptyIndex() };
                const stats = { bytesIn: 0 };
                let error = null;
                let eofMarker = false;
                try {
                    const chunks = body.chunks();
                    const src = kind === 'tar' ? chunks : through(chunks, decompressor(kind), stats);
                    eofMarker = (await indexTarStream(src, ctx.opts.requests, check, holder)).eofMarker;
                }
                catch (err) {
                    if (err instanceof Aborted || err instanceof ImageError) {
                        cat.members.set(p, { size: e.size, kind, layer: { index: holder.index, error: null, eofMarker } });
                        throw err;
                    }
                    error = describeError(err, kind, kind === 'tar' ? body.consumed : stats.bytesIn);
                }
                cat.members.set(p, { size: e.size, kind, layer: { index: holder.index, error, eofMarker } });
            }
            else if (kind === 'empty') {
                const index = emptyIndex();
                index.complete = true;
                cat.members.set(p, { size: 0, kind, bytes: Buffer.alloc(0), layer: { index, error: null, eofMarker: false } });
            }
            else if (kind === 'json' || e.size <= 1 << 20) {
                cat.members.set(p, { size: e.size, kind, bytes: e.size <= 32 << 20 ? Buffer.from(await body.readAll()) : undefined });
            }
            else {
                cat.members.set(p, { size: e.size, kind });
            }
            check();
        }, check);
        if (!w.eofMarker) {
            problems.push({ code: 'archive_corrupt', layer: null, message: `${info.input}: the archive ends without the tar end-of-archive marker (it may be truncated)` });
        }
    }
    catch (e) {
        if (e instanceof Aborted)
            aborted = true;
        else if (e instanceof TarError) {
            if (!sawAnything && e.kind === 'bad_header') {
                throw new ImageError('unsupported_media_type', `${info.input} is not a tar archive (nor gzip or zstd compressed)`);
            }
            outerError = `the archive is ${e.kind === 'truncated' ? 'truncated' : 'corrupt'} (${e.message})`;
        }
        else if (e instanceof ImageError)
            throw e;
        else if (outerCompression) {
            outerError = `the archive's ${describeError(e, outerCompression, outerStats?.bytesIn ?? 0)}`;
        }
        else
            throw e;
    }
    if (!sawAnything && !aborted) {
        throw new ImageError(outerError ? 'archive_corrupt' : 'unsupported_media_type', outerError ? `${info.input}: ${outerError}` : `${info.input} holds no files: not an image archive`);
    }
    const r = await resolveOrExplain(cat, ctx, false, outerError, aborted);
    if (outerError)
        problems.push({ code: 'archive_corrupt', layer: null, message: outerError });
    const results = r.layers.map((l, i) => {
        const m = l.member ? cat.members.get(l.member) : undefined;
        if (!m) {
            const p = missingLayer(r, i, outerError, aborted);
            if (p)
                problems.push(p);
            return null;
        }
        if (!m.layer) {
            return { index: emptyIndex(), error: notALayer(m.kind, m.bytes ?? Buffer.alloc(BLOCK)), aborted: false };
        }
        const partial = !m.layer.index.complete && !m.layer.error;
        return { index: m.layer.index, error: m.layer.error, aborted: partial && aborted };
    });
    if (aborted && !results.some((x) => x?.aborted)) {
        problems.push({ code: 'collection_time_limit_exceeded', layer: null, message: 'the time limit stopped the read of the image stream' });
    }
    return buildView(r, results, problems, { input: info.input, kind: info.kind, size: fileSize ?? ctx.bytes }, ctx);
}

;// CONCATENATED MODULE: ./src/image/docker.ts
/**
 * Read an image straight from a Docker engine: `docker save <ref>` is spawned (no shell) and its stdout is
 * piped into the single-pass archive reader. Nothing is written to disk and nothing is buffered whole.
 *
 * The reader never sees a clean end of a failed save: the end of docker's output is held back until the
 * process has exited, and a non-zero exit (or a kill) turns that end into an error. The outcome is decided
 * only once both the reader has settled and the process is gone (no zombie, no orphan, no stray rejection).
 */





/** Bytes of docker's stderr kept (the tail). */
const STDERR_KEEP = 64 * 1024;
/** After docker closed its output: how long it may take to exit before it is killed. */
const EXIT_GRACE_MS = 30_000;
/** After docker exited: how long its pipes may stay open (held by a process it started). */
const PIPE_GRACE_MS = 2_000;
/** onProgress is called at most once per this many bytes (and once at the end). */
const PROGRESS_STEP = 1 << 20;
/** After SIGTERM: how long before SIGKILL. */
const KILL_GRACE_MS = 3_000;
/** Run `docker save <ref>` and read the image it streams. */
async function readImageFromDocker(ref, opts, logger) {
    if (ref.trim() === '')
        throw new ImageError('image_not_found', 'no image reference given to docker save');
    const bin = opts.dockerBin ?? 'docker';
    const env = opts.env ?? process.env;
    const limit = opts.maxImageSize && opts.maxImageSize > 0 ? opts.maxImageSize : 0;
    if (opts.signal?.aborted) {
        throw new ImageError('collection_time_limit_exceeded', `the time limit was reached before docker save ${ref} started`);
    }
    let child;
    try {
        // `--` so that a reference starting with '-' is never taken for an option.
        child = (0,external_node_child_process_namespaceObject.spawn)(bin, ['save', '--', ref], { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    }
    catch (e) {
        throw spawnFailure(bin, opts.dockerBin !== undefined, e);
    }
    const run = new DockerSave(child, ref, limit, opts.onProgress, logger);
    const onAbort = () => run.stop('abort');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
        const readerOpts = { ...opts };
        delete readerOpts.onProgress; // progress is reported here, from the bytes docker streams
        delete readerOpts.dockerBin;
        delete readerOpts.env;
        let view;
        let readerError;
        try {
            view = await readImageFromStream(run.output, readerOpts, logger, { input: ref, kind: 'docker' });
        }
        catch (e) {
            readerError = e;
        }
        if (!run.exited) {
            // The reader is done but docker is still running: stopped early with an error, or returned before the
            // end of the stream. Either way docker's output is no longer read by it.
            if (readerError !== undefined)
                run.stop('reader');
            run.drain();
        }
        const exit = await run.finished;
        return decide(ref, bin, opts, run, exit, view, readerError);
    }
    finally {
        opts.signal?.removeEventListener('abort', onAbort);
    }
}
function decide(ref, bin, opts, run, exit, view, readerError) {
    if (exit.spawnError)
        throw spawnFailure(bin, opts.dockerBin !== undefined, exit.spawnError);
    const said = dockerMessage(run.stderr());
    if (run.reason === 'size') {
        throw new ImageError('image_size_exceeded', `docker save ${ref} streamed more than the maximum image size (${opts.maxImageSize} bytes); stopped it`);
    }
    if (run.reason === 'abort') {
        if (view) {
            if (!view.problems.some((p) => p.code === 'collection_time_limit_exceeded')) {
                view.problems.push({
                    code: 'collection_time_limit_exceeded',
                    layer: null,
                    message: `the time limit stopped docker save ${ref} after ${run.bytes} bytes`,
                });
            }
            return view;
        }
        if (readerError instanceof ImageError && readerError.code === 'collection_time_limit_exceeded')
            throw readerError;
        throw new ImageError('collection_time_limit_exceeded', `the time limit stopped docker save ${ref} after ${run.bytes} bytes`);
    }
    if (run.reason === 'hung') {
        throw new ImageError('archive_corrupt', `docker save ${ref} closed its output but did not exit; killed it`);
    }
    const failedByItself = run.reason === null && (exit.code !== 0 || exit.signal !== null);
    if (failedByItself) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const quoted = said ? `: ${said}` : '';
        if (run.bytes === 0) {
            const code = classifyDockerError(said) ?? 'docker_unavailable';
            const what = code === 'image_not_found' ? `docker could not find the image ${ref}` : `docker save ${ref} failed`;
            throw new ImageError(code, `${what} (docker ${how})${quoted}`);
        }
        throw new ImageError('archive_corrupt', `docker save ${ref} ${how} after streaming ${run.bytes} bytes; the archive is incomplete${quoted}`);
    }
    if (readerError !== undefined)
        throw readerError;
    if (!view)
        throw new ImageError('archive_corrupt', `docker save ${ref}: the reader returned no image`);
    return view;
}
function spawnFailure(bin, explicit, e) {
    const where = explicit ? `at ${bin}` : `on PATH (looked for '${bin}')`;
    if (e.code === 'ENOENT') {
        return new ImageError('docker_unavailable', `docker CLI not found ${where}: install Docker, or scan an image archive (docker save -o image.tar) instead`);
    }
    if (e.code === 'EACCES') {
        return new ImageError('docker_unavailable', `docker CLI ${where} cannot be run (permission denied)`);
    }
    return new ImageError('docker_unavailable', `docker CLI ${where} could not be started: ${e.message}`);
}
/** One `docker save` process: its output (through a byte counter), its stderr tail, its exit. */
class DockerSave {
    child;
    ref;
    limit;
    onProgress;
    logger;
    output;
    finished;
    bytes = 0;
    reported = 0;
    reason = null;
    exited = false;
    stderrChunks = [];
    stderrBytes = 0;
    killTimer;
    draining = false;
    armPipeGrace = null;
    constructor(child, ref, limit, onProgress, logger) {
        this.child = child;
        this.ref = ref;
        this.limit = limit;
        this.onProgress = onProgress;
        this.logger = logger;
        this.finished = new Promise((resolve) => {
            let spawned = false;
            child.once('spawn', () => {
                spawned = true;
                logger.debug(`docker save ${ref}: started, pid ${child.pid}`);
            });
            child.once('error', (e) => {
                // A spawn failure: no process, so no 'close' is guaranteed. Later errors (kill failures) are ignored.
                if (!spawned) {
                    this.exited = true;
                    resolve({ code: null, signal: null, spawnError: e });
                }
            });
            let done = false;
            const finish = (code, signal, how) => {
                if (done)
                    return;
                done = true;
                this.exited = true;
                if (this.killTimer)
                    clearTimeout(this.killTimer);
                logger.debug(`docker save ${ref}: ${how} code=${code} signal=${signal}, ${this.bytes} bytes`);
                resolve({ code, signal, spawnError: null });
            };
            child.once('close', (code, signal) => finish(code, signal, 'exited'));
            // 'close' waits for the pipes too; a process the CLI started (an ssh helper, a wrapper's child) may
            // hold them open after the CLI itself is gone. Once the output has ended (or is no longer wanted), do
            // not wait for that forever. While the reader is still consuming, never cut the output short.
            child.once('exit', (code, signal) => {
                if (!spawned)
                    return;
                let armed = false;
                this.armPipeGrace = () => {
                    if (armed || done)
                        return;
                    armed = true;
                    const t = setTimeout(() => {
                        child.stdout.destroy();
                        child.stderr.destroy();
                        finish(code, signal, 'exited (its output pipes were still held open by another process)');
                    }, PIPE_GRACE_MS);
                    t.unref?.();
                    child.once('close', () => clearTimeout(t));
                };
                if (child.stdout.readableEnded || this.draining)
                    this.armPipeGrace();
                else
                    child.stdout.once('end', () => this.armPipeGrace?.());
            });
        });
        child.stderr.on('data', (b) => this.keepStderr(b));
        child.stderr.on('error', () => { });
        child.stdout.on('error', () => { });
        const self = this;
        this.output = new external_node_stream_namespaceObject.Transform({
            transform(chunk, _enc, cb) {
                self.bytes += chunk.length;
                if (self.limit > 0 && self.bytes > self.limit) {
                    self.stop('size'); // destroys this stream with image_size_exceeded
                    cb();
                    return;
                }
                if (self.onProgress && self.bytes - self.reported >= PROGRESS_STEP) {
                    self.reported = self.bytes;
                    self.onProgress(self.bytes);
                }
                cb(null, chunk);
            },
            flush(cb) {
                // docker closed its output: hold the end back until it has exited, so that a failed save is never
                // seen as a complete archive.
                const hung = setTimeout(() => self.stop('hung'), EXIT_GRACE_MS);
                void self.finished.then((exit) => {
                    clearTimeout(hung);
                    if (self.reason === null && exit.code === 0 && exit.signal === null) {
                        if (self.onProgress && self.reported !== self.bytes)
                            self.onProgress(self.bytes);
                        cb();
                    }
                    else
                        cb(new ImageError('archive_corrupt', self.endMessage(exit)));
                });
            },
        });
        // The consumer may go away at any time; an error nobody listens to must not crash the process.
        this.output.on('error', () => { });
        child.stdout.pipe(this.output);
    }
    /** Stop docker save (once): SIGTERM, then SIGKILL if it lingers. */
    stop(reason) {
        if (this.exited)
            return;
        if (this.reason === null)
            this.reason = reason;
        if (this.killTimer)
            return;
        this.logger.debug(`docker save ${this.ref}: stopping (${reason})`);
        this.child.kill('SIGTERM');
        this.killTimer = setTimeout(() => {
            if (!this.exited)
                this.child.kill('SIGKILL');
        }, KILL_GRACE_MS);
        this.killTimer.unref?.();
        // Whatever is still in the pipe is of no use; reading it lets the process see its end.
        this.drain();
    }
    /** Read and drop the rest of docker's output (after the reader has stopped reading). */
    drain() {
        this.draining = true;
        this.armPipeGrace?.();
        this.child.stdout.unpipe(this.output);
        this.child.stdout.resume();
        // End the reader's input too (an error if the reader is still waiting on it).
        if (!this.output.writableEnded && !this.output.destroyed)
            this.output.destroy(this.stopError());
    }
    /** What the reader's input fails with when docker save is stopped before its end. */
    stopError() {
        const at = `after ${this.bytes} bytes`;
        switch (this.reason) {
            case 'size':
                return new ImageError('image_size_exceeded', `docker save ${this.ref} streamed more than ${this.limit} bytes`);
            case 'abort':
                return new ImageError('collection_time_limit_exceeded', `the time limit stopped docker save ${this.ref} ${at}`);
            case 'hung':
                return new ImageError('archive_corrupt', `docker save ${this.ref} closed its output but did not exit`);
            default:
                return new ImageError('archive_corrupt', `docker save ${this.ref} was stopped ${at}; the archive is incomplete`);
        }
    }
    stderr() {
        return Buffer.concat(this.stderrChunks).toString('utf8');
    }
    keepStderr(b) {
        this.stderrChunks.push(b);
        this.stderrBytes += b.length;
        while (this.stderrBytes > STDERR_KEEP && this.stderrChunks.length > 1) {
            this.stderrBytes -= this.stderrChunks.shift().length;
        }
        if (this.stderrBytes > STDERR_KEEP) {
            const only = this.stderrChunks[0];
            this.stderrChunks[0] = only.subarray(only.length - STDERR_KEEP);
            this.stderrBytes = STDERR_KEEP;
        }
    }
    endMessage(exit) {
        const said = dockerMessage(this.stderr());
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        return `docker save ${this.ref} ${how} after streaming ${this.bytes} bytes; the archive is incomplete${said ? `: ${said}` : ''}`;
    }
}

;// CONCATENATED MODULE: ./src/inventory/os/ecosystem.ts
const NO_DATA = {
    amzn: 'Amazon Linux',
    ol: 'Oracle Linux',
    centos: 'CentOS',
    fedora: 'Fedora',
    azurelinux: 'Azure Linux',
    mariner: 'CBL-Mariner',
    photon: 'Photon OS',
};
function unsupported(reason) {
    return { ecosystem: null, supported: false, reason };
}
function major(version) {
    const m = /^(\d+)/.exec(version ?? '');
    return m ? String(Number(m[1])) : null;
}
function label(os) {
    return os.pretty_name || os.name || os.id || 'this distribution';
}
function isUbuntuLts(os) {
    const text = `${os.pretty_name ?? ''} ${os.name ?? ''}`;
    if (/\bLTS\b/.test(text))
        return true;
    // Without a label: LTS releases are the April releases of even years (YY.04, YY even).
    const m = /^(\d\d)\.(\d\d)$/.exec(os.version_id ?? '');
    return !!m && m[2] === '04' && Number(m[1]) % 2 === 0 && !/\S/.test(text);
}
function osvEcosystem(os) {
    if (!os)
        return unsupported('no operating system was detected (no os-release or other release file)');
    const id = os.id?.toLowerCase() ?? null;
    if (!id) {
        return unsupported(`the os-release file of ${label(os)} has no ID field, so the distribution is not known`);
    }
    const v = os.version_id;
    switch (id) {
        case 'debian': {
            const m = major(v);
            if (!m) {
                const cn = os.version_codename ? ` (${os.version_codename})` : '';
                return unsupported(`Debian testing/unstable${cn} has no VERSION_ID; OSV Debian advisories are scoped to numbered releases`);
            }
            return { ecosystem: `Debian:${m}`, supported: true };
        }
        case 'ubuntu': {
            const m = /^(\d\d\.\d\d)/.exec(v ?? '');
            if (!m)
                return unsupported(`Ubuntu without a YY.MM VERSION_ID (${v ?? 'none'}): the release is not known`);
            return { ecosystem: `Ubuntu:${m[1]}${isUbuntuLts(os) ? ':LTS' : ''}`, supported: true };
        }
        case 'alpine': {
            if (!v)
                return unsupported('Alpine without VERSION_ID or alpine-release: the release branch is not known');
            if (/edge/i.test(os.pretty_name ?? '') || /_(alpha|beta|rc|git)/i.test(v)) {
                return unsupported(`Alpine edge (${v}) is a development branch; OSV Alpine advisories cover release branches`);
            }
            const m = /^(\d+)\.(\d+)/.exec(v);
            if (!m)
                return unsupported(`Alpine version ${v} is not <major>.<minor>[.<patch>]`);
            return { ecosystem: `Alpine:v${Number(m[1])}.${Number(m[2])}`, supported: true };
        }
        case 'almalinux':
        case 'rocky':
        case 'rhel': {
            const m = major(v);
            const name = id === 'almalinux' ? 'AlmaLinux' : id === 'rocky' ? 'Rocky Linux' : 'Red Hat Enterprise Linux';
            if (!m)
                return unsupported(`${name} without VERSION_ID: the release is not known`);
            if (id === 'almalinux')
                return { ecosystem: `AlmaLinux:${m}`, supported: true };
            if (id === 'rocky')
                return { ecosystem: `Rocky Linux:${m}`, supported: true };
            return { ecosystem: `Red Hat:enterprise_linux:${m}::baseos`, supported: true };
        }
        case 'wolfi':
            return { ecosystem: 'Wolfi', supported: true };
        case 'chainguard':
            return { ecosystem: 'Chainguard', supported: true };
        case 'opensuse':
        case 'opensuse-leap':
        case 'opensuse-tumbleweed': {
            const pretty = os.pretty_name?.trim();
            if (!pretty)
                return unsupported('openSUSE without PRETTY_NAME: the OSV release name cannot be formed');
            return { ecosystem: `openSUSE:${pretty.replace(/^openSUSE\s+/i, '')}`, supported: true };
        }
        case 'sles':
        case 'sles_sap':
        case 'sled':
        case 'sle-micro':
        case 'sle-micro-rancher':
        case 'sl-micro': {
            const pretty = os.pretty_name?.trim();
            if (!pretty)
                return unsupported('SUSE without PRETTY_NAME: the OSV release name cannot be formed');
            return { ecosystem: `SUSE:${pretty.replace(/^SUSE\s+/i, '')}`, supported: true };
        }
        default: {
            const known = NO_DATA[id];
            if (known) {
                return unsupported(`no vulnerability data source for ${known} (${label(os)}) is supported; its packages are listed but not matched`);
            }
            const like = os.id_like.length ? ` (ID_LIKE: ${os.id_like.join(' ')})` : '';
            return unsupported(`unrecognised distribution '${id}'${like}: no vulnerability data source is known for it`);
        }
    }
}
/** All OSV ecosystems whose advisories apply to the OS (RHEL: BaseOS and AppStream streams). */
function osvEcosystemStreams(os) {
    const r = osvEcosystem(os);
    if (!r.ecosystem)
        return [];
    if (r.ecosystem.startsWith('Red Hat:') && r.ecosystem.endsWith('::baseos')) {
        return [r.ecosystem, r.ecosystem.replace(/::baseos$/, '::appstream')];
    }
    return [r.ecosystem];
}

;// CONCATENATED MODULE: ./src/inventory/os/eol-table.ts
/**
 * End-of-life dates of distribution releases, each row with its source and the day it was recorded.
 * "End of life" = the day the vendor's free, public security updates stop (after it, packages get no new fixes):
 *  - Debian: end of Debian LTS (`eol-lts` column; `eol` for releases older than LTS) — paid ELTS is not counted.
 *  - Ubuntu: end of standard support (`eol`) — Ubuntu Pro / ESM is a subscription, not counted.
 *  - Alpine: "End of support" of the release branch (main repository).
 *  - RHEL: end of Maintenance Support (paid ELS not counted); AlmaLinux / Rocky: their "End of Life".
 *  - SLES: end of general support of the service pack (LTSS not counted); openSUSE Leap: end of life.
 * Releases whose dates could not be sourced are left out (eolOf returns null for them).
 * All rows recorded 2026-11-21 (machine clock of the build machine).
 */
const eol_table_EOL_SOURCES = {
    debian: {
        url: 'https://wiki.debian.org/LTS',
        via: "Debian's distro-info-data 0.58+deb12u6, /usr/share/distro-info/debian.csv (copy: test/fixtures/inventory/os-release/debian.csv)",
        recorded: '2026-11-21',
    },
    ubuntu: {
        url: 'https://ubuntu.com/about/release-cycle',
        via: "Debian's distro-info-data 0.58+deb12u6, /usr/share/distro-info/ubuntu.csv (copy: test/fixtures/inventory/os-release/ubuntu.csv)",
        recorded: '2026-11-21',
    },
    alpine: {
        url: 'https://alpinelinux.org/releases/',
        via: 'endoflife-date/endoflife.date @0118c3037fa9 products/alpine-linux.md (scraped from the "End of support" column of the vendor page)',
        recorded: '2026-11-21',
    },
    rhel: {
        url: 'https://access.redhat.com/support/policy/updates/errata',
        via: 'endoflife-date/endoflife.date @06362a04e8e4 products/rhel.md ("Maintenance support" of the Red Hat lifecycle data)',
        recorded: '2026-11-21',
    },
    almalinux: {
        url: 'https://wiki.almalinux.org/release-notes/',
        via: 'endoflife-date/endoflife.date @0f7d558fccd8 products/almalinux.md',
        recorded: '2026-11-21',
    },
    rocky: {
        url: 'https://wiki.rockylinux.org/rocky/version/',
        via: 'endoflife-date/endoflife.date @11ec7295ac4a products/rocky-linux.md ("End of Life" column of the vendor page)',
        recorded: '2026-11-21',
    },
    sles: {
        url: 'https://www.suse.com/lifecycle',
        via: 'endoflife-date/endoflife.date @01af712da6dd products/sles.md ("General Support" end per service pack)',
        recorded: '2026-11-21',
    },
    opensuse: {
        url: 'https://en.opensuse.org/Lifetime',
        via: 'endoflife-date/endoflife.date @02ce42c26db5 products/opensuse.md',
        recorded: '2026-11-21',
    },
};
/** [family, release key, end of life]. Release keys: Debian major, Ubuntu YY.MM, Alpine X.Y, RHEL-family major,
 *  SLES / openSUSE Leap <major>.<service pack or minor>. */
const EOL_ROWS = [
    ['debian', '4', '2010-02-15'],
    ['debian', '5', '2012-02-06'],
    ['debian', '6', '2016-02-29'],
    ['debian', '7', '2018-05-31'],
    ['debian', '8', '2020-06-30'],
    ['debian', '9', '2022-06-30'],
    ['debian', '10', '2024-06-30'],
    ['debian', '11', '2026-08-31'],
    ['debian', '12', '2028-06-30'],
    ['debian', '13', '2030-06-30'],
    ['ubuntu', '14.04', '2019-04-25'],
    ['ubuntu', '14.10', '2015-07-23'],
    ['ubuntu', '15.04', '2016-02-04'],
    ['ubuntu', '15.10', '2016-07-28'],
    ['ubuntu', '16.04', '2021-04-30'],
    ['ubuntu', '16.10', '2017-07-20'],
    ['ubuntu', '17.04', '2018-01-13'],
    ['ubuntu', '17.10', '2018-07-19'],
    ['ubuntu', '18.04', '2023-05-31'],
    ['ubuntu', '18.10', '2019-07-18'],
    ['ubuntu', '19.04', '2020-01-23'],
    ['ubuntu', '19.10', '2020-07-17'],
    ['ubuntu', '20.04', '2025-05-29'],
    ['ubuntu', '20.10', '2021-07-22'],
    ['ubuntu', '21.04', '2022-01-20'],
    ['ubuntu', '21.10', '2022-07-14'],
    ['ubuntu', '22.04', '2027-06-01'],
    ['ubuntu', '22.10', '2023-07-20'],
    ['ubuntu', '23.04', '2024-01-25'],
    ['ubuntu', '23.10', '2024-07-11'],
    ['ubuntu', '24.04', '2029-05-31'],
    ['ubuntu', '24.10', '2025-07-10'],
    ['ubuntu', '25.04', '2026-01-15'],
    ['ubuntu', '25.10', '2026-07-09'],
    ['ubuntu', '26.04', '2031-05-29'],
    ['alpine', '3.0', '2016-05-01'],
    ['alpine', '3.1', '2016-11-01'],
    ['alpine', '3.2', '2017-05-01'],
    ['alpine', '3.3', '2017-11-01'],
    ['alpine', '3.4', '2018-05-01'],
    ['alpine', '3.5', '2018-11-01'],
    ['alpine', '3.6', '2019-05-01'],
    ['alpine', '3.7', '2019-11-01'],
    ['alpine', '3.8', '2020-05-01'],
    ['alpine', '3.9', '2020-11-01'],
    ['alpine', '3.10', '2021-05-01'],
    ['alpine', '3.11', '2021-11-01'],
    ['alpine', '3.12', '2022-05-01'],
    ['alpine', '3.13', '2022-11-01'],
    ['alpine', '3.14', '2023-05-01'],
    ['alpine', '3.15', '2023-11-01'],
    ['alpine', '3.16', '2024-05-23'],
    ['alpine', '3.17', '2024-11-22'],
    ['alpine', '3.18', '2025-05-09'],
    ['alpine', '3.19', '2025-11-01'],
    ['alpine', '3.20', '2026-04-01'],
    ['alpine', '3.21', '2026-11-01'],
    ['alpine', '3.22', '2027-05-01'],
    ['alpine', '3.23', '2027-11-01'],
    ['rhel', '5', '2017-03-31'],
    ['rhel', '6', '2020-11-30'],
    ['rhel', '7', '2024-06-30'],
    ['rhel', '8', '2029-05-31'],
    ['rhel', '9', '2032-05-31'],
    ['almalinux', '8', '2029-03-01'],
    ['almalinux', '9', '2032-05-31'],
    ['almalinux', '10', '2035-05-31'],
    ['rocky', '8', '2029-05-31'],
    ['rocky', '9', '2032-05-31'],
    ['sles', '12.1', '2017-05-31'],
    ['sles', '12.2', '2018-03-31'],
    ['sles', '12.3', '2019-06-30'],
    ['sles', '12.4', '2020-06-30'],
    ['sles', '12.5', '2024-10-31'],
    ['sles', '15.0', '2019-12-31'],
    ['sles', '15.1', '2021-01-31'],
    ['sles', '15.2', '2021-12-31'],
    ['sles', '15.3', '2022-12-31'],
    ['sles', '15.4', '2023-12-31'],
    ['sles', '15.5', '2024-12-31'],
    ['opensuse', '42.1', '2017-05-17'],
    ['opensuse', '42.2', '2018-01-26'],
    ['opensuse', '42.3', '2019-07-01'],
    ['opensuse', '15.0', '2019-12-03'],
    ['opensuse', '15.1', '2021-02-02'],
    ['opensuse', '15.2', '2022-01-04'],
    ['opensuse', '15.3', '2022-12-31'],
    ['opensuse', '15.4', '2023-12-07'],
    ['opensuse', '15.5', '2024-12-31'],
    ['opensuse', '15.6', '2026-04-30'],
    ['opensuse', '16.0', '2027-10-31'],
];

;// CONCATENATED MODULE: ./src/inventory/os/eol.ts

const TABLE = new Map(EOL_ROWS.map(([f, r, d]) => [`${f}/${r}`, d]));
/** The table row key for an OS: family and release, or null when the release has no row family. */
function eolKey(os) {
    if (!os?.id || !os.version_id)
        return null;
    const id = os.id.toLowerCase();
    const v = os.version_id;
    const mm = /^(\d+)(?:\.(\d+))?/.exec(v);
    if (!mm)
        return null;
    const maj = String(Number(mm[1]));
    const minor = mm[2] !== undefined ? String(Number(mm[2])) : '0';
    switch (id) {
        case 'debian':
            return { family: 'debian', release: maj };
        case 'ubuntu': {
            const u = /^(\d\d\.\d\d)/.exec(v);
            return u ? { family: 'ubuntu', release: u[1] } : null;
        }
        case 'alpine':
            return mm[2] !== undefined ? { family: 'alpine', release: `${maj}.${minor}` } : null;
        case 'rhel':
        case 'almalinux':
        case 'rocky':
            return { family: id, release: maj };
        case 'sles':
            return { family: 'sles', release: `${maj}.${minor}` };
        case 'opensuse':
        case 'opensuse-leap':
            return { family: 'opensuse', release: `${maj}.${minor}` };
        default:
            return null;
    }
}
/** End-of-life date (YYYY-MM-DD) from the sourced table, or null when unknown. */
function eolOf(os) {
    const k = eolKey(os);
    return k ? TABLE.get(`${k.family}/${k.release}`) ?? null : null;
}
/** The source of the date eolOf returns for this OS. */
function eolSourceOf(os) {
    const k = eolKey(os);
    return k && TABLE.has(`${k.family}/${k.release}`) ? EOL_SOURCES[k.family] : null;
}
/**
 * True when the release is past its end of life on `now` (the EOL day itself still counts as supported).
 * Uses os.eol when set (detectOs fills it from the table, or from os-release SUPPORT_END), else the table.
 */
function isEol(os, now) {
    const date = os?.eol ?? eolOf(os);
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
        return false;
    return now.toISOString().slice(0, 10) > date;
}

;// CONCATENATED MODULE: ./src/inventory/os/release/os-release.ts
/**
 * Parsers for the files that name a Linux distribution: os-release (freedesktop.org spec: KEY=VALUE lines,
 * shell-style quoting and backslash escapes, `#` comments, blank lines), lsb-release (same syntax, DISTRIB_*
 * keys) and the one-line "<Name> release <version> (<codename>)" files of the Red Hat family.
 */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Reads one shell-style value: double quotes (with \" \\ \$ \` escapes), single quotes, bare words. */
function parseValue(raw) {
    let out = '';
    let i = 0;
    while (i < raw.length) {
        const c = raw[i];
        if (c === '"') {
            i++;
            while (i < raw.length && raw[i] !== '"') {
                if (raw[i] === '\\' && i + 1 < raw.length && '"\\$`'.includes(raw[i + 1])) {
                    out += raw[i + 1];
                    i += 2;
                }
                else {
                    out += raw[i];
                    i++;
                }
            }
            i++; // closing quote (or end of line for an unterminated one)
        }
        else if (c === "'") {
            const end = raw.indexOf("'", i + 1);
            out += end < 0 ? raw.slice(i + 1) : raw.slice(i + 1, end);
            i = end < 0 ? raw.length : end + 1;
        }
        else if (c === '\\') {
            if (i + 1 < raw.length)
                out += raw[i + 1];
            i += 2;
        }
        else if (c === ' ' || c === '\t') {
            break; // unquoted whitespace ends the value; anything after (e.g. a trailing comment) is ignored
        }
        else {
            out += c;
            i++;
        }
    }
    return out;
}
/** Parses os-release / lsb-release text. Never throws; lines it cannot read are listed in invalidLines. */
function parseAssignments(text) {
    const values = {};
    const invalidLines = [];
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
        const line = lines[n].replace(/\r$/, '').trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const eq = line.indexOf('=');
        const key = eq > 0 ? line.slice(0, eq).trim() : '';
        if (!KEY.test(key)) {
            invalidLines.push(n + 1);
            continue;
        }
        values[key] = parseValue(line.slice(eq + 1).trim());
    }
    return { values, invalidLines };
}
/** Parses "<Name> release <version> (<codename>)" (redhat-release, centos-release, rocky-release, …). */
function parseReleaseLine(text) {
    const first = text.split('\n').find((l) => l.trim() !== '')?.trim();
    if (!first)
        return null;
    const m = /^(.+?)\s+release\s+(\S+)(?:\s*\(([^)]*)\))?/i.exec(first);
    if (!m)
        return null;
    return { name: m[1].trim(), version: m[2], codename: m[3]?.trim() || null };
}

;// CONCATENATED MODULE: ./src/inventory/os/release/detect.ts



const RH_FILES = [
    'etc/almalinux-release',
    'etc/rocky-release',
    'etc/centos-release',
    'etc/fedora-release',
    'etc/oracle-release',
    'etc/redhat-release',
    'etc/system-release',
];
const OS_RELEASE_PATHS = [
    'etc/os-release',
    'usr/lib/os-release',
    'etc/lsb-release',
    'etc/alpine-release',
    'etc/debian_version',
    ...RH_FILES,
];
const PATH_SET = new Set(OS_RELEASE_PATHS);
/** Release files are tiny; 64 KiB is far above any real one. */
const OS_RELEASE_REQUESTS = [{ match: (p) => PATH_SET.has(p), maxSize: 64 * 1024 }];
function detect_text(files, path) {
    let body;
    try {
        body = files.read(path);
    }
    catch {
        return null;
    }
    if (!body || body.length === 0)
        return null;
    return body.toString('utf8');
}
function empty(source) {
    return {
        id: null, version_id: null, version_codename: null, name: null, pretty_name: null, id_like: [], source,
        supportEnd: null,
    };
}
const nz = (s) => (s !== undefined && s.trim() !== '' ? s.trim() : null);
function fromOsRelease(body, source) {
    const { values: v } = parseAssignments(body);
    if (Object.keys(v).length === 0)
        return null;
    const info = empty(source);
    info.id = nz(v.ID)?.toLowerCase() ?? null;
    info.version_id = nz(v.VERSION_ID);
    info.version_codename = nz(v.VERSION_CODENAME) ?? nz(v.UBUNTU_CODENAME);
    info.name = nz(v.NAME);
    info.pretty_name = nz(v.PRETTY_NAME);
    info.id_like = (v.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const se = nz(v.SUPPORT_END);
    info.supportEnd = se && /^\d{4}-\d{2}-\d{2}$/.test(se) ? se : null;
    return info;
}
function fromLsbRelease(body, source) {
    const { values: v } = parseAssignments(body);
    const id = nz(v.DISTRIB_ID);
    if (!id)
        return null;
    const info = empty(source);
    info.id = id.toLowerCase();
    info.version_id = nz(v.DISTRIB_RELEASE);
    info.version_codename = nz(v.DISTRIB_CODENAME);
    info.name = id;
    info.pretty_name = nz(v.DISTRIB_DESCRIPTION);
    return info;
}
function fromAlpineRelease(body, source) {
    const v = body.split('\n')[0].trim();
    if (!/^\d+\.\d+/.test(v))
        return null;
    const info = empty(source);
    info.id = 'alpine';
    info.version_id = v;
    info.name = 'Alpine Linux';
    return info;
}
function fromDebianVersion(body, source) {
    const v = body.split('\n')[0].trim();
    if (!v)
        return null;
    const info = empty(source);
    info.id = 'debian';
    if (/^\d+(\.\d+)*$/.test(v))
        info.version_id = v;
    else if (/^[a-z]+(\/sid)?$/.test(v))
        info.version_codename = v.split('/')[0]; // "trixie/sid", "sid"
    else
        return null;
    return info;
}
/** Maps the "<Name>" of a "<Name> release <v>" line to an os-release ID. "Red Hat Linux" (without
 *  "Enterprise") is the pre-2003 distribution, not RHEL, and gets its own id. */
function rhId(name) {
    const n = name.toLowerCase();
    if (n.startsWith('red hat enterprise linux'))
        return 'rhel';
    if (n.startsWith('red hat linux'))
        return 'redhat';
    if (n.startsWith('centos'))
        return 'centos';
    if (n.startsWith('rocky linux'))
        return 'rocky';
    if (n.startsWith('almalinux'))
        return 'almalinux';
    if (n.startsWith('fedora'))
        return 'fedora';
    if (n.startsWith('oracle linux'))
        return 'ol';
    if (n.startsWith('amazon linux'))
        return 'amzn';
    return null;
}
function fromReleaseLine(body, source) {
    const line = parseReleaseLine(body);
    if (!line)
        return null;
    const info = empty(source);
    info.id = rhId(line.name);
    if (!info.id)
        return null;
    info.version_id = line.version;
    info.name = line.name;
    info.pretty_name = body.split('\n')[0].trim();
    return info;
}
function fallbacks(files) {
    const out = [];
    const add = (path, f) => {
        const t = detect_text(files, path);
        const r = t === null ? null : f(t, path);
        if (r)
            out.push(r);
    };
    add('etc/lsb-release', fromLsbRelease);
    add('etc/alpine-release', fromAlpineRelease);
    for (const p of RH_FILES)
        add(p, fromReleaseLine);
    add('etc/debian_version', fromDebianVersion);
    return out;
}
function finish(p) {
    const { supportEnd, ...rest } = p;
    const base = { ...rest, ecosystem: null, eol: null };
    base.ecosystem = osvEcosystem(base).ecosystem;
    base.eol = eolOf(base) ?? supportEnd;
    return base;
}
/** Detects the OS; null when no release file names one. Never throws. */
function detectOs(files) {
    let primary = null;
    for (const path of ['etc/os-release', 'usr/lib/os-release']) {
        const t = detect_text(files, path);
        primary = t === null ? null : fromOsRelease(t, path);
        if (primary)
            break;
    }
    const others = fallbacks(files);
    if (!primary)
        return others.length ? finish(others[0]) : null;
    if (!primary.id || !primary.version_id) {
        // Fill the gaps from a distribution file that agrees with the ID (or names one when os-release has none).
        const match = others.find((o) => (primary.id ? o.id === primary.id : true) && (o.version_id || !primary.id));
        if (match) {
            const used = [];
            if (!primary.id && match.id) {
                primary.id = match.id;
                used.push(match.source);
            }
            if (!primary.version_id && match.version_id) {
                primary.version_id = match.version_id;
                if (!used.includes(match.source))
                    used.push(match.source);
            }
            if (!primary.version_codename && match.version_codename)
                primary.version_codename = match.version_codename;
            if (used.length)
                primary.source = [primary.source, ...used].join(', ');
        }
    }
    return finish(primary);
}

;// CONCATENATED MODULE: ./src/inventory/attribution.ts
function layerRef(layers, index) {
    if (index === null || index === undefined)
        return null;
    const l = layers[index];
    if (!l)
        return { index, digest: null, created_by: null };
    return { index, digest: l.digest, created_by: l.created_by };
}
/**
 * @param versions versions of one DB file, lowest layer first (MergedView.versions)
 * @param list parses one version into key → version; may throw (that version then counts as unknown,
 *             and attribution falls back to the layers that could be read)
 * @returns key → layer index, for keys present in the top version
 */
function attributeByLayer(versions, list) {
    const result = new Map();
    if (versions.length === 0)
        return result;
    const parsed = versions.map((v) => {
        if (!v.body)
            return null;
        try {
            return list(v.body);
        }
        catch {
            return null;
        }
    });
    const top = parsed[parsed.length - 1];
    if (!top)
        return result;
    for (const [key, finalVersion] of top) {
        let layer = versions[versions.length - 1].layer;
        for (let i = parsed.length - 2; i >= 0; i--) {
            const p = parsed[i];
            if (!p || p.get(key) !== finalVersion)
                break;
            layer = versions[i].layer;
        }
        result.set(key, layer);
    }
    return result;
}

;// CONCATENATED MODULE: ./src/inventory/purl.ts
/** Package URLs (https://github.com/package-url/purl-spec): type, namespace, name, version, qualifiers. */
function enc(s) {
    // purl percent-encodes everything but unreserved characters; '+' stays readable in versions.
    return encodeURIComponent(s).replace(/%2B/gi, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
function purl(p) {
    let s = `pkg:${p.type.toLowerCase()}/`;
    if (p.namespace)
        s += p.namespace.split('/').map(enc).join('/') + '/';
    s += enc(p.name);
    if (p.version)
        s += '@' + enc(p.version);
    const q = Object.entries(p.qualifiers ?? {})
        .filter((e) => e[1] !== null && e[1] !== undefined && e[1] !== '')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (q.length)
        s += '?' + q.map(([k, v]) => `${k.toLowerCase()}=${enc(v)}`).join('&');
    if (p.subpath)
        s += '#' + p.subpath.split('/').filter(Boolean).map(enc).join('/');
    return s;
}

;// CONCATENATED MODULE: ./src/inventory/os/apk/installed.ts
/**
 * Reader of apk's installed database (lib/apk/db/installed): blank-line separated records of `X:value` lines
 * (P name, V version, A arch, o origin = source package, L license, c commit, F folder, R file in the last
 * folder, …), the last record with or without a trailing blank line, CRLF tolerated. Single pass, bounded;
 * problems are reported, never thrown.
 */
const KEY_FIELDS = new Set(['P', 'V', 'A', 'o']);
function parseApkInstalled(body) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const issues = [];
    const entries = [];
    if (text.indexOf('\0') >= 0)
        issues.push({ line: 0, message: 'file holds NUL bytes: not a text database' });
    let cur = null;
    const close = () => {
        if (!cur)
            return;
        const r = cur;
        cur = null;
        const name = r.f.get('P');
        const where = name ? `record '${name}'` : 'record';
        if (r.unterminated && KEY_FIELDS.has(r.unterminated)) {
            issues.push({ line: r.line, message: `${where} ends the file inside its ${r.unterminated}: line without a newline (cut?): skipped` });
            return;
        }
        if (!name) {
            issues.push({ line: r.line, message: 'record without a package name (P:): skipped' });
            return;
        }
        const version = r.f.get('V');
        if (!version) {
            issues.push({ line: r.line, message: `${where} has no version (V:): skipped` });
            return;
        }
        entries.push({
            name,
            version,
            arch: r.f.get('A') || null,
            origin: r.f.get('o') || name,
            license: r.f.get('L') || null,
            commit: r.f.get('c') || null,
            maintainer: r.f.get('m') || null,
            files: r.files,
            line: r.line,
        });
    };
    let start = 0;
    let lineNo = 0;
    const n = text.length;
    while (start < n) {
        let end = text.indexOf('\n', start);
        const terminated = end >= 0;
        if (!terminated)
            end = n;
        let line = text.slice(start, end);
        start = end + 1;
        lineNo++;
        if (line.endsWith('\r'))
            line = line.slice(0, -1);
        if (line.trim() === '') {
            close();
            continue;
        }
        if (line.length < 2 || line[1] !== ':' || !/^[A-Za-z0-9]$/.test(line[0])) {
            issues.push({ line: lineNo, message: `not a "X:value" line: ${JSON.stringify(line.slice(0, 60))}` });
            continue;
        }
        const key = line[0];
        const value = line.slice(2);
        if (!cur)
            cur = { line: lineNo, f: new Map(), files: [], folder: null, unterminated: null };
        const r = cur;
        if (!terminated)
            r.unterminated = key;
        if (key === 'F') {
            r.folder = value;
            r.files.push(value);
        }
        else if (key === 'R') {
            r.files.push(r.folder ? `${r.folder}/${value}` : value);
        }
        else if (!r.f.has(key)) {
            r.f.set(key, value);
        }
    }
    close();
    return { entries, issues };
}

;// CONCATENATED MODULE: ./src/inventory/os/apk/analyzer.ts



const APK_INSTALLED = 'lib/apk/db/installed';
const MAX_ISSUES = 20;
const APK_REQUESTS = [{ match: (p) => p === APK_INSTALLED, maxSize: 64 * 1024 * 1024 }];
const APK_NAMESPACES = new Set(['alpine', 'wolfi', 'chainguard']);
function apkPurl(e, os) {
    const id = os?.id ?? null;
    const ns = id && APK_NAMESPACES.has(id) ? id : 'alpine';
    const distro = id && os?.version_id ? `${id}-${os.version_id}` : null;
    return purl({ type: 'apk', namespace: ns, name: e.name, version: e.version, qualifiers: { arch: e.arch, distro } });
}
const apkAnalyzer = {
    name: 'os/apk',
    kind: 'os',
    modes: ['light', 'deep'],
    requests: APK_REQUESTS,
    analyze(ctx) {
        const problems = [];
        const body = ctx.files.read(APK_INSTALLED);
        if (body === undefined)
            return { packages: [], problems, osDatabaseFound: false };
        if (body === null) {
            problems.push({ path: APK_INSTALLED, message: 'the package database is larger than the size limit and was not read' });
            return { packages: [], problems, osDatabaseFound: true };
        }
        const parsed = parseApkInstalled(body);
        if (parsed.issues.length) {
            const shown = parsed.issues.slice(0, MAX_ISSUES).map((i) => (i.line ? `line ${i.line}: ${i.message}` : i.message));
            const more = parsed.issues.length > MAX_ISSUES ? `; and ${parsed.issues.length - MAX_ISSUES} more` : '';
            problems.push({ path: APK_INSTALLED, message: `could not read all of the apk database (${parsed.entries.length} packages read): ${shown.join('; ')}${more}` });
        }
        let layers = new Map();
        try {
            layers = attributeByLayer(ctx.files.versions(APK_INSTALLED), (b) => {
                const m = new Map();
                for (const e of parseApkInstalled(b).entries)
                    m.set(e.name, e.version);
                return m;
            });
        }
        catch (err) {
            ctx.logger.debug(`apk: layer attribution failed: ${String(err)}`);
        }
        const packages = [];
        const seen = new Set();
        for (const e of parsed.entries) {
            if (seen.has(e.name)) {
                ctx.logger.debug(`apk: ${e.name} listed twice in ${APK_INSTALLED}: first entry kept`);
                continue;
            }
            seen.add(e.name);
            const metadata = { origin: e.origin };
            if (e.license)
                metadata.license = e.license;
            if (e.commit)
                metadata.commit = e.commit;
            const pkg = {
                name: e.name,
                version: e.version,
                type: 'apk',
                source_name: e.origin,
                source_version: e.version,
                purl: apkPurl(e, ctx.os),
                location: APK_INSTALLED,
                layer: layerRef(ctx.layers, layers.get(e.name)),
                arch: e.arch,
                ecosystem: ctx.os?.ecosystem ?? null,
                found_by: 'os/apk',
                metadata,
            };
            if (ctx.mode === 'deep')
                pkg.files = e.files;
            packages.push(pkg);
        }
        return { packages, problems, osDatabaseFound: true };
    },
};

;// CONCATENATED MODULE: ./src/inventory/os/dpkg/control.ts
/**
 * A bounded, single-pass reader of dpkg's deb822 database files (var/lib/dpkg/status, status.d/*):
 * paragraphs separated by blank (or whitespace-only) lines, `Name: value` fields (names case-insensitive),
 * continuation lines starting with a space or tab, CRLF tolerated, last paragraph with or without a trailing
 * blank line. Lines it cannot read are reported, never thrown.
 */
const FIELD = /^([!-9;-~][!-9;-~]*):(.*)$/; // printable ASCII without ':' and space, then ':'
function parseDeb822(text) {
    const paragraphs = [];
    const issues = [];
    let cur = null;
    let lastField = null;
    let start = 0;
    let lineNo = 0;
    const n = text.length;
    while (start < n) {
        let end = text.indexOf('\n', start);
        const terminated = end >= 0;
        if (!terminated)
            end = n;
        let line = text.slice(start, end);
        start = end + 1;
        lineNo++;
        if (line.endsWith('\r'))
            line = line.slice(0, -1);
        if (line.trim() === '') {
            if (cur)
                paragraphs.push(cur);
            cur = null;
            lastField = null;
            continue;
        }
        const c0 = line.charCodeAt(0);
        if (c0 === 0x20 || c0 === 0x09) {
            if (!cur || lastField === null) {
                issues.push({ line: lineNo, message: 'continuation line outside a field' });
                continue;
            }
            if (cur.fields.has(lastField))
                cur.fields.set(lastField, cur.fields.get(lastField) + '\n' + line.slice(1));
            if (!terminated)
                cur.unterminated = lastField;
            continue;
        }
        const m = FIELD.exec(line);
        if (!m) {
            issues.push({ line: lineNo, message: `not a "Field: value" line: ${JSON.stringify(line.slice(0, 60))}` });
            lastField = null;
            continue;
        }
        if (!cur)
            cur = { fields: new Map(), line: lineNo, unterminated: null };
        const name = m[1].toLowerCase();
        if (cur.fields.has(name)) {
            issues.push({ line: lineNo, message: `duplicate field '${m[1]}' (first value kept)` });
            lastField = '\0dup';
        }
        else {
            cur.fields.set(name, m[2].trim());
            lastField = name;
        }
        if (!terminated)
            cur.unterminated = name;
    }
    if (cur)
        paragraphs.push(cur);
    return { paragraphs, issues };
}

;// CONCATENATED MODULE: ./src/inventory/os/dpkg/status.ts
/**
 * Installed packages of a dpkg status database, as dpkg-query sees them.
 *
 * Which records count as installed: dpkg's Status is "<want> <flag> <status>". A package is listed when its
 * status (3rd word) is `installed`, `triggers-awaited` or `triggers-pending` — the states dpkg itself treats as
 * configured (they satisfy dependencies; `dpkg -l` shows ii/hi/ri/pi, iW, it). The want (install, hold,
 * deinstall, purge) is a wish, not a state: a `deinstall ok installed` package still has all its files on disk,
 * so it is listed (with its Status in metadata). Not listed: not-installed, config-files (only conffiles left),
 * half-installed, unpacked and half-configured (an interrupted install/upgrade: dpkg reports them as broken;
 * their files may be partial).
 *
 * status.d (distroless): one file per package written by image builders, usually without a Status field —
 * a record there without Status is installed by construction; one with a Status follows the rule above.
 */

const INSTALLED_STATES = new Set(['installed', 'triggers-awaited', 'triggers-pending']);
const WANTS = new Set(['unknown', 'install', 'hold', 'deinstall', 'purge']);
const FLAGS = new Set(['ok', 'reinstreq']);
const STATES = new Set([
    'not-installed', 'config-files', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited',
    'triggers-pending', 'installed',
]);
const status_KEY_FIELDS = new Set(['package', 'status', 'version', 'architecture', 'source']);
const PKG_NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/; // dpkg: alphanumeric first, then alnum or + . _ -
function parseDpkgStatus(body, opts = {}) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const { paragraphs, issues } = parseDeb822(text);
    const entries = [];
    let notInstalled = 0;
    if (text.indexOf('\0') >= 0)
        issues.unshift({ line: 0, message: 'file holds NUL bytes: not a text database' });
    for (const p of paragraphs) {
        const f = p.fields;
        const name = f.get('package');
        const where = name ? `record '${name}'` : 'record';
        if (p.unterminated && status_KEY_FIELDS.has(p.unterminated)) {
            issues.push({ line: p.line, message: `${where} ends the file inside its ${p.unterminated} field without a newline (cut?): skipped` });
            continue;
        }
        if (name === undefined || name === '') {
            issues.push({ line: p.line, message: 'record without a package name: skipped' });
            continue;
        }
        if (!PKG_NAME.test(name)) {
            issues.push({ line: p.line, message: `invalid package name ${JSON.stringify(name.slice(0, 60))}: skipped` });
            continue;
        }
        const status = f.get('status');
        if (status === undefined) {
            if (!opts.statusOptional) {
                notInstalled++;
                continue;
            } // dpkg: no Status = not installed
        }
        else {
            const w = status.split(/\s+/);
            if (w.length !== 3 || !WANTS.has(w[0]) || !FLAGS.has(w[1]) || !STATES.has(w[2])) {
                issues.push({ line: p.line, message: `${where} has an invalid Status ${JSON.stringify(status)}: skipped` });
                continue;
            }
            if (!INSTALLED_STATES.has(w[2])) {
                notInstalled++;
                continue;
            }
        }
        const version = f.get('version');
        if (!version || /\s/.test(version)) {
            issues.push({ line: p.line, message: `${where} has ${version ? 'an invalid' : 'no'} Version: skipped` });
            continue;
        }
        const arch = f.get('architecture') || null;
        let sourceName = name;
        let sourceVersion = version;
        const src = f.get('source');
        if (src) {
            const m = /^(\S+)(?:\s*\(([^()\s]+)\))?\s*$/.exec(src);
            if (m) {
                sourceName = m[1];
                if (m[2])
                    sourceVersion = m[2];
            }
            else {
                issues.push({ line: p.line, message: `${where} has an unreadable Source ${JSON.stringify(src)}: binary name used` });
            }
        }
        entries.push({ name, version, arch, sourceName, sourceVersion, status: status ?? null, line: p.line });
    }
    return { entries, notInstalled, issues };
}
/** Key used for attribution and de-duplication: multi-arch packages share a name. */
function dpkgKey(e) {
    return `${e.name}:${e.arch ?? ''}`;
}

;// CONCATENATED MODULE: ./src/inventory/os/dpkg/analyzer.ts



const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';
const MAX_ISSUES_PER_FILE = 20;
const DPKG_REQUESTS = [
    { match: (p) => p === DPKG_STATUS, maxSize: 64 * 1024 * 1024 },
    { match: (p) => p.startsWith(DPKG_STATUS_D) && !p.slice(DPKG_STATUS_D.length).includes('/'), maxSize: 8 * 1024 * 1024 },
    { match: (p) => p.startsWith(INFO) && p.endsWith('.list') && !p.slice(INFO.length).includes('/'), maxSize: 16 * 1024 * 1024 },
];
function listKeys(opts) {
    return (body) => {
        const m = new Map();
        for (const e of parseDpkgStatus(body, opts).entries)
            m.set(dpkgKey(e), e.version);
        return m;
    };
}
/** Paths of a dpkg .list file or a status.d md5sums file, relative (no leading slash), without "/.". */
function ownedFiles(body, md5sums) {
    if (!body)
        return undefined;
    const out = [];
    for (let line of body.toString('utf8').split('\n')) {
        line = line.replace(/\r$/, '');
        if (md5sums)
            line = line.replace(/^[0-9a-f]{32,}\s+/, '');
        line = line.replace(/^\/+/, '');
        if (line === '' || line === '.')
            continue;
        out.push(line);
    }
    return out;
}
function debPurl(e, os) {
    const ns = os?.id ?? 'debian';
    const distro = os?.id && os.version_id ? `${os.id}-${os.version_id}` : os?.id && os.version_codename ? `${os.id}-${os.version_codename}` : null;
    return purl({
        type: 'deb',
        namespace: ns,
        name: e.name,
        version: e.version,
        qualifiers: { arch: e.arch, distro },
    });
}
function readDb(ctx, path, opts, problems) {
    const files = ctx.files;
    const body = files.read(path);
    if (body === undefined)
        return null;
    if (body === null) {
        problems.push({ path, message: 'the package database is larger than the size limit and was not read' });
        return { entries: [], layers: new Map() };
    }
    const parsed = parseDpkgStatus(body, opts);
    if (parsed.issues.length) {
        const shown = parsed.issues.slice(0, MAX_ISSUES_PER_FILE).map((i) => (i.line ? `line ${i.line}: ${i.message}` : i.message));
        const more = parsed.issues.length > MAX_ISSUES_PER_FILE ? `; and ${parsed.issues.length - MAX_ISSUES_PER_FILE} more` : '';
        problems.push({ path, message: `could not read all of the dpkg database (${parsed.entries.length} packages read): ${shown.join('; ')}${more}` });
    }
    let layers = new Map();
    try {
        layers = attributeByLayer(files.versions(path), listKeys(opts));
    }
    catch (err) {
        ctx.logger.debug(`dpkg: layer attribution failed for ${path}: ${String(err)}`);
    }
    return { entries: parsed.entries, layers };
}
const dpkgAnalyzer = {
    name: 'os/dpkg',
    kind: 'os',
    modes: ['light', 'deep'],
    requests: DPKG_REQUESTS,
    analyze(ctx) {
        const problems = [];
        const packages = [];
        const seen = new Set();
        const deep = ctx.mode === 'deep';
        let found = false;
        const wanted = ctx.files.wanted();
        const emit = (e, location, layer, files) => {
            const key = dpkgKey(e);
            if (seen.has(key)) {
                ctx.logger.debug(`dpkg: ${key} listed again in ${location}: first entry kept`);
                return;
            }
            seen.add(key);
            const metadata = {};
            if (e.status !== null)
                metadata.status = e.status;
            const pkg = {
                name: e.name,
                version: e.version,
                type: 'deb',
                source_name: e.sourceName,
                source_version: e.sourceVersion,
                purl: debPurl(e, ctx.os),
                location,
                layer: layerRef(ctx.layers, layer),
                arch: e.arch,
                ecosystem: ctx.os?.ecosystem ?? null,
                found_by: 'os/dpkg',
                metadata,
            };
            if (deep && files)
                pkg.files = files;
            packages.push(pkg);
        };
        const status = readDb(ctx, DPKG_STATUS, {}, problems);
        if (status) {
            found = true;
            for (const e of status.entries) {
                let files;
                if (deep) {
                    files = ownedFiles(ctx.files.read(`${INFO}${e.name}:${e.arch ?? ''}.list`), false)
                        ?? ownedFiles(ctx.files.read(`${INFO}${e.name}.list`), false);
                }
                emit(e, DPKG_STATUS, status.layers.get(dpkgKey(e)), files);
            }
        }
        const statusD = wanted
            .filter((p) => p.startsWith(DPKG_STATUS_D) && !p.endsWith('.md5sums') && !p.slice(DPKG_STATUS_D.length).includes('/'))
            .sort();
        for (const path of statusD) {
            const db = readDb(ctx, path, { statusOptional: true }, problems);
            if (!db)
                continue;
            found = true;
            for (const e of db.entries) {
                let files;
                if (deep) {
                    files = ownedFiles(ctx.files.read(`${path}.md5sums`), true)
                        ?? ownedFiles(ctx.files.read(`${DPKG_STATUS_D}${e.name}.md5sums`), true);
                }
                emit(e, path, db.layers.get(dpkgKey(e)), files);
            }
        }
        return { packages, problems, osDatabaseFound: found };
    },
};

;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/vulndb/sqlite.ts
/**
 * Loading sql.js. ncc can inline neither sql.js's WebAssembly nor (in an ES module bundle) its CommonJS
 * loader, so the build ships both beside the bundle (dist/sql-wasm.wasm, dist/sql-wasm.cjs) and we load
 * them by path: first beside the running module (the bundle), then from the sql.js package (source
 * checkouts, tests).
 */




let loading;
let loadedFrom;
function besideOrPackage(besideName, packagePath) {
    const beside = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url)), besideName);
    if ((0,external_node_fs_namespaceObject.existsSync)(beside))
        return beside;
    return (0,external_node_module_namespaceObject.createRequire)(import.meta.url).resolve(packagePath);
}
function sqlWasmPath() {
    return besideOrPackage('sql-wasm.wasm', 'sql.js/dist/sql-wasm.wasm');
}
function sqlJsLoader() {
    const path = besideOrPackage('sql-wasm.cjs', 'sql.js/dist/sql-wasm.js');
    const loaded = (0,external_node_module_namespaceObject.createRequire)(import.meta.url)(path);
    return typeof loaded === 'function' ? loaded : loaded.default;
}
/** sql.js, initialised once per process. */
function loadSqlJs() {
    if (!loading) {
        loading = (async () => {
            const path = sqlWasmPath();
            const wasmBinary = (0,external_node_fs_namespaceObject.readFileSync)(path);
            loadedFrom = path;
            return sqlJsLoader()({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) });
        })();
        loading.catch(() => { loading = undefined; });
    }
    return loading;
}
function sqlWasmLoadedFrom() {
    return loadedFrom;
}
/** Opens an in-memory database and reports the SQLite version: proves the engine loads where we run. */
async function sqliteSelfTest() {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
        const rows = db.exec('select sqlite_version()');
        const v = rows[0]?.values[0]?.[0];
        return { sqliteVersion: String(v), wasm: loadedFrom ?? '' };
    }
    finally {
        db.close();
    }
}

;// CONCATENATED MODULE: ./src/inventory/os/rpm/bdb.ts
const HASH_MAGIC = 0x061561;
const BTREE_MAGIC = 0x053162;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_DUPLICATE = 2;
const H_OFFPAGE = 3;
const H_OFFDUP = 4;
const PAGE_HEADER = 26;
const DBMETA_CHKSUM = 0x01;
function readRpmBdb(data) {
    const out = { format: 'bdb', records: [], problems: [] };
    const problem = (m) => { out.problems.push(m); };
    if (data.length < 512) {
        problem(`file too small for a Berkeley DB (${data.length} bytes)`);
        return out;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let le;
    if (view.getUint32(12, true) === HASH_MAGIC)
        le = true;
    else if (view.getUint32(12, false) === HASH_MAGIC)
        le = false;
    else {
        const btree = view.getUint32(12, true) === BTREE_MAGIC || view.getUint32(12, false) === BTREE_MAGIC;
        problem(btree ? 'Berkeley DB btree, not the hash database rpm uses for Packages' : 'not a Berkeley DB hash database (bad magic)');
        return out;
    }
    const u32 = (at) => view.getUint32(at, le);
    const u16 = (at) => view.getUint16(at, le);
    const pageSize = u32(20);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
        problem(`absurd page size ${pageSize}`);
        return out;
    }
    if (data[24] !== 0) {
        problem('encrypted Berkeley DB: not supported');
        return out;
    }
    if (data[25] !== P_HASHMETA) {
        problem(`page 0 is not a hash metadata page (type ${data[25]})`);
        return out;
    }
    if ((data[26] & DBMETA_CHKSUM) !== 0) {
        problem('Berkeley DB with page checksums: not supported');
        return out;
    }
    const pagesInFile = Math.floor(data.length / pageSize);
    const lastPgno = u32(32);
    if (lastPgno + 1 > pagesInFile) {
        problem(`file truncated: the metadata page says ${lastPgno + 1} pages, the file holds ${pagesInFile}`);
    }
    const pageCount = Math.min(pagesInFile, lastPgno + 1);
    const maxBucket = u32(72);
    if (maxBucket >= pageCount) {
        problem(`absurd max bucket ${maxBucket} for ${pageCount} pages`);
        return out;
    }
    const spares = [];
    for (let i = 0; i < 32; i++)
        spares.push(u32(96 + i * 4));
    const pageAt = (pgno) => pgno * pageSize;
    const pageType = (pgno) => data[pageAt(pgno) + 25];
    /** Collects an off-page value: a chain of overflow pages. */
    const overflow = (first, total) => {
        if (total > data.length) {
            problem(`off-page value of ${total} bytes is larger than the file`);
            return null;
        }
        const buf = new Uint8Array(total);
        let got = 0;
        let pgno = first;
        const seen = new Set();
        while (got < total) {
            if (pgno === 0 || pgno >= pageCount) {
                problem(`overflow chain from page ${first} points to page ${pgno}, outside the file (${pageCount} pages)`);
                return null;
            }
            if (seen.has(pgno)) {
                problem(`overflow chain from page ${first} loops at page ${pgno}`);
                return null;
            }
            seen.add(pgno);
            const at = pageAt(pgno);
            if (pageType(pgno) !== P_OVERFLOW) {
                problem(`page ${pgno} in an overflow chain is not an overflow page (type ${pageType(pgno)})`);
                return null;
            }
            const used = u16(at + 22);
            if (used > pageSize - PAGE_HEADER || got + used > total) {
                problem(`overflow page ${pgno} claims ${used} bytes`);
                return null;
            }
            buf.set(data.subarray(at + PAGE_HEADER, at + PAGE_HEADER + used), got);
            got += used;
            if (used === 0 && got < total) {
                problem(`overflow page ${pgno} is empty before the value is complete`);
                return null;
            }
            pgno = u32(at + 16);
        }
        return buf;
    };
    const visited = new Set();
    for (let bucket = 0; bucket <= maxBucket; bucket++) {
        let log = 0;
        while ((1 << log) < bucket + 1)
            log++;
        let pgno = bucket + (spares[log] ?? 0);
        for (let guard = 0; guard < pageCount; guard++) {
            if (pgno >= pageCount || pgno === 0) {
                problem(`bucket ${bucket} points to page ${pgno}, outside the file (${pageCount} pages)`);
                break;
            }
            if (visited.has(pgno)) {
                problem(`page ${pgno} reached twice (loop in the hash chains)`);
                break;
            }
            visited.add(pgno);
            const type = pageType(pgno);
            if (type !== P_HASH && type !== P_HASH_UNSORTED) {
                problem(`page ${pgno} of bucket ${bucket} is not a hash page (type ${type})`);
                break;
            }
            readHashPage(pgno);
            pgno = u32(pageAt(pgno) + 16);
            if (pgno === 0)
                break;
        }
    }
    return out;
    function readHashPage(pgno) {
        const at = pageAt(pgno);
        const n = u16(at + 20);
        const indexEnd = PAGE_HEADER + n * 2;
        if (indexEnd > pageSize) {
            problem(`hash page ${pgno} claims ${n} items`);
            return;
        }
        const itemBounds = (i) => {
            const start = u16(at + PAGE_HEADER + i * 2);
            const end = i === 0 ? pageSize : u16(at + PAGE_HEADER + (i - 1) * 2);
            if (start < indexEnd || start >= end || end > pageSize)
                return null;
            return [at + start, at + end];
        };
        for (let i = 0; i + 1 < n; i += 2) {
            const k = itemBounds(i);
            const v = itemBounds(i + 1);
            if (!k || !v) {
                problem(`hash page ${pgno}: item ${i} has offsets outside the page`);
                continue;
            }
            let key = null;
            if (data[k[0]] === H_KEYDATA && k[1] - k[0] - 1 === 4)
                key = u32(k[0] + 1);
            const vType = data[v[0]];
            let value = null;
            if (vType === H_KEYDATA)
                value = data.slice(v[0] + 1, v[1]);
            else if (vType === H_OFFPAGE) {
                if (v[1] - v[0] < 12) {
                    problem(`hash page ${pgno}: item ${i + 1} is a truncated off-page reference`);
                    continue;
                }
                value = overflow(u32(v[0] + 4), u32(v[0] + 8));
            }
            else if (vType === H_DUPLICATE || vType === H_OFFDUP) {
                problem(`hash page ${pgno}: duplicate-key items are not used by rpm; skipped`);
                continue;
            }
            else {
                problem(`hash page ${pgno}: item ${i + 1} has unknown type ${vType}`);
                continue;
            }
            if (!value)
                continue;
            // rpm keeps bookkeeping under instance 0 (not a header); real headers start with il/dl (≥ 8 bytes).
            if (key === 0 || value.length < 8)
                continue;
            out.records.push({ id: key ?? -1, blob: value });
        }
    }
}

;// CONCATENATED MODULE: ./src/inventory/os/rpm/header.ts
/**
 * rpm header blobs, as every rpmdb backend stores them (sqlite `Packages.blob`, Berkeley DB values, NDB blobs):
 *
 *   il  (u32 BE)  number of index entries
 *   dl  (u32 BE)  bytes in the data store
 *   il × 16 bytes index entries: tag, type, offset (into the data store), count — all u32 BE
 *   dl bytes      data store
 *
 * We read only the tags a scanner needs. A header region tag (63, the immutable region) is an ordinary BIN
 * entry here; entries appended after the region (rpm's "dribble" entries) come later in the index, and for a
 * tag present twice the later entry wins, as rpm does. Nothing here trusts the blob: every count and offset is
 * checked against the blob's length, and each bad entry becomes a problem while the others are still read.
 */
const RPMTAG = {
    SIGMD5: 261,
    NAME: 1000,
    VERSION: 1001,
    RELEASE: 1002,
    EPOCH: 1003,
    SIZE: 1009,
    VENDOR: 1011,
    LICENSE: 1014,
    ARCH: 1022,
    OLDFILENAMES: 1027,
    INSTALLTIME: 1008,
    SOURCERPM: 1044,
    DIRINDEXES: 1116,
    BASENAMES: 1117,
    DIRNAMES: 1118,
    MODULARITYLABEL: 5096,
};
const TYPE = { NULL: 0, CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 };
/** rpm's own sanity limits (hdrchkTags / hdrchkData in rpm's header.c). */
const HEADER_MAX_TAGS = 0xffff;
const HEADER_MAX_DATA = 0x0fffffff;
const decoder = new TextDecoder('utf-8', { fatal: false });
function emptyInfo() {
    return {
        name: null, epoch: null, version: null, release: null, arch: null, sourceRpm: null,
        vendor: null, license: null, modularityLabel: null, installTime: null, sigmd5: null,
    };
}
/** Parses one header blob. Never throws; an unreadable blob gives an empty `info` and a problem. */
function parseRpmHeader(blob, options = {}) {
    const info = emptyInfo();
    const problems = [];
    if (blob.length < 8) {
        problems.push(`header blob too short (${blob.length} bytes)`);
        return { info, problems };
    }
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const il = view.getUint32(0);
    const dl = view.getUint32(4);
    if (il < 1 || il > HEADER_MAX_TAGS) {
        problems.push(`header has an absurd index count ${il}`);
        return { info, problems };
    }
    if (dl > HEADER_MAX_DATA) {
        problems.push(`header has an absurd data length ${dl}`);
        return { info, problems };
    }
    const dataStart = 8 + il * 16;
    if (dataStart > blob.length) {
        problems.push(`header index (${il} entries) runs past the end of the ${blob.length}-byte blob`);
        return { info, problems };
    }
    let dataEnd = dataStart + dl;
    if (dataEnd > blob.length) {
        problems.push(`header data store (${dl} bytes) runs past the end of the ${blob.length}-byte blob; reading what is there`);
        dataEnd = blob.length;
    }
    const wanted = new Set(Object.values(RPMTAG));
    const entries = new Map();
    for (let i = 0; i < il; i++) {
        const at = 8 + i * 16;
        const e = { tag: view.getUint32(at), type: view.getUint32(at + 4), offset: view.getUint32(at + 8), count: view.getUint32(at + 12) };
        if (wanted.has(e.tag))
            entries.set(e.tag, e); // a later (dribble) entry replaces an earlier one
    }
    const bad = (e, what) => {
        problems.push(`header tag ${e.tag}: ${what}`);
        return null;
    };
    /** Reads `count` NUL-terminated strings starting at the entry's offset. */
    const strings = (e) => {
        const start = dataStart + e.offset;
        if (e.offset >= dl || start >= dataEnd)
            return bad(e, `offset ${e.offset} outside the data store (${dl} bytes)`);
        if (e.count > dataEnd - start)
            return bad(e, `count ${e.count} larger than the bytes left in the data store`);
        const out = [];
        let p = start;
        for (let k = 0; k < e.count; k++) {
            const nul = blob.indexOf(0, p);
            if (nul < 0 || nul >= dataEnd)
                return bad(e, `string ${k} is not terminated inside the data store`);
            out.push(decoder.decode(blob.subarray(p, nul)));
            p = nul + 1;
        }
        return out;
    };
    const str = (tag) => {
        const e = entries.get(tag);
        if (!e)
            return null;
        if (e.type !== TYPE.STRING && e.type !== TYPE.I18NSTRING && e.type !== TYPE.STRING_ARRAY)
            return bad(e, `unexpected type ${e.type} for a string`);
        const s = strings({ ...e, count: e.type === TYPE.STRING ? 1 : Math.min(e.count, 1) });
        return s ? s[0] ?? null : null;
    };
    const int32s = (e) => {
        if (e.type !== TYPE.INT32)
            return bad(e, `unexpected type ${e.type} for an INT32 tag`);
        const start = dataStart + e.offset;
        if (e.offset >= dl || start >= dataEnd)
            return bad(e, `offset ${e.offset} outside the data store (${dl} bytes)`);
        if (e.count > (dataEnd - start) / 4)
            return bad(e, `count ${e.count} larger than the data store holds`);
        const out = new Array(e.count);
        for (let k = 0; k < e.count; k++)
            out[k] = view.getUint32(start + k * 4);
        return out;
    };
    const int32 = (tag) => {
        const e = entries.get(tag);
        if (!e)
            return null;
        const v = int32s({ ...e, count: Math.min(e.count, 1) });
        return v && v.length ? v[0] : null;
    };
    const binHex = (tag) => {
        const e = entries.get(tag);
        if (!e)
            return null;
        if (e.type !== TYPE.BIN)
            return bad(e, `unexpected type ${e.type} for a BIN tag`);
        const start = dataStart + e.offset;
        if (e.offset >= dl || start + e.count > dataEnd)
            return bad(e, `${e.count} bytes at offset ${e.offset} outside the data store`);
        return Buffer.from(blob.buffer, blob.byteOffset + start, e.count).toString('hex');
    };
    info.name = str(RPMTAG.NAME);
    info.version = str(RPMTAG.VERSION);
    info.release = str(RPMTAG.RELEASE);
    info.epoch = int32(RPMTAG.EPOCH);
    info.arch = str(RPMTAG.ARCH);
    info.sourceRpm = str(RPMTAG.SOURCERPM);
    info.vendor = str(RPMTAG.VENDOR);
    info.license = str(RPMTAG.LICENSE);
    info.modularityLabel = str(RPMTAG.MODULARITYLABEL);
    info.installTime = int32(RPMTAG.INSTALLTIME);
    info.sigmd5 = binHex(RPMTAG.SIGMD5);
    if (options.files)
        info.files = fileList(entries, strings, int32s, bad);
    return { info, problems };
}
function fileList(entries, strings, int32s, bad) {
    const b = entries.get(RPMTAG.BASENAMES);
    const d = entries.get(RPMTAG.DIRNAMES);
    const x = entries.get(RPMTAG.DIRINDEXES);
    if (b && d && x) {
        const basenames = b.type === TYPE.STRING_ARRAY ? strings(b) : bad(b, `unexpected type ${b.type} for BASENAMES`);
        const dirnames = d.type === TYPE.STRING_ARRAY ? strings(d) : bad(d, `unexpected type ${d.type} for DIRNAMES`);
        const indexes = int32s(x);
        if (!basenames || !dirnames || !indexes)
            return [];
        if (indexes.length !== basenames.length) {
            bad(x, `${indexes.length} dir indexes for ${basenames.length} basenames`);
            return [];
        }
        const out = [];
        for (let i = 0; i < basenames.length; i++) {
            const dir = dirnames[indexes[i]];
            if (dir === undefined) {
                bad(x, `dir index ${indexes[i]} out of range (${dirnames.length} dirnames)`);
                return out;
            }
            out.push(dir + basenames[i]);
        }
        return out;
    }
    const old = entries.get(RPMTAG.OLDFILENAMES);
    if (old)
        return (old.type === TYPE.STRING_ARRAY ? strings(old) : bad(old, `unexpected type ${old.type} for OLDFILENAMES`)) ?? [];
    return [];
}

;// CONCATENATED MODULE: ./src/inventory/os/rpm/ndb.ts
const DB_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_HEAD_MAGIC = 0x53626c42; // "BlbS"
const BLOB_TAIL_MAGIC = 0x45626c42; // "BlbE"
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const PAGE_SIZE = 4096;
const BLK_SIZE = 16;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;
function adler32(data, start = 0, end = data.length, initial = 1) {
    let a = initial & 0xffff;
    let b = (initial >>> 16) & 0xffff;
    let i = start;
    while (i < end) {
        const stop = Math.min(end, i + 5552);
        for (; i < stop; i++) {
            a += data[i];
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return ((b << 16) | a) >>> 0;
}
function readRpmNdb(data) {
    const out = { format: 'ndb', records: [], problems: [] };
    const problem = (m) => { out.problems.push(m); };
    if (data.length < HEADER_SIZE) {
        problem(`file too small for an NDB rpmdb (${data.length} bytes)`);
        return out;
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const u32 = (at) => view.getUint32(at, true);
    if (u32(0) !== DB_MAGIC) {
        problem('not an NDB rpmdb (bad magic)');
        return out;
    }
    const version = u32(4);
    if (version !== 0)
        problem(`unknown NDB format version ${version}; reading as version 0`);
    const slotPages = u32(12);
    if (slotPages === 0) {
        problem('NDB header says there are no slot pages');
        return out;
    }
    let slotEnd = slotPages * PAGE_SIZE;
    if (slotEnd > data.length) {
        problem(`NDB header says ${slotPages} slot pages (${slotEnd} bytes) but the file has ${data.length} bytes`);
        slotEnd = data.length - ((data.length - HEADER_SIZE) % SLOT_SIZE);
    }
    const byIndex = new Map();
    let badSlots = 0;
    for (let at = HEADER_SIZE; at + SLOT_SIZE <= slotEnd; at += SLOT_SIZE) {
        if (u32(at) !== SLOT_MAGIC) {
            badSlots++;
            continue;
        }
        const pkgIdx = u32(at + 4);
        if (pkgIdx === 0)
            continue; // free slot
        const blkOff = u32(at + 8);
        const blkCnt = u32(at + 12);
        const where = `package index ${pkgIdx}`;
        const start = blkOff * BLK_SIZE;
        const end = start + blkCnt * BLK_SIZE;
        if (blkCnt * BLK_SIZE < BLOB_HEAD + BLOB_TAIL || start < slotEnd || end > data.length) {
            problem(`${where}: slot points to blocks ${blkOff}+${blkCnt}, outside the file's blob area`);
            continue;
        }
        if (byIndex.has(pkgIdx)) {
            problem(`${where}: listed by two slots; keeping the first`);
            continue;
        }
        if (u32(start) !== BLOB_HEAD_MAGIC || u32(start + 4) !== pkgIdx) {
            problem(`${where}: blob head is missing or belongs to another package`);
            continue;
        }
        const blobLen = u32(start + 12);
        if (Math.ceil((BLOB_HEAD + blobLen + BLOB_TAIL) / BLK_SIZE) !== blkCnt) {
            problem(`${where}: blob length ${blobLen} does not fit the slot's ${blkCnt} blocks`);
            continue;
        }
        const tail = end - BLOB_TAIL;
        if (u32(tail + 8) !== BLOB_TAIL_MAGIC || u32(tail + 4) !== blobLen) {
            problem(`${where}: blob tail is missing or disagrees with the head`);
            continue;
        }
        const sum = adler32(data, start, tail);
        if (sum !== u32(tail)) {
            problem(`${where}: Adler-32 checksum mismatch (stored ${hex(u32(tail))}, computed ${hex(sum)})`);
            continue;
        }
        byIndex.set(pkgIdx, data.slice(start + BLOB_HEAD, start + BLOB_HEAD + blobLen));
    }
    if (badSlots)
        problem(`${badSlots} slot(s) without the slot magic were skipped`);
    for (const id of [...byIndex.keys()].sort((a, b) => a - b))
        out.records.push({ id, blob: byIndex.get(id) });
    return out;
}
function hex(n) {
    return '0x' + n.toString(16).padStart(8, '0');
}

;// CONCATENATED MODULE: ./src/inventory/os/rpm/package.ts

const RPM_FOUND_BY = 'os/rpm';
/** purl namespace for an os-release ID: the vendor, as the purl spec's rpm examples and other scanners use. */
function rpmNamespace(osId) {
    if (!osId)
        return null;
    const id = osId.toLowerCase();
    if (id === 'rhel')
        return 'redhat';
    if (id === 'ol')
        return 'oracle';
    if (id.startsWith('opensuse'))
        return 'opensuse';
    if (id === 'sles' || id === 'sled' || id.startsWith('sles_') || id.startsWith('sle-') || id.startsWith('sle_') || id === 'suse')
        return 'suse';
    return id;
}
/** Splits `name-version-release.src.rpm`; null when the string does not have that shape. */
function parseSourceRpm(s) {
    if (!s)
        return null;
    const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s);
    if (!m)
        return null;
    return { name: m[1], version: m[2], release: m[3] };
}
function rpmEvr(epoch, version, release) {
    const vr = release ? `${version}-${release}` : version;
    return epoch ? `${epoch}:${vr}` : vr;
}
/** True for rpm's gpg-pubkey pseudo-packages: imported signing keys, not software. */
function isGpgPubkey(info) {
    return info.name === 'gpg-pubkey';
}
function rpmPackage(info, location, os) {
    const version = rpmEvr(info.epoch, info.version, info.release);
    const src = parseSourceRpm(info.sourceRpm);
    const distro = os?.id ? (os.version_id ? `${os.id}-${os.version_id}` : os.id) : null;
    const pkg = {
        name: info.name,
        version,
        type: 'rpm',
        source_name: src ? src.name : info.name,
        source_version: src ? rpmEvr(info.epoch, src.version, src.release) : version,
        purl: purl({
            type: 'rpm',
            namespace: rpmNamespace(os?.id),
            name: info.name,
            version: info.release ? `${info.version}-${info.release}` : info.version,
            qualifiers: { arch: info.arch, distro, epoch: info.epoch ? String(info.epoch) : null },
        }),
        location,
        layer: null,
        arch: info.arch,
        ecosystem: os?.ecosystem ?? null,
        found_by: RPM_FOUND_BY,
        metadata: {
            epoch: info.epoch,
            release: info.release,
            source_rpm: info.sourceRpm,
            vendor: info.vendor,
            license: info.license,
            modularity_label: info.modularityLabel,
        },
    };
    if (info.files)
        pkg.files = info.files;
    return pkg;
}

;// CONCATENATED MODULE: ./src/inventory/os/rpm/sqlite.ts
const SQLITE_MAGIC = 'SQLite format 3\0';
function readRpmSqlite(data, SQL) {
    const out = { format: 'sqlite', records: [], problems: [] };
    if (data.length < 100 || Buffer.from(data.buffer, data.byteOffset, 16).toString('latin1') !== SQLITE_MAGIC) {
        out.problems.push('not an SQLite database (bad header magic)');
        return out;
    }
    let db;
    try {
        db = new SQL.Database(data);
        const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
        try {
            for (;;) {
                let more;
                try {
                    more = stmt.step();
                }
                catch (e) {
                    out.problems.push(`sqlite read stopped after ${out.records.length} rows: ${errorText(e)}`);
                    break;
                }
                if (!more)
                    break;
                const [hnum, blob] = stmt.get();
                if (typeof hnum !== 'number' || !(blob instanceof Uint8Array)) {
                    out.problems.push(`Packages row ${String(hnum)} has no blob`);
                    continue;
                }
                out.records.push({ id: hnum, blob });
            }
        }
        finally {
            stmt.free();
        }
    }
    catch (e) {
        out.problems.push(`cannot read the sqlite rpmdb: ${errorText(e)}`);
    }
    finally {
        db?.close();
    }
    return out;
}
function errorText(e) {
    return e instanceof Error ? e.message : String(e);
}

;// CONCATENATED MODULE: ./src/inventory/os/rpm/analyzer.ts







const RPMDB_DIRS = ['var/lib/rpm', 'usr/lib/sysimage/rpm'];
const RPMDB_FILES = { sqlite: 'rpmdb.sqlite', ndb: 'Packages.db', bdb: 'Packages' };
const FORMAT_RANK = ['sqlite', 'ndb', 'bdb'];
const RPMDB_PATHS = RPMDB_DIRS.flatMap((d) => FORMAT_RANK.map((f) => `${d}/${RPMDB_FILES[f]}`));
const WAL_PATHS = RPMDB_DIRS.map((d) => `${d}/rpmdb.sqlite-wal`);
/** Largest rpmdb body kept (a full RHEL workstation's Packages is ~200 MiB; container DBs are far smaller). */
const RPMDB_MAX_SIZE = 512 * 1024 * 1024;
/** Attribution parses at most this many versions of the DB (the top ones) … */
const ATTRIBUTION_MAX_VERSIONS = 16;
/** … holding at most this many bytes together. */
const ATTRIBUTION_MAX_BYTES = 512 * 1024 * 1024;
/** Problems reported per DB file before they are summarised. */
const MAX_PROBLEMS_PER_FILE = 50;
const wantedPaths = new Set([...RPMDB_PATHS, ...WAL_PATHS]);
function analyzer_readDb(format, body, SQL) {
    if (format === 'sqlite') {
        if (!SQL)
            throw new Error('sql.js not loaded');
        return readRpmSqlite(body, SQL);
    }
    return format === 'ndb' ? readRpmNdb(body) : readRpmBdb(body);
}
function formatOf(path) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    return base === 'rpmdb.sqlite' ? 'sqlite' : base === 'Packages.db' ? 'ndb' : 'bdb';
}
function findCandidates(ctx) {
    const out = [];
    const seen = new Set();
    for (const p of RPMDB_PATHS) {
        const body = ctx.files.read(p);
        if (body === undefined)
            continue;
        const real = ctx.files.resolve(p) ?? p;
        if (seen.has(real))
            continue;
        seen.add(real);
        const entry = ctx.files.stat(real) ?? ctx.files.stat(p);
        out.push({ path: real, format: formatOf(p), body, layer: entry?.layer ?? null });
    }
    return out.sort((a, b) => FORMAT_RANK.indexOf(a.format) - FORMAT_RANK.indexOf(b.format)
        || (b.layer ?? -1) - (a.layer ?? -1)
        || (a.path.startsWith('usr/') ? 0 : 1) - (b.path.startsWith('usr/') ? 0 : 1));
}
function attributionKey(name, arch, evr) {
    return `${name}\t${arch ?? ''}\t${evr}`;
}
/** key → value for attribution: one key per installed header (name, arch, evr, occurrence), value = install time + SIGMD5,
 * so a reinstall of the same version in a later layer attributes the package to that layer. */
function attributionList(format, SQL) {
    return (body) => {
        const read = analyzer_readDb(format, body, SQL);
        if (read.records.length === 0 && read.problems.length)
            throw new Error(read.problems[0]);
        const map = new Map();
        for (const r of read.records) {
            const { info } = parseRpmHeader(r.blob);
            if (!info.name || !info.version)
                continue;
            const base = attributionKey(info.name, info.arch, rpmEvr(info.epoch, info.version, info.release));
            let key = base;
            for (let n = 2; map.has(key); n++)
                key = `${base}\t#${n}`;
            map.set(key, `${info.installTime ?? ''}/${info.sigmd5 ?? ''}`);
        }
        return map;
    };
}
/** The window of versions attribution parses: the top ones, within the count and byte bounds. */
function attributionWindow(versions) {
    const out = [];
    let bytes = 0;
    for (let i = versions.length - 1; i >= 0 && out.length < ATTRIBUTION_MAX_VERSIONS; i--) {
        const v = versions[i];
        bytes += v.body?.length ?? 0;
        if (out.length > 0 && bytes > ATTRIBUTION_MAX_BYTES)
            break;
        out.unshift(v);
    }
    return out;
}
class ProblemSink {
    list;
    counts = new Map();
    constructor(list) {
        this.list = list;
    }
    add(path, message) {
        const n = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, n);
        if (n <= MAX_PROBLEMS_PER_FILE)
            this.list.push({ path, message });
    }
    finish() {
        for (const [path, n] of this.counts) {
            if (n > MAX_PROBLEMS_PER_FILE)
                this.list.push({ path, message: `${n - MAX_PROBLEMS_PER_FILE} more problems not listed` });
        }
    }
}
async function analyze(ctx) {
    const problems = [];
    const sink = new ProblemSink(problems);
    const candidates = findCandidates(ctx);
    if (candidates.length === 0)
        return { packages: [], problems };
    const SQL = candidates.some((c) => c.format === 'sqlite') ? await loadSqlJs() : null;
    let chosen = null;
    let read = null;
    for (const c of candidates) {
        if (chosen) {
            ctx.logger.info(`rpm: ${c.path} ignored, ${chosen.path} is the rpmdb in use`);
            continue;
        }
        if (c.body === null) {
            sink.add(c.path, `rpmdb larger than ${RPMDB_MAX_SIZE} bytes; not read`);
            continue;
        }
        const r = analyzer_readDb(c.format, c.body, SQL);
        for (const m of r.problems)
            sink.add(c.path, m);
        if (r.records.length === 0 && r.problems.length > 0)
            continue; // unreadable: try the next candidate
        if (candidates[0] !== c)
            sink.add(c.path, `package list read from ${c.path} because ${candidates[0].path} could not be read`);
        chosen = c;
        read = r;
    }
    if (!chosen || !read) {
        sink.finish();
        return { packages: [], problems, osDatabaseFound: true };
    }
    if (chosen.format === 'sqlite') {
        for (const w of WAL_PATHS) {
            if (ctx.files.resolve(w) !== `${chosen.path}-wal`)
                continue;
            const wal = ctx.files.read(w);
            // A WAL is 32 header bytes then frames; frames mean committed changes not yet copied into the main file.
            if (wal && wal.length > 32)
                sink.add(`${chosen.path}-wal`, `write-ahead log holds ${wal.length} bytes of changes not applied; the package list may be out of date`);
        }
    }
    const deep = ctx.mode === 'deep';
    const packages = [];
    let gpgKeys = 0;
    for (const r of read.records) {
        const { info, problems: hp } = parseRpmHeader(r.blob, { files: deep });
        for (const m of hp)
            sink.add(chosen.path, `record ${r.id}${info.name ? ` (${info.name})` : ''}: ${m}`);
        if (!info.name || !info.version) {
            if (hp.length === 0)
                sink.add(chosen.path, `record ${r.id}: header has no ${info.name ? 'VERSION' : 'NAME'}`);
            continue;
        }
        if (isGpgPubkey(info)) {
            gpgKeys++;
            continue;
        }
        packages.push(rpmPackage({ ...info, name: info.name, version: info.version }, chosen.path, ctx.os));
    }
    if (gpgKeys)
        ctx.logger.debug(`rpm: skipped ${gpgKeys} gpg-pubkey entries in ${chosen.path}`);
    attribute(ctx, chosen, packages, SQL);
    sink.finish();
    return { packages, problems, osDatabaseFound: true };
}
function attribute(ctx, chosen, packages, SQL) {
    const versions = ctx.files.versions(chosen.path);
    const top = versions.length ? versions[versions.length - 1].layer : chosen.layer;
    let byKey = new Map();
    if (versions.length > 1) {
        const window = attributionWindow(versions);
        if (window.length < versions.length) {
            ctx.logger.info(`rpm: layer attribution of ${chosen.path} looks at the top ${window.length} of ${versions.length} versions`);
        }
        byKey = attributeByLayer(window, attributionList(chosen.format, SQL));
    }
    const seen = new Map();
    for (const p of packages) {
        const base = attributionKey(p.name, p.arch, p.version);
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const key = n === 1 ? base : `${base}\t#${n}`;
        p.layer = layerRef(ctx.layers, byKey.get(key) ?? top);
    }
}
/** Declares the rpmdb files; the reader keeps their bodies (all layers' versions) up to RPMDB_MAX_SIZE. */
const rpmRequests = [{ match: (path) => wantedPaths.has(path), maxSize: RPMDB_MAX_SIZE }];
const rpmAnalyzer = {
    name: RPM_FOUND_BY,
    kind: 'os',
    modes: ['light', 'deep'],
    requests: rpmRequests,
    analyze,
};

;// CONCATENATED MODULE: ./src/inventory/os/rpm/index.ts
/** The rpm analyser and its raw readers (exported for tests and for tools that hold an rpmdb file directly). */







;// CONCATENATED MODULE: ./src/inventory/registry.ts
/** Every analyser ScanRook runs, in the order they run. New catalogers register here. */



const ANALYZERS = [dpkgAnalyzer, apkAnalyzer, rpmAnalyzer];

;// CONCATENATED MODULE: ./src/scan/deps.ts
/** The real parts a scan is built from (the CLI and the action use these; tests may swap any of them). */






function defaultScanDeps(logger, extra = {}) {
    return {
        logger,
        analyzers: ANALYZERS,
        detectOs: (view) => detectOs(view.files),
        osRequests: OS_RELEASE_REQUESTS,
        osSupport: (os, now) => {
            const e = osvEcosystem(os);
            return { supported: e.supported, reason: e.reason ?? null, eol: os ? isEol(os, now) : false };
        },
        readPath: readImageFromPath,
        readDocker: (ref, opts, log) => readImageFromDocker(ref, opts, log),
        ...extra,
    };
}

;// CONCATENATED MODULE: ./src/scan/target.ts
/** Turns a command-line argument into a scan input: an archive/folder path or a docker image reference. */

const ARCHIVE_SUFFIX = /\.(tar|tar\.gz|tgz|tar\.zst|oci)$/i;
function targetFromArgument(arg, ref) {
    if (arg.startsWith('docker:'))
        return { kind: 'docker', ref: arg.slice('docker:'.length) };
    if (arg.startsWith('file:'))
        return { kind: 'path', path: arg.slice('file:'.length), ...(ref ? { ref } : {}) };
    const looksLikePath = (0,external_node_fs_namespaceObject.existsSync)(arg) || ARCHIVE_SUFFIX.test(arg) || arg.startsWith('/') || arg.startsWith('./') || arg.startsWith('../');
    if (looksLikePath)
        return { kind: 'path', path: arg, ...(ref ? { ref } : {}) };
    return { kind: 'docker', ref: arg };
}

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/scan/input.ts
/**
 * The input stage: what did the user give us, and can it be opened at all? Cheap checks only (stat and a
 * few magic bytes), so a wrong path or a file that is no image archive ends the job with two events.
 */


function describeInput(input) {
    return input.kind === 'docker' ? `docker image ${input.ref}` : input.path + (input.ref ? ` (image ${input.ref})` : '');
}
function input_fmtBytes(n) {
    if (n < 1024)
        return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** What the first bytes of a file say it is. */
function sniffMagic(head) {
    if (head.length === 0)
        return 'empty';
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528)
        return 'zstd';
    if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar')
        return 'tar';
    if (head.length >= 512 && tarChecksumOk(head.subarray(0, 512)))
        return 'tar';
    return 'unknown';
}
/** A pre-POSIX (v7) tar header has no magic; its checksum still identifies it. */
function tarChecksumOk(h) {
    const field = h.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim();
    if (!/^[0-7]+$/.test(field))
        return false;
    let sum = 0;
    for (let i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? 0x20 : h[i];
    return sum === parseInt(field, 8) && h[0] !== 0;
}
async function checkInput(input) {
    if (input.kind === 'docker')
        return { ok: true, description: `docker save ${input.ref}`, size: 0 };
    const path = input.path;
    let st;
    try {
        st = await (0,promises_namespaceObject.stat)(path);
    }
    catch (e) {
        const code = e.code;
        const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be opened (${code ?? String(e)})`;
        return { ok: false, code: 'file_not_found', message: `${path} ${why}` };
    }
    if (st.isDirectory()) {
        try {
            await (0,promises_namespaceObject.stat)((0,external_node_path_namespaceObject.join)(path, 'index.json'));
            return { ok: true, description: `OCI layout folder ${path}`, size: 0 };
        }
        catch {
            return { ok: false, code: 'unsupported_media_type', message: `${path} is a folder but not an OCI layout (no index.json in it)` };
        }
    }
    if (!st.isFile())
        return { ok: false, code: 'unsupported_media_type', message: `${path} is not a regular file or folder` };
    let head;
    try {
        const fh = await (0,promises_namespaceObject.open)(path, 'r');
        try {
            const buf = Buffer.alloc(512);
            const { bytesRead } = await fh.read(buf, 0, 512, 0);
            head = buf.subarray(0, bytesRead);
        }
        finally {
            await fh.close();
        }
    }
    catch (e) {
        return { ok: false, code: 'file_not_found', message: `${path} cannot be read (${e.code ?? String(e)})` };
    }
    const kind = sniffMagic(head);
    if (kind === 'empty')
        return { ok: false, code: 'unsupported_media_type', message: `${path} is empty (0 bytes): not an image archive` };
    if (kind === 'unknown') {
        return { ok: false, code: 'unsupported_media_type', message: `${path} is not a tar or gzip archive: expected a docker save archive, an OCI image archive (.tar, .tar.gz) or an OCI layout folder` };
    }
    return { ok: true, description: `${kind === 'tar' ? 'tar' : kind} archive ${path} (${input_fmtBytes(st.size)})`, size: st.size };
}

;// CONCATENATED MODULE: ./src/scan/job.ts
/**
 * The scan job: queued → running → done | partial_failed | failed, an event log with one entry per stage
 * transition, and the reasons collected on the way. The terminal status is derived from the reasons (each
 * reason's registry status is the least severe outcome it allows) unless a stage failed outright.
 */

class JobStateError extends Error {
}
class ScanJob {
    clock;
    onEvent;
    _status = 'queued';
    _events = [];
    _reasons = [];
    stageStart = new Map();
    stageMs = {};
    startedAt;
    _finishedAt = null;
    /** Set when a stage fails in a way that ends the scan. */
    fatal = false;
    constructor(clock = () => new Date(), queuedMessage = 'scan queued', onEvent) {
        this.clock = clock;
        this.onEvent = onEvent;
        this.startedAt = clock();
        this.push('queued', 'finished', queuedMessage);
    }
    get status() { return this._status; }
    get events() { return this._events; }
    get reasons() { return this._reasons; }
    get finishedAt() { return this._finishedAt; }
    push(stage, status, message) {
        const event = { seq: this._events.length + 1, timestamp: this.clock().toISOString(), stage, status, message };
        this._events.push(event);
        this.onEvent?.(event);
    }
    requireActive() {
        if (this._status !== 'queued' && this._status !== 'running') {
            throw new JobStateError(`scan already ended (${this._status})`);
        }
    }
    /** The input opened: queued → running. The input stage is instant, so it logs only its outcome. */
    inputOpened(message) {
        if (this._status !== 'queued')
            throw new JobStateError(`cannot start a ${this._status} scan`);
        this._status = 'running';
        this.push('input', 'finished', message);
    }
    /**
     * The input could not be opened: queued → failed with exactly two events (queued, input failed).
     */
    inputFailed(code, message) {
        if (this._status !== 'queued')
            throw new JobStateError(`inputFailed on a ${this._status} scan`);
        this.addReason(code, message, 'input');
        this.push('input', 'failed', `${code}: ${message}`);
        this.fatal = true;
        this.end();
    }
    start(stage, message) {
        this.requireActive();
        if (this._status === 'queued')
            throw new JobStateError('open the input before starting stages');
        this.stageStart.set(stage, performance.now());
        this.push(stage, 'started', message);
    }
    stopClock(stage) {
        const t0 = this.stageStart.get(stage);
        if (t0 !== undefined) {
            this.stageMs[stage] = Math.round((this.stageMs[stage] ?? 0) + performance.now() - t0);
            this.stageStart.delete(stage);
        }
    }
    finish(stage, message) {
        this.requireActive();
        this.stopClock(stage);
        this.push(stage, 'finished', message);
    }
    skip(stage, message) {
        this.requireActive();
        this.push(stage, 'skipped', message);
    }
    /**
     * A stage failed. `fatal` ends the scan as `failed` (nothing trustworthy to report); otherwise the scan
     * goes on and ends at least `partial_failed`.
     */
    fail(stage, code, message, opts = {}) {
        this.requireActive();
        this.stopClock(stage);
        this.addReason(code, message, stage);
        this.push(stage, 'failed', `${code}: ${message}`);
        if (opts.fatal)
            this.fatal = true;
    }
    /** Adds a reason (deduplicated by code and message). */
    addReason(code, message, stage) {
        const info = reasonInfo(code);
        if (this._reasons.some((r) => r.code === code && r.message === message))
            return;
        this._reasons.push({ code, stage: stage ?? info.stage, message, hint: info.hint });
    }
    hasReason(code) {
        return this._reasons.some((r) => r.code === code);
    }
    /** The terminal status the job would end with now. */
    terminalStatus() {
        if (this.fatal)
            return 'failed';
        // The scan went on, so even a reason that usually fails a scan (internal_error in one analyser, say)
        // leaves it partial: what was found is reported.
        let s = 'done';
        for (const r of this._reasons) {
            const least = reasonInfo(r.code).status;
            s = worseStatus(s, least === 'failed' ? 'partial_failed' : least);
        }
        return s;
    }
    /** running → terminal. Returns the terminal status. */
    end() {
        if (this._status !== 'running' && !(this._status === 'queued' && this.fatal)) {
            throw new JobStateError(`cannot end a ${this._status} scan`);
        }
        for (const stage of [...this.stageStart.keys()])
            this.stopClock(stage);
        const s = this.terminalStatus();
        this._status = s;
        this._finishedAt = this.clock();
        return s;
    }
}

;// CONCATENATED MODULE: ./src/scan/summary.ts

function summarize(packages, findings, filesRead) {
    const by = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    let fixable = 0;
    for (const f of findings) {
        if (f.suppressed)
            continue;
        by[f.severity]++;
        if (f.fixed_version)
            fixable++;
    }
    return {
        packages: packages.length,
        findings: findings.filter((f) => !f.suppressed).length,
        fixable,
        by_severity: by,
        files_read: filesRead,
    };
}

;// CONCATENATED MODULE: ./src/scan/version.ts
/** The tool version written into reports and SARIF (kept in step with package.json by a test). */
const TOOL_VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/scan/run.ts
/**
 * One scan, end to end: input → image → OS → inventory → (vulnerability DB, matching) → report.
 * Every stage logs its events on the job; failures become reasons; the report is always produced.
 */






function emptyTarget(input) {
    return {
        input: input.kind === 'docker' ? input.ref : input.path,
        kind: input.kind === 'docker' ? 'docker' : 'archive',
        format: null, refs: [], image_id: null, manifest_digest: null, platform: null, selection: null,
        size_bytes: 0, created: null, architecture: null, env: [], labels: {}, layers: [], history: [],
    };
}
async function runScan(input, opts, deps) {
    const clock = deps.clock ?? (() => new Date());
    const job = new ScanJob(clock, `scan queued: ${describeInput(input)} (mode ${opts.mode})`, deps.onEvent);
    const t0 = performance.now();
    let target = emptyTarget(input);
    let os = null;
    let packages = [];
    let inventoryStatus = 'missing';
    let inventoryReason = null;
    const controller = new AbortController();
    const timer = opts.timeout > 0 ? setTimeout(() => controller.abort(), opts.timeout * 1000) : null;
    timer?.unref?.();
    const timedOut = () => controller.signal.aborted;
    const finish = () => {
        if (timer)
            clearTimeout(timer);
        if (job.status === 'queued' || job.status === 'running')
            job.end();
        const finishedAt = job.finishedAt ?? clock();
        return {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: { name: 'scanrook', version: TOOL_VERSION },
            scan_status: job.status,
            mode: opts.mode,
            target,
            os,
            inventory_status: inventoryStatus,
            inventory_reason: inventoryReason,
            reasons: [...job.reasons],
            packages,
            findings: [],
            summary: summarize(packages, [], filesRead),
            events: [...job.events],
            timings: {
                started_at: job.startedAt.toISOString(),
                finished_at: finishedAt.toISOString(),
                total_ms: Math.round(performance.now() - t0),
                stages: { ...job.stageMs },
            },
        };
    };
    let filesRead = 0;
    try {
        // ---- input
        const check = await checkInput(input);
        if (!check.ok) {
            job.inputFailed(check.code, check.message);
            return finish();
        }
        if (input.kind === 'path') {
            target.kind = check.description.startsWith('OCI layout folder') ? 'oci-layout' : 'archive';
            if (opts.maxImageSize > 0 && check.size > opts.maxImageSize) {
                job.inputFailed('image_size_exceeded', `${input.path} is ${input_fmtBytes(check.size)}, over the ${input_fmtBytes(opts.maxImageSize)} maximum`);
                return finish();
            }
        }
        // ---- image
        const requests = [...deps.osRequests, ...deps.analyzers.filter((a) => a.modes.includes(opts.mode)).flatMap((a) => a.requests)];
        let opened = false;
        const open = (msg) => {
            if (opened)
                return;
            opened = true;
            job.inputOpened(msg);
            job.start('image', 'reading image layers');
        };
        if (input.kind === 'path')
            open(`opened ${check.description}`);
        let lastProgress = 0;
        const readOpts = {
            requests,
            platform: opts.platform,
            maxImageSize: opts.maxImageSize,
            signal: controller.signal,
            onProgress: (bytes) => {
                if (!opened)
                    open(`docker save ${input.kind === 'docker' ? input.ref : ''} is streaming`);
                if (deps.onProgress && bytes - lastProgress >= 64 * 1024 * 1024) {
                    lastProgress = bytes;
                    deps.onProgress(`read ${input_fmtBytes(bytes)}`);
                }
            },
            ...(input.kind === 'path' && input.ref ? { ref: input.ref } : {}),
        };
        let view;
        try {
            view = input.kind === 'docker'
                ? await deps.readDocker(input.ref, readOpts, deps.logger)
                : await deps.readPath(input.path, readOpts, deps.logger);
        }
        catch (e) {
            if (!(e instanceof ImageError))
                throw e;
            if (!opened) {
                // Nothing was read: the input itself could not be opened (no image, no docker, not an image).
                job.inputFailed(e.code === 'collection_time_limit_exceeded' ? 'collection_time_limit_exceeded' : e.code, e.message);
            }
            else {
                job.fail('image', e.code, e.message, { fatal: true });
            }
            return finish();
        }
        if (!opened)
            open(`opened ${describeInput(input)}`);
        target = { ...view.target, layers: view.layers };
        // Nothing trustworthy when no layer could be read at all: the scan fails instead of reporting an empty image.
        const unreadable = new Set(view.problems.filter((p) => p.code === 'archive_corrupt' && p.layer !== null).map((p) => p.layer)).size;
        const nothingRead = view.layers.length > 0 && unreadable >= view.layers.length;
        for (const p of view.problems) {
            job.fail('image', p.code, nothingRead ? `${p.message} (no layer of the image could be read)` : p.message, { fatal: nothingRead });
        }
        if (nothingRead)
            return finish();
        if (!view.problems.length) {
            job.finish('image', `read ${view.layers.length} layer(s), ${view.files.fileCount} files in the merged view (${target.format ?? 'unknown format'}${target.platform ? ', ' + target.platform : ''})`);
        }
        // ---- inventory (OS detection first: catalogers need it for purls and ecosystems)
        job.start('inventory', `detecting the OS and running ${opts.mode} mode analysers`);
        os = deps.detectOs(view);
        const support = deps.osSupport(os, clock());
        const problems = [];
        let osDbFound = false;
        let osProblem = false;
        for (const analyzer of deps.analyzers) {
            if (!analyzer.modes.includes(opts.mode))
                continue;
            if (timedOut())
                break;
            try {
                const r = await analyzer.analyze({ files: view.files, layers: view.layers, os, mode: opts.mode, logger: deps.logger });
                packages.push(...r.packages);
                if (r.osDatabaseFound)
                    osDbFound = true;
                for (const p of r.problems) {
                    problems.push({ analyzer: analyzer.name, problem: p });
                    if (analyzer.kind === 'os')
                        osProblem = true;
                }
            }
            catch (e) {
                // A bug in one analyser must not hide what the others found.
                const msg = `analyser ${analyzer.name} crashed: ${e instanceof Error ? e.message : String(e)}`;
                deps.logger.error(msg);
                job.addReason('internal_error', msg, 'inventory');
                if (analyzer.kind === 'os')
                    osProblem = true;
            }
        }
        filesRead = view.files.wanted().length;
        for (const { analyzer, problem } of problems) {
            job.addReason('archive_corrupt', `${analyzer}: /${problem.path}: ${problem.message}`, 'inventory');
        }
        const osPackages = packages.filter((p) => p.type === 'deb' || p.type === 'apk' || p.type === 'rpm');
        if (osDbFound) {
            inventoryStatus = osProblem ? 'partial' : 'present';
            inventoryReason = osProblem ? 'os_package_database_partially_read' : null;
        }
        else {
            inventoryStatus = 'missing';
            inventoryReason = opts.mode === 'deep' ? 'deep_mode_requires_installed_inventory' : 'no_os_package_database';
        }
        if (opts.mode === 'deep' && !osDbFound) {
            job.addReason('deep_mode_requires_installed_inventory', 'deep mode needs an installed OS package database (dpkg, apk or rpm) and this image has none; everything else found is still reported', 'inventory');
        }
        if (osPackages.length > 0 && !support.supported) {
            job.addReason('unsupported_os', support.reason ?? `no vulnerability data for ${os?.pretty_name ?? os?.id ?? 'this distribution'}`, 'inventory');
        }
        if (support.eol && os) {
            job.addReason('os_eol', `${os.pretty_name ?? os.id} reached its end of life on ${os.eol}`, 'inventory');
        }
        if (opts.maxPackages > 0 && packages.length > opts.maxPackages) {
            job.addReason('package_collection_limit_exceeded', `found ${packages.length} packages, over the maximum of ${opts.maxPackages}: the first ${opts.maxPackages} are reported and matched`, 'inventory');
            packages = packages.slice(0, opts.maxPackages);
        }
        if (packages.length === 0 && !timedOut()) {
            job.addReason('no_packages_detected', 'no packages of any supported format were found in the image: zero findings here does not mean the image is safe', 'inventory');
        }
        if (timedOut()) {
            job.fail('inventory', 'collection_time_limit_exceeded', `the scan hit its ${opts.timeout}s time limit during inventory; ${packages.length} packages found up to then are reported`);
        }
        else {
            job.finish('inventory', `${packages.length} packages (${osPackages.length} OS) — inventory ${inventoryStatus}${os ? `, OS ${os.pretty_name ?? os.id ?? 'unknown'}` : ', OS not identified'}`);
        }
        // ---- vulnerability DB and matching: not built yet. Say so instead of reporting "0 vulnerabilities".
        job.fail('vulndb', 'vulndb_unavailable', 'this version of ScanRook has no vulnerability DB yet: packages are listed, not matched');
        job.skip('match', 'no vulnerability DB: matching skipped');
        return finish();
    }
    catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        deps.logger.error(`internal error: ${e instanceof Error && e.stack ? e.stack : msg}`);
        if (job.status === 'queued')
            job.inputFailed('internal_error', msg);
        else if (job.status === 'running')
            job.fail('scan', 'internal_error', msg, { fatal: true });
        return finish();
    }
}

;// CONCATENATED MODULE: ./src/util/values.ts
/** Parsers for the values users write, shared by the action inputs and the CLI flags (pure, no @actions). */
/**
 * Parsers for the kinds of value the action's inputs take (lists, booleans, durations, sizes, counts, image
 * references). Pure: no @actions import, no file system. Each throws an InputError naming the input, the bad
 * value and what it accepts, so the same wording reaches the job log whatever the input.
 */
class InputError extends Error {
    input;
    value;
    accepts;
    constructor(
    /** The input's name as action.yml declares it (`mode`, `db-max-age`). */
    input, 
    /** The value (or the list item) that was rejected. */
    value, 
    /** What the input accepts, in words (`"light" or "deep"`). */
    accepts, 
    /** Replaces the standard wording when the problem is not one value (a missing pair of inputs). */
    message) {
        super(message ?? `Input "${input}" must be ${accepts}, got ${JSON.stringify(value)}`);
        this.input = input;
        this.value = value;
        this.accepts = accepts;
        this.name = 'InputError';
    }
}
/** Items of a list input: newline and/or comma separated, each trimmed, empty items dropped, duplicates kept once. */
function parseList(raw) {
    const out = [];
    for (const part of raw.split(/[\n\r,]/)) {
        const item = part.trim();
        if (item !== '' && !out.includes(item))
            out.push(item);
    }
    return out;
}
const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);
const BOOLEAN_ACCEPTS = 'true/false, yes/no or 1/0';
function parseBoolean(input, raw) {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v))
        return true;
    if (FALSE.has(v))
        return false;
    throw new InputError(input, raw, BOOLEAN_ACCEPTS);
}
/** One of a fixed set of words, case-insensitive; returns the word as spelled in `allowed`. */
function parseChoice(input, raw, allowed) {
    const v = raw.trim().toLowerCase();
    const hit = allowed.find((a) => a === v);
    if (hit !== undefined)
        return hit;
    throw new InputError(input, raw, describeChoices(allowed));
}
/** `"a" or "b"`, `one of "a", "b", "c"`. */
function describeChoices(allowed) {
    const q = allowed.map((a) => `"${a}"`);
    if (q.length === 2)
        return `${q[0]} or ${q[1]}`;
    return `one of ${q.join(', ')}`;
}
const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86400 };
const DURATION_ACCEPTS = 'a duration such as "90s", "15m", "2h", "3d", "1h30m" or plain seconds ("600"); "0" means no limit';
/**
 * A duration in whole seconds. Forms: plain seconds (`600`), or one or more number+unit parts with units
 * s, m, h, d (`90s`, `15m`, `1.5h`, `1h30m`). Case-insensitive. The total is rounded to the second; a
 * non-zero duration that rounds to 0 is refused (0 means "no limit" and must be asked for as `0`).
 */
function parseDuration(input, raw) {
    const v = raw.trim().toLowerCase();
    let seconds;
    if (/^\d+(\.\d+)?$/.test(v)) {
        seconds = Number(v);
    }
    else if (/^(\d+(\.\d+)?[smhd])+$/.test(v)) {
        seconds = 0;
        for (const m of v.matchAll(/(\d+(?:\.\d+)?)([smhd])/g))
            seconds += Number(m[1]) * DURATION_UNITS[m[2]];
    }
    else {
        throw new InputError(input, raw, DURATION_ACCEPTS);
    }
    const rounded = Math.round(seconds);
    if (!Number.isSafeInteger(rounded))
        throw new InputError(input, raw, DURATION_ACCEPTS + ' (this one is too long)');
    if (rounded === 0 && seconds > 0)
        throw new InputError(input, raw, DURATION_ACCEPTS + ' (this one is under a second)');
    return rounded;
}
/**
 * Size units. Decimal (SI) units are powers of 1000 and binary (IEC) units, spelled with an `i`, powers of
 * 1024 — the way disks and registries (decimal) and `docker images` sizes (decimal too) are written.
 * A bare `K`/`M`/`G`/`T` is the decimal unit. Case-insensitive; `B` alone is bytes.
 */
const SIZE_UNITS = {
    '': 1, b: 1,
    k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
    ki: 1024, kib: 1024, mi: 1024 ** 2, mib: 1024 ** 2, gi: 1024 ** 3, gib: 1024 ** 3, ti: 1024 ** 4, tib: 1024 ** 4,
};
const SIZE_ACCEPTS = 'a size such as "512MB", "10GB", "1.5G", "512MiB", "2GiB" or plain bytes (KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024); "0" means no limit';
/** A size in whole bytes (rounded); a non-zero size that rounds to 0 bytes is refused. */
function parseSize(input, raw) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(raw.trim().toLowerCase());
    const unit = m ? SIZE_UNITS[m[2]] : undefined;
    if (!m || unit === undefined)
        throw new InputError(input, raw, SIZE_ACCEPTS);
    const exact = Number(m[1]) * unit;
    const bytes = Math.round(exact);
    if (!Number.isSafeInteger(bytes))
        throw new InputError(input, raw, SIZE_ACCEPTS + ' (this one is too large)');
    if (bytes === 0 && exact > 0)
        throw new InputError(input, raw, SIZE_ACCEPTS + ' (this one is under a byte)');
    return bytes;
}
const COUNT_ACCEPTS = 'a whole number, 0 or more ("0" means no limit)';
/** A non-negative whole number written in plain digits. */
function parseCount(input, raw) {
    const v = raw.trim();
    if (!/^\d+$/.test(v))
        throw new InputError(input, raw, COUNT_ACCEPTS);
    const n = Number(v);
    if (!Number.isSafeInteger(n))
        throw new InputError(input, raw, COUNT_ACCEPTS + ' (this one is too large)');
    return n;
}
// Image references, after the grammar of the distribution project's reference format: an optional registry
// host (with port), lowercase path components joined by `/`, an optional `:tag` and an optional `@digest`.
// An image ID (`sha256:<hex>`, or a short hex ID) matches too, which `docker save` also accepts.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const HOST_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
// Digests whose algorithm Docker knows, with their exact hex length.
const DIGEST = 'sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}';
const REFERENCE = new RegExp(`^((?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@(?:${DIGEST}))?$`);
const MAX_NAME_LENGTH = 255;
/** Longest host, name, tag and digest together (255 + 1 + 255 + 1 + 128 + 1 + 7 + 128), checked before the pattern runs. */
const MAX_REFERENCE_LENGTH = 776;
const REFERENCE_ACCEPTS = 'an image reference [registry/]name[:tag][@digest] with a lowercase name, such as "app:1.2" or "ghcr.io/org/app@sha256:…"';
function isImageReference(s) {
    if (s.length > MAX_REFERENCE_LENGTH)
        return false;
    const m = REFERENCE.exec(s);
    return m !== null && remoteNameLength(m[1]) <= MAX_NAME_LENGTH;
}
/**
 * Length of the repository path as Docker limits it (255): the name without its registry host, with
 * `library/` in front of a one-component Docker Hub name. The first component is a host when it holds `.` or
 * `:`, is `localhost`, or has upper case letters. (Measured against the docker CLI, see the tests.)
 */
function remoteNameLength(name) {
    const slash = name.indexOf('/');
    const first = slash < 0 ? '' : name.slice(0, slash);
    if (slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()))
        return name.length - slash - 1;
    return slash < 0 ? 'library/'.length + name.length : name.length;
}
function parseImageReference(input, raw) {
    const v = raw.trim();
    if (!isImageReference(v))
        throw new InputError(input, raw, REFERENCE_ACCEPTS);
    return v;
}
const IMAGE_TAR_ACCEPTS = 'a path to an image archive or OCI layout folder, optionally followed by "#<image reference>" (a path that itself contains "#" must end with a lone "#")';
/**
 * Splits an `image-tar` item at its last `#`. What follows must be an image reference; an empty remainder
 * (a trailing `#`) means no reference, which is how a path containing `#` is written (`build#1/x.tar#`).
 */
function parseImageTarSpec(input, raw) {
    const v = raw.trim();
    const hash = v.lastIndexOf('#');
    const path = (hash < 0 ? v : v.slice(0, hash)).trim();
    const ref = hash < 0 ? '' : v.slice(hash + 1).trim();
    if (path === '' || v.includes('\0'))
        throw new InputError(input, raw, IMAGE_TAR_ACCEPTS);
    if (ref !== '' && !isImageReference(ref)) {
        throw new InputError(input, raw, `${IMAGE_TAR_ACCEPTS}; "${ref}" is not ${REFERENCE_ACCEPTS}`);
    }
    return { path, ref: ref === '' ? null : ref };
}

;// CONCATENATED MODULE: ./src/cli.ts
/**
 * `scanrook` for local use: the same engine as the action.
 *   scanrook scan <image-ref|archive|oci-folder> [options]
 *   scanrook db selftest
 * Exit codes: 0 pass (or warn), 1 fail by policy, 2 usage error, 3 the scan failed (status `failed`).
 */










const EXIT = { pass: 0, fail: 1, usage: 2, scanFailed: 3 };
const USAGE = `usage:
  scanrook scan <image-ref | archive.tar[.gz] | oci-layout-folder> [options]
      --mode light|deep         analysers to run (default light)
      --platform OS/ARCH        image to pick from a multi-platform index (default linux/amd64)
      --ref REF                 image to pick from an archive holding several
      --format json|table       output format (default table)
      --output FILE             write the output to FILE instead of stdout
      --max-image-size SIZE     e.g. 2GB, 0 = no limit (default 0)
      --max-packages N          0 = no limit (default 0)
      --timeout DURATION        e.g. 15m, 0 = no limit (default 0)
      --severity-threshold S    critical|high|medium|low|negligible|unknown|none (default high)
      --quiet                   no progress on stderr
    An argument that names an existing file or folder, or ends in .tar/.tar.gz/.tgz, is read as an archive;
    anything else is an image reference saved with \`docker save\`. Force either with docker:REF or file:PATH.
  scanrook db selftest          open an in-memory SQLite database (checks the bundled engine)
  scanrook --version
exit codes: 0 pass (or warn), 1 fail by policy, 2 usage error, 3 the scan failed`;
class UsageError extends Error {
}
function stderrLogger(verbose) {
    return {
        debug: (m) => { if (verbose)
            process.stderr.write(`debug: ${m}\n`); },
        info: (m) => { if (verbose)
            process.stderr.write(`${m}\n`); },
        warn: (m) => process.stderr.write(`warning: ${m}\n`),
        error: (m) => process.stderr.write(`error: ${m}\n`),
    };
}
async function scanCommand(argv) {
    const { values, positionals } = (0,external_node_util_namespaceObject.parseArgs)({
        args: argv,
        allowPositionals: true,
        options: {
            mode: { type: 'string', default: 'light' },
            platform: { type: 'string', default: 'linux/amd64' },
            ref: { type: 'string' },
            format: { type: 'string', default: 'table' },
            output: { type: 'string', short: 'o' },
            'max-image-size': { type: 'string', default: '0' },
            'max-packages': { type: 'string', default: '0' },
            timeout: { type: 'string', default: '0' },
            'severity-threshold': { type: 'string', default: 'high' },
            quiet: { type: 'boolean', short: 'q', default: false },
            verbose: { type: 'boolean', short: 'v', default: false },
        },
    });
    if (positionals.length !== 1)
        throw new UsageError(`scan takes exactly one image reference or path, got ${positionals.length}`);
    const mode = values.mode;
    if (mode !== 'light' && mode !== 'deep')
        throw new UsageError(`--mode must be light or deep, got "${mode}"`);
    const format = values.format;
    if (format !== 'json' && format !== 'table')
        throw new UsageError(`--format must be json or table, got "${format}"`);
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(values.platform))
        throw new UsageError(`--platform must look like linux/amd64 or linux/arm/v7, got "${values.platform}"`);
    const threshold = values['severity-threshold'];
    const thresholds = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown', 'none'];
    if (!thresholds.includes(threshold))
        throw new UsageError(`--severity-threshold must be one of ${thresholds.join(', ')}, got "${threshold}"`);
    let maxImageSize;
    let timeout;
    let maxPackages;
    try {
        maxImageSize = parseSize('--max-image-size', values['max-image-size']);
        timeout = parseDuration('--timeout', values.timeout);
        maxPackages = parseCount('--max-packages', values['max-packages']);
    }
    catch (e) {
        if (e instanceof InputError)
            throw new UsageError(`${e.input} must be ${e.accepts}, got ${JSON.stringify(e.value)}`);
        throw e;
    }
    const input = targetFromArgument(positionals[0], values.ref);
    const logger = stderrLogger(values.verbose);
    const progress = !values.quiet;
    const deps = defaultScanDeps(logger, {
        ...(progress ? { onEvent: (e) => process.stderr.write(`[${e.stage}] ${e.status}: ${e.message}\n`) } : {}),
        ...(progress ? { onProgress: (m) => process.stderr.write(`  ${m}\n`) } : {}),
    });
    const report = await runScan(input, { mode, platform: values.platform, maxImageSize, maxPackages, timeout }, deps);
    const policy = { ...DEFAULT_POLICY, severityThreshold: threshold };
    const verdict = decideVerdict({ status: report.scan_status, reasons: report.reasons, findings: report.findings }, policy);
    const text = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTable(report, verdict);
    if (values.output)
        (0,external_node_fs_namespaceObject.writeFileSync)(values.output, text);
    else
        process.stdout.write(text);
    if (progress)
        process.stderr.write(`verdict: ${verdict.verdict} — ${verdict.why}\n`);
    if (report.scan_status === 'failed')
        return EXIT.scanFailed;
    return verdict.verdict === 'fail' ? EXIT.fail : EXIT.pass;
}
async function dbCommand(argv) {
    const sub = argv[0];
    if (sub === 'selftest') {
        const r = await sqliteSelfTest();
        process.stdout.write(JSON.stringify({ ok: true, sqlite_version: r.sqliteVersion, wasm: r.wasm }) + '\n');
        return EXIT.pass;
    }
    throw new UsageError(`unknown db command "${sub ?? ''}" (available: selftest)`);
}
async function main(argv) {
    const [cmd, ...rest] = argv;
    try {
        if (cmd === 'scan')
            return await scanCommand(rest);
        if (cmd === 'db')
            return await dbCommand(rest);
        if (cmd === '--version' || cmd === 'version') {
            process.stdout.write(`scanrook ${TOOL_VERSION}\n`);
            return EXIT.pass;
        }
        if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
            process.stdout.write(USAGE + '\n');
            return EXIT.pass;
        }
        throw new UsageError(cmd ? `unknown command "${cmd}"` : 'no command given');
    }
    catch (e) {
        if (e instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
            process.stderr.write(`scanrook: ${e.message}\n${USAGE}\n`);
            return EXIT.usage;
        }
        throw e;
    }
}
main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`scanrook: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = EXIT.scanFailed;
});

var __webpack_exports__EXIT = __webpack_exports__.d;
var __webpack_exports__main = __webpack_exports__.i;
export { __webpack_exports__EXIT as EXIT, __webpack_exports__main as main };
