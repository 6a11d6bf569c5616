/**
 * Which Dockerfile line made each image layer. The image history holds one entry per instruction of the stages
 * the final image was built through (the base image's own entries first); FROM writes none. So the instructions
 * of the target stage's chain (root stage → … → target) are aligned, from the end, with the history's last
 * entries by keyword; entries before them are the base image's, whose layers belong to the root stage's FROM.
 * Each aligned layer is then checked against the instruction's text (the RUN command, the COPY/ADD destination):
 * `exact` when it agrees, `order` when only the order and keywords agree. When the alignment fails (squashed
 * image, a Dockerfile that is not the one the image was built from, history from another tool) every layer falls
 * back to the target stage's FROM line with confidence `fallback`: never a wrong line.
 */
import type { TargetInfo } from '../model/report.js';
import type { HistoryStep } from './history.js';
import { parseCreatedBy, squash } from './history.js';
import type { Instruction, ParsedDockerfile, Stage } from './parse.js';
import { stageChain } from './parse.js';

export type MappingConfidence = 'exact' | 'order' | 'fallback';

export interface LayerLocation {
  layer: number;
  startLine: number;
  endLine: number;
  /** Column following the last character of endLine (SARIF endColumn). */
  endColumn: number;
  /** The instruction's keyword (FROM for base-image layers and fallbacks). */
  keyword: string;
  /** `instruction`: a step of the Dockerfile; `base-image`: a layer of the image named by FROM; `fallback`: unknown. */
  origin: 'instruction' | 'base-image' | 'fallback';
  confidence: MappingConfidence;
}

export interface DockerfileMapping {
  /** The lowest confidence over the layers (fallback when the history could not be aligned). */
  confidence: MappingConfidence;
  /** Why, in one sentence. */
  reason: string;
  /** The target stage (the last one unless asked otherwise), null when the Dockerfile has none. */
  stage: Stage | null;
  /** Where layers go when their origin is unknown: the target stage's FROM (line 1 when there is no FROM). */
  fallback: Omit<LayerLocation, 'layer'>;
  layers: Map<number, LayerLocation>;
}

/** Instructions whose history entry is always a layer (RUN, COPY, ADD) — the ones worth checking by text. */
const LAYER_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

