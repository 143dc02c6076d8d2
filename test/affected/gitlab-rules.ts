/**
 * The rules GitLab applies to a pipeline YAML that can be checked offline, as documented in the
 * GitLab CI/CD YAML syntax reference (no npm package ships GitLab's CI JSON schema on its own, so the
 * rules the fan-out depends on are written out here): unique job names of at most 255 characters,
 * known keywords, declared stages, a non-empty `script` (or a `trigger`), `extends` naming a defined
 * job, at most 50 `needs`, each naming a job of the pipeline in the same or an earlier stage (or the
 * parent pipeline), and valid `when` / `environment.action` values.
 */
import { parseDocument } from 'yaml';
import { GITLAB_MAX_NEEDS } from '../../app/affected/index.js';

const GLOBAL_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);
const JOB_KEYWORDS = new Set([
  'after_script',
  'allow_failure',
  'artifacts',
  'before_script',
  'cache',
  'coverage',
  'dast_configuration',
  'dependencies',
  'environment',
  'extends',
  'hooks',
  'id_tokens',
  'identity',
  'image',
  'inherit',
  'interruptible',
  'manual_confirmation',
  'needs',
  'pages',
  'parallel',
  'release',
  'resource_group',
  'retry',
  'rules',
  'run',
  'script',
  'secrets',
  'services',
  'stage',
  'tags',
  'timeout',
  'trigger',
  'variables',
  'when',
]);
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];
const WHEN = new Set(['on_success', 'on_failure', 'always', 'manual', 'delayed', 'never']);
const ENVIRONMENT_ACTIONS = new Set(['start', 'prepare', 'stop', 'verify', 'access']);
const MAX_JOB_NAME = 255;

type Job = Record<string, unknown>;

const label = (name: string): string => (name.length > MAX_JOB_NAME ? `${name.slice(0, 20)}…` : name);

function neededJob(need: unknown): string | undefined {
  if (typeof need === 'string') return need;
  if (typeof need === 'object' && need !== null && !('pipeline' in need) && !('project' in need))
    return String((need as { job?: unknown }).job);
  return undefined;
}

function scriptProblem(job: Job): boolean {
  if ('trigger' in job || 'extends' in job) return false;
  const script = job.script;
  return !(typeof script === 'string'
    ? script !== ''
    : Array.isArray(script) && script.length > 0 && script.every((s) => typeof s === 'string'));
}

function needsProblems(name: string, job: Job, jobs: Map<string, Job>, stages: string[]): string[] {
  const needs = job.needs;
  if (needs === undefined) return [];
  if (!Array.isArray(needs)) return [`job "${name}": needs must be a list`];
  const problems = needs.length > GITLAB_MAX_NEEDS ? [`job "${name}": ${needs.length} needs, GitLab allows ${GITLAB_MAX_NEEDS}`] : [];
  for (const need of needs) {
    const target = neededJob(need);
    if (target === undefined) continue;
    const other = jobs.get(target);
    if (other === undefined) problems.push(`job "${name}": needs "${target}", which is not a job of the pipeline`);
    else if (stages.indexOf(String(other.stage ?? 'test')) > stages.indexOf(String(job.stage ?? 'test'))) {
      problems.push(`job "${name}": needs "${target}" of a later stage`);
    }
  }
  return problems;
}

function jobProblems(name: string, job: Job, jobs: Map<string, Job>, stages: string[]): string[] {
  const problems: string[] = [];
  if (name.length > MAX_JOB_NAME) problems.push(`job "${label(name)}": name longer than ${MAX_JOB_NAME} characters`);
  const stage = String(job.stage ?? 'test');
  if (!stages.includes(stage)) problems.push(`job "${label(name)}": stage "${stage}" is not declared in stages`);
  for (const key of Object.keys(job)) if (!JOB_KEYWORDS.has(key)) problems.push(`job "${label(name)}": unknown keyword "${key}"`);
  if (scriptProblem(job)) problems.push(`job "${label(name)}": script must be a non-empty list of commands`);
  for (const parent of [job.extends ?? []].flat()) {
    if (!jobs.has(String(parent))) problems.push(`job "${label(name)}": extends "${String(parent)}", which is not defined`);
  }
  problems.push(...needsProblems(label(name), job, jobs, stages));
  if (job.when !== undefined && !WHEN.has(String(job.when))) problems.push(`job "${label(name)}": when "${String(job.when)}" is not valid`);
  const action = (job.environment as { action?: unknown } | undefined)?.action;
  if (action !== undefined && !ENVIRONMENT_ACTIONS.has(String(action)))
    problems.push(`job "${label(name)}": environment action "${String(action)}"`);
  return problems;
}

/**
 * What GitLab would refuse in `yaml` (a `.gitlab-ci.yml` or a generated child pipeline), one
 * message per problem; `[]` when none of the rules above is broken.
 */
export function gitlabPipelineProblems(yaml: string): string[] {
  const document = parseDocument(yaml);
  if (document.errors.length > 0) return document.errors.map((e) => e.message);
  const doc = document.toJS() as Record<string, unknown>;
  const stages = ['.pre', ...((doc.stages as string[] | undefined) ?? DEFAULT_STAGES), '.post'];
  const jobs = new Map<string, Job>();
  for (const [name, value] of Object.entries(doc)) {
    if (GLOBAL_KEYWORDS.has(name)) continue;
    if (typeof value !== 'object' || value === null) return [`"${label(name)}" is neither a keyword nor a job`];
    jobs.set(name, value as Job);
  }
  return [...jobs].filter(([name]) => !name.startsWith('.')).flatMap(([name, job]) => jobProblems(name, job, jobs, stages));
}
