/**
 * The code of the engine's worker thread, as a string (`new Worker(code, { eval: true })`), so the bundle
 * needs no extra entry file. The worker imports the YARA-X glue by file URL, instantiates the WebAssembly
 * module it is handed, compiles the rule sources (one namespace each; a source that does not compile is
 * reported and left out), then answers scan requests one at a time.
 *
 * Protocol: workerData { glue, module: WebAssembly.Module, sources: RuleSource[], maxMatches }
 *   → { type: 'ready', compiled: string[], failed: {name, message}[] } | { type: 'fatal', message }
 *   ← { id, body: Uint8Array }  → { id, matches: WorkerMatch[] } | { id, error }
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
function msg(e) { return String((e && e.message) || e).split('\n').slice(0, 6).join('\n'); }
(async () => {
  const yx = await import(pathToFileURL(workerData.glue).href);
  yx.initSync({ module: workerData.module });
  const compiled = [];
  const failed = [];
  // Check each source alone first, so one broken file names itself and does not take the others down.
  const good = [];
  for (const s of workerData.sources) {
    const probe = new yx.Compiler();
    try {
      probe.newNamespace(s.namespace);
      probe.addSource(s.text);
      const errors = probe.errors;
      if (errors && errors.length) throw new Error(errors.join('; '));
      probe.build().free();
      good.push(s);
    } catch (e) {
      failed.push({ name: s.name, message: msg(e) });
    } finally {
      try { probe.free(); } catch {}
    }
  }
  if (!good.length) { parentPort.postMessage({ type: 'ready', compiled, failed }); return; }
  const compiler = new yx.Compiler();
  for (const s of good) {
    compiler.newNamespace(s.namespace);
    compiler.addSource(s.text);
    compiled.push(s.name);
  }
  const rules = compiler.build();
  compiler.free();
  const scanner = new yx.Scanner(rules);
  scanner.setMaxMatchesPerPattern(workerData.maxMatches);
  parentPort.postMessage({ type: 'ready', compiled, failed });
  parentPort.on('message', (m) => {
    let r;
    try {
      r = scanner.scan(m.body);
    } catch (e) {
      parentPort.postMessage({ id: m.id, error: msg(e) });
      return;
    }
    const out = [];
    for (const rule of r.matches || []) {
      const meta = {};
      for (const md of rule.metadata || []) {
        if (!(md.identifier in meta) && (typeof md.value === 'string' || typeof md.value === 'number' || typeof md.value === 'boolean')) meta[md.identifier] = md.value;
      }
      const hits = [];
      for (const p of rule.patterns || []) for (const x of p.matches || []) hits.push({ offset: x.offset, identifier: p.identifier });
      hits.sort((a, b) => a.offset - b.offset);
      out.push({ rule: rule.identifier, namespace: rule.namespace, meta, matches: hits.slice(0, workerData.maxMatches) });
    }
    parentPort.postMessage({ id: m.id, matches: out });
  });
})().catch((e) => parentPort.postMessage({ type: 'fatal', message: msg(e && e.stack || e) }));
`;
