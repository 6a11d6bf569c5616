/**
 * Runs the bundled action (dist/index.js) as GitHub does: the Node 24 binary of the `node` devDependency,
 * inputs as INPUT_<NAME> (hyphens kept, as @actions/core reads them), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files,
 * an event payload at GITHUB_EVENT_PATH, GITHUB_API_URL at a local stand-in; no ACTIONS_* variables, so the
 * Actions cache is off. Asynchronous, so a stand-in in the test process can answer while it runs.
 * Also parsers for what the runner reads back: the output file and the workflow commands on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';

export const NODE24 = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
export const DIST = join(REPO_ROOT, 'dist', 'index.js');
export const TOKEN = 'ghs_e2eSecretToken0123456789abcdefABCDEF';
export const MERGE_SHA = '9f7e1c0a4d2b3e5f6a7b8c9d0e1f2a3b4c5d6e7f';
export const PR_EVENT = sharedPath('github', 'event-pull_request-opened.json');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
  dir: string;
  ms: number;
}

export interface WorkflowCommand {
  command: string;
  props: Record<string, string>;
  message: string;
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` heredocs, as @actions/core writes them). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i]!);
    out[m[1]!] = body.join('\n');
  }
  return out;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProp = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

/** `::error file=Dockerfile,line=3,title=T::message` lines (workflow commands) of a log. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? '').trim().split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = unescapeProp(kv.slice(eq + 1));
    }
    out.push({ command: m[1]!, props, message: unescapeData(m[3]!) });
  }
  return out;
}

export interface RunOptions {
  dir: string;
  inputs: Record<string, string>;
  apiUrl: string;
  eventName?: string;
  eventPath?: string;
  ref?: string;
  sha?: string;
  runId?: string;
  token?: string;
  extraEnv?: Record<string, string>;
  /** What the Node 24 binary runs: default the bundle (DIST); test/e2e/source.ts gives the source's. */
  argv?: string[];
}

export async function runAction(o: RunOptions): Promise<ActionRun> {
  mkdirSync(o.dir, { recursive: true });
  const outputFile = join(o.dir, 'github-output');
  const summaryFile = join(o.dir, 'step-summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: o.dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: o.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: o.eventPath ?? PR_EVENT,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_REPOSITORY_OWNER: 'Codertocat',
    GITHUB_SHA: o.sha ?? MERGE_SHA,
    GITHUB_REF: o.ref ?? 'refs/pull/2/merge',
    GITHUB_API_URL: o.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'scan',
    GITHUB_RUN_ID: o.runId ?? '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: o.dir,
    RUNNER_TEMP: join(o.dir, 'runner-temp'),
    'INPUT_GITHUB-TOKEN': o.token ?? TOKEN,
    'INPUT_REPORT-FILE': 'scanrook-report.json',
    ...o.extraEnv,
  };
  if ((o.eventName ?? 'pull_request') === 'pull_request') {
    env.GITHUB_HEAD_REF = 'changes';
    env.GITHUB_BASE_REF = 'master';
  }
  for (const [k, v] of Object.entries(o.inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  mkdirSync(env.RUNNER_TEMP!, { recursive: true });
  const t0 = Date.now();
  const child = spawn(NODE24, o.argv ?? [DIST], { cwd: o.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the action did not finish in 240 s:\n${stdout}\n${stderr}`));
    }, 240_000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    commands: parseCommands(stdout),
    dir: o.dir,
    ms: Date.now() - t0,
  };
}