export function mapLayersToDockerfile(
  df: ParsedDockerfile,
  target: Pick<TargetInfo, 'layers' | 'history'>,
  opts: { stage?: string } = {},
): DockerfileMapping {
  let stage: Stage | null = df.stages[df.stages.length - 1] ?? null;
  if (opts.stage !== undefined) {
    const want = opts.stage.toLowerCase();
    stage = df.stages.find((s) => s.name === want || String(s.index) === want) ?? null;
  }
  const fromIns = stage?.from;
  const fallback: Omit<LayerLocation, 'layer'> = fromIns
    ? {
        startLine: fromIns.startLine,
        endLine: fromIns.endLine,
        endColumn: fromIns.endColumn,
        keyword: 'FROM',
        origin: 'fallback',
        confidence: 'fallback',
      }
    : {
        startLine: 1,
        endLine: 1,
        endColumn: (df.lines[0]?.length ?? 0) + 1,
        keyword: 'FROM',
        origin: 'fallback',
        confidence: 'fallback',
      };

  const allFallback = (reason: string): DockerfileMapping => {
    const layers = new Map<number, LayerLocation>();
    for (const l of target.layers) layers.set(l.index, { layer: l.index, ...fallback });
    return { confidence: 'fallback', reason, stage, fallback, layers };
  };
  if (!stage) {
    return allFallback(
      opts.stage !== undefined
        ? `the Dockerfile has no stage "${opts.stage}"`
        : 'the Dockerfile has no FROM instruction',
    );
  }
  if (target.history.length === 0) return allFallback('the image has no history to match the Dockerfile against');

  const chain = stageChain(df, stage);
  const instructions: Instruction[] = chain.flatMap((s) => s.instructions);
  const steps: HistoryStep[] = target.history.map((h) => parseCreatedBy(h.created_by, h.comment));

  // Align from the end: history entry i ↔ instruction j. A metadata instruction (ENV, LABEL, …) the history
  // lacks may be skipped; a history entry the Dockerfile cannot explain breaks the alignment.
  const pairOf = new Map<number, Instruction>();
  let i = steps.length - 1;
  let j = instructions.length - 1;
  let skipped = 0;
  while (j >= 0) {
    const ins = instructions[j]!;
    const step = i >= 0 ? steps[i] : undefined;
    if (step && step.keyword === ins.keyword) {
      pairOf.set(i, ins);
      i--;
      j--;
    } else if (!LAYER_KEYWORDS.has(ins.keyword) && ins.keyword !== 'WORKDIR') {
      skipped++;
      j--;
    } else {
      const what = step
        ? `history entry ${i} (${describe(target.history[i]!.created_by)})`
        : 'the start of the history';
      return allFallback(
        `the image history does not follow the Dockerfile: ${ins.keyword} on line ${ins.startLine} meets ${what}`,
      );
    }
  }
  const baseEnd = i; // entries 0..baseEnd come from the base image
  const root = chain[0]!.from;

  const layers = new Map<number, LayerLocation>();
  let worst: MappingConfidence = 'exact';
  for (const l of target.layers) {
    const hi = l.history_index;
    if (hi === null || hi < 0 || hi >= steps.length) {
      layers.set(l.index, { layer: l.index, ...fallback });
      worst = 'fallback';
      continue;
    }
    if (hi <= baseEnd) {
      layers.set(l.index, {
        layer: l.index,
        startLine: root.startLine,
        endLine: root.endLine,
        endColumn: root.endColumn,
        keyword: 'FROM',
        origin: 'base-image',
        confidence: 'exact',
      });
      continue;
    }
    const ins = pairOf.get(hi);
    if (!ins) {
      layers.set(l.index, { layer: l.index, ...fallback });
      worst = 'fallback';
      continue;
    }
    const confidence: MappingConfidence = textAgrees(ins, steps[hi]!) ? 'exact' : 'order';
    if (confidence === 'order' && worst === 'exact') worst = 'order';
    layers.set(l.index, {
      layer: l.index,
      startLine: ins.startLine,
      endLine: ins.endLine,
      endColumn: ins.endColumn,
      keyword: ins.keyword,
      origin: 'instruction',
      confidence,
    });
  }
  const stageName = stage.name ?? `#${stage.index}`;
  const reason =
    worst === 'exact'
      ? `every layer matched an instruction of stage ${stageName} (or its base image)`
      : worst === 'order'
        ? `the history follows stage ${stageName} instruction by instruction, but some recorded commands differ from the Dockerfile text (build args, heredocs)`
        : 'some layers have no history entry; they point at the FROM line';
  return {
    confidence: worst,
    reason: skipped > 0 ? `${reason}; ${skipped} metadata instruction(s) had no history entry` : reason,
    stage,
    fallback,
    layers,
  };
}

/** Does the recorded step say the same thing as the instruction? */
function textAgrees(ins: Instruction, step: HistoryStep): boolean {
  if (ins.keyword === 'RUN') {
    if (ins.heredocs.length > 0) return false;
    const cmd = squash(ins.execForm ? ins.execForm.join(' ') : ins.rest);
    const rec = squash(step.text);
    if (cmd === '') return false;
    // The record ends with the command; before it come the shell (`/bin/sh -c`) and any `|N k=v` build args.
    return rec === cmd || rec.endsWith(` ${cmd}`);
  }
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const dest = destinationOf(ins);
    return dest !== null && step.destination !== null && trimSlash(dest) === trimSlash(step.destination);
  }
  return squash(step.text) === squash(ins.rest);
}

function destinationOf(ins: Instruction): string | null {
  if (ins.execForm) return ins.execForm.length > 0 ? ins.execForm[ins.execForm.length - 1]! : null;
  const words = ins.rest.split(/\s+/).filter(Boolean);
  return words.length > 0 ? words[words.length - 1]! : null;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function describe(createdBy: string | null): string {
  const s = squash(createdBy ?? '(none)');
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
