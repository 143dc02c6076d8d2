/**
 * Validation of a whole estate without I/O: YAML parsing with positions, secret scan, schema
 * validation, template merge and the cross-file checks (ids, references, CIDRs, catalogs).
 *
 * Every problem in every file is collected; nothing stops at the first error.
 */
import { LineCounter, parseDocument } from 'yaml';
import { contains, overlaps, parseCidr, type Network } from './cidr.js';
import { isPathWithin, sortConfigErrors, type ConfigError, type ConfigErrorKind, type ConfigPath } from './errors.js';
import { errorAt, errorAtNode, errorAtOffset, pairKey, walkYaml, type YamlSource } from './yaml-positions.js';
import { closest, issuesToErrors } from './zod-issues.js';
import { mergeService, type ServiceKeyOrigin } from './merge.js';
import {
  CloudSchema,
  ClientFileSchema,
  IdSchema,
  ServiceSchema,
  TemplateSchema,
  UserDataPathSchema,
  type ClientConfig,
  type CloudConfig,
  type ServiceConfig,
  type TemplateConfig,
} from './schema.js';
import { catalogGaps } from '../placement/coverage.js';
import { redactSecrets } from '../secrets/index.js';
import { findSecrets } from './secrets.js';
import { asRecord, isRecord } from '../json.js';
import { checkEstateHosts } from './validate-hosts.js';
import { USER_DATA_FOLDER } from './estate-files.js';
import { userDataFileProblems, userDataSizeProblem, userDataValues } from './user-data.js';

/** One config file's path and text, as read from disk or built by a test. */
export interface SourceFile {
  /** Path used in error messages; its parent folder (`clouds`, `clients`, `templates`) gives the file's kind. */
  path: string;
  text: string;
}

/** A loaded, valid estate. Every list is sorted by id. */
export interface Estate {
  /** Folder the estate was loaded from (`.` when validated from memory without one). */
  dir: string;
  /** Every cloud, sorted by id. */
  clouds: CloudConfig[];
  /** Every client, templates merged, sorted by id. */
  clients: ClientConfig[];
  /** Every template, sorted by id. */
  templates: TemplateConfig[];
  /** Problems that do not stop the estate (plain http to a loopback host: the lab), sorted. Default: none. */
  warnings?: ConfigError[];
}

/** Either a valid estate or every error found. */
export type LoadResult = { ok: true; estate: Estate } | { ok: false; errors: ConfigError[] };

/** Kind of config file, from its folder. */
export type FileKind = 'cloud' | 'client' | 'template';

const FOLDER_KINDS: Record<string, FileKind> = { clouds: 'cloud', clients: 'client', templates: 'template' };

interface ParsedFile {
  kind: FileKind;
  path: string;
  /** File name without `.yaml`: the id the file must declare. */
  stem: string;
  source: YamlSource;
  /** Plain data of the document; undefined when the YAML is broken. */
  data: unknown;
  /** Id declared in the file, or the file name when it declares none. */
  id: string;
}

type Rec = Record<string, unknown>;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
function quoteList(names: Iterable<string>): string {
  const sorted = [...new Set(names)].sort();
  return sorted.length === 0 ? '(none)' : sorted.join(', ');
}

/** Collects errors for one file; `at` positions them through the file's YAML source. */
class Sink {
  readonly errors: ConfigError[] = [];
  at(file: ParsedFile, path: ConfigPath, kind: ConfigErrorKind, message: string, fix?: string): void {
    this.errors.push(errorAt(file.source, file.path, path, kind, message, fix));
  }
}

/** Splits `a/b/clouds/x.yaml` into folder kind and stem; reports files that are not where they belong. */
function classify(path: string, sink: ConfigError[]): { kind: FileKind; stem: string } | undefined {
  const segments = path.split(/[\\/]/);
  const name = segments[segments.length - 1] ?? '';
  const kind = FOLDER_KINDS[segments[segments.length - 2] ?? ''];
  if (kind === undefined) {
    sink.push({
      file: path,
      path: [],
      kind: 'file-name',
      message: 'config file outside clouds/, clients/ or templates/',
      fix: 'move it into clouds/, clients/ or templates/ of the estate',
    });
    return undefined;
  }
  if (!name.endsWith('.yaml')) {
    sink.push({
      file: path,
      path: [],
      kind: 'file-name',
      message: 'config files must end in .yaml',
      fix: `rename it to ${name.replace(/\.[^.]*$/, '')}.yaml`,
    });
    return undefined;
  }
  return { kind, stem: name.slice(0, -'.yaml'.length) };
}

/** Parses one file: YAML syntax errors, duplicate keys, secrets. */
function parseFile(
  file: SourceFile,
  kind: FileKind,
  stem: string,
  sink: Sink,
  secrets: { values: string[]; paths: Map<string, ConfigPath[]> },
): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const source: YamlSource = { file: file.path, doc, lineCounter };
  for (const error of doc.errors) {
    const firstLine = error.message.split('\n')[0] ?? error.message;
    sink.errors.push(
      errorAtOffset(
        source,
        error.pos[0],
        'yaml',
        `invalid YAML: ${firstLine}`,
        'fix the YAML syntax at this position (indent with spaces, quote values containing `: ` or `#`)',
      ),
    );
  }
  const scan = findSecrets(source);
  sink.errors.push(...scan.errors);
  secrets.values.push(...scan.values);
  secrets.paths.set(file.path, scan.shadowed);

  walkYaml(doc, (entry, parent) => {
    if (entry.key === undefined || !('items' in parent)) return;
    const name = pairKey(entry.key);
    const items = (parent as { items: { key: unknown }[] }).items;
    const first = items.find((pair) => pairKey(pair.key) === name);
    if (first && first.key !== entry.key) {
      const firstRange = (first.key as { range?: [number, number, number] }).range;
      const line = firstRange ? lineCounter.linePos(firstRange[0]).line : undefined;
      sink.errors.push(
        errorAtNode(
          source,
          entry.key,
          entry.path,
          'duplicate',
          `key \`${String(name)}\` appears twice in this mapping${line ? ` (first on line ${line})` : ''}`,
          'keep one of them; YAML would silently keep only the last',
        ),
      );
    }
  });

  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      sink.errors.push(errorAtOffset(source, 0, 'yaml', `invalid YAML: ${(error as Error).message.split('\n')[0]}`));
    }
  }
  const declared = str(asRecord(data).id);
  return { kind, path: file.path, stem, source, data, id: declared ?? stem };
}

/** Ids must match file names and be unique per kind. */
/** A name turned into a valid id: lower case, runs of other characters as one dash (`Culture portail` → `culture-portail`). */
function asId(name: string): string {
  const id = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 40);
  return IdSchema.safeParse(id).success ? id : 'a-valid-id';
}

/** The fix for an id that differs from its file name: only ever suggests a valid id and a file name that matches it. */
function idMismatchFix(stem: string, declared: string): string {
  const stemOk = IdSchema.safeParse(stem).success;
  const declaredOk = IdSchema.safeParse(declared).success;
  if (stemOk && declaredOk) return `set \`id: ${stem}\` or rename the file to ${declared}.yaml`;
  if (stemOk) return `set \`id: ${stem}\``;
  if (declaredOk) return `rename the file to ${declared}.yaml (\`${stem}\` is not a valid id)`;
  const id = asId(stem);
  return `set \`id: ${id}\` and rename the file to ${id}.yaml`;
}

function checkIds(files: ParsedFile[], sink: Sink): void {
  const byId = new Map<string, ParsedFile[]>();
  for (const file of files) {
    const declared = str(asRecord(file.data).id);
    if (declared !== undefined && declared !== file.stem) {
      sink.at(
        file,
        ['id'],
        'file-name',
        `id \`${declared}\` does not match the file name \`${file.stem}.yaml\``,
        idMismatchFix(file.stem, declared),
      );
    }
    const key = `${file.kind}:${file.id}`;
    byId.set(key, [...(byId.get(key) ?? []), file]);
  }
  for (const group of byId.values()) {
    if (group.length < 2) continue;
    for (const file of group) {
      const others = group.filter((f) => f !== file).map((f) => f.path);
      sink.at(
        file,
        ['id'],
        'duplicate',
        `${file.kind} id \`${file.id}\` is also declared in ${others.join(', ')}`,
        'give every file its own id',
      );
    }
  }
}

/** What the cloud catalogs offer, abstract name → clouds offering it (retired clouds excluded). */
interface Offer {
  sizes: Map<string, string[]>;
  images: Map<string, string[]>;
  volumeTiers: Map<string, string[]>;
  services: Map<string, string[]>;
  cloudCount: number;
  /** The longest availability-zone name of any cloud: user data is sized with it. */
  longestZone: string;
}

function collectOffer(clouds: ParsedFile[]): Offer {
  const offer: Offer = { sizes: new Map(), images: new Map(), volumeTiers: new Map(), services: new Map(), cloudCount: 0, longestZone: '' };
  const add = (map: Map<string, string[]>, name: string, cloud: string) => map.set(name, [...(map.get(name) ?? []), cloud]);
  for (const cloud of clouds) {
    const data = asRecord(cloud.data);
    if (str(asRecord(data.lifecycle).status) === 'retired' || !isRecord(data.catalog)) continue;
    offer.cloudCount++;
    const catalog = data.catalog;
    for (const name of Object.keys(asRecord(catalog.sizes))) add(offer.sizes, name, cloud.id);
    for (const name of Object.keys(asRecord(catalog.images))) add(offer.images, name, cloud.id);
    for (const name of Object.keys(asRecord(catalog.volumeTiers))) add(offer.volumeTiers, name, cloud.id);
    for (const service of list(asRecord(data.openstack).services)) if (typeof service === 'string') add(offer.services, service, cloud.id);
    for (const zone of list(asRecord(data.openstack).availabilityZones))
      if (typeof zone === 'string' && zone.length > offer.longestZone.length) offer.longestZone = zone;
  }
  return offer;
}

function describeOffer(map: Map<string, string[]>, cloudCount: number): string {
  const names = [...map.keys()].sort();
  if (names.length === 0) return 'nothing';
  return names.map((name) => (map.get(name)!.length < cloudCount ? `${name} (only ${map.get(name)!.sort().join(', ')})` : name)).join(', ');
}

/** Cloud-level references: state host, prices for catalog entries. */
function checkCloud(cloud: ParsedFile, cloudIds: string[], sink: Sink): void {
  const data = asRecord(cloud.data);
  const hostedIn = str(asRecord(data.state).hostedIn);
  if (hostedIn !== undefined && !cloudIds.includes(hostedIn)) {
    const hint = closest(hostedIn, cloudIds);
    sink.at(
      cloud,
      ['state', 'hostedIn'],
      'reference',
      `unknown cloud \`${hostedIn}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
      `use one of: ${quoteList(cloudIds)}`,
    );
  }
  const catalog = asRecord(data.catalog);
  const prices = asRecord(data.prices);
  for (const [priceKey, catalogKey] of [
    ['sizesPerMonth', 'sizes'],
    ['volumeGbPerMonth', 'volumeTiers'],
  ] as const) {
    const known = Object.keys(asRecord(catalog[catalogKey]));
    for (const name of Object.keys(asRecord(prices[priceKey]))) {
      if (!known.includes(name)) {
        sink.at(
          cloud,
          ['prices', priceKey, name],
          'reference',
          `price for \`${name}\`, which catalog.${catalogKey} does not define`,
          `use one of: ${quoteList(known)}`,
        );
      }
    }
  }
}

/** Client-level references: template, preferred and pinned clouds. */
function checkClientRefs(client: ParsedFile, cloudIds: string[], templateIds: string[], sink: Sink): void {
  const data = asRecord(client.data);
  const template = str(data.template);
  if (template !== undefined && !templateIds.includes(template)) {
    const hint = closest(template, templateIds);
    sink.at(
      client,
      ['template'],
      'reference',
      `unknown template \`${template}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
      `use one of: ${quoteList(templateIds)}, or add templates/${template}.yaml`,
    );
  }
  const policy = asRecord(data.policy);
  const cloudRef = (id: unknown, path: ConfigPath) => {
    if (typeof id !== 'string' || cloudIds.includes(id)) return;
    const hint = closest(id, cloudIds);
    sink.at(
      client,
      path,
      'reference',
      `unknown cloud \`${id}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
      `use one of: ${quoteList(cloudIds)}`,
    );
  };
  list(policy.preferredClouds).forEach((id, i) => cloudRef(id, ['policy', 'preferredClouds', i]));
  cloudRef(asRecord(policy.pin).cloud, ['policy', 'pin', 'cloud']);
  if (policy.sensitivity === 'sensitive' && asRecord(data.stateEncryption).enabled === false) {
    sink.at(
      client,
      ['stateEncryption', 'enabled'],
      'schema',
      "a sensitive client's state and plans are always encrypted (docs/state-encryption.md)",
      'remove `enabled: false`',
    );
  }
}

type Report = (path: ConfigPath, kind: ConfigErrorKind, message: string, fix?: string) => void;

/** The estate's user-data files by the path a server group names them by (`user-data/web.yaml`). */
type UserDataFiles = ReadonlyMap<string, SourceFile>;

/** What the checks of one service share: where to report, what the clouds offer, the user-data files. */
interface ServiceCheck {
  report: Report;
  offer: Offer;
  userData: UserDataFiles;
  /** The client's id, for the user-data variables. */
  clientId: string;
}

/** The names of `items`, reporting each name used twice. */
function uniqueNames({ report }: ServiceCheck, items: unknown[], path: ConfigPath, what: string): string[] {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const name = str(asRecord(item).name);
    if (name === undefined) return;
    if (seen.has(name))
      report(
        [...path, i, 'name'],
        'duplicate',
        `${what} name \`${name}\` is already used at ${path[path.length - 1]}[${seen.get(name)}]`,
        `give each ${what} its own name`,
      );
    else seen.set(name, i);
  });
  return [...seen.keys()];
}

/** Reports a reference to a name this service does not define. `known` undefined: the list itself is missing (already reported). */
function checkRef(
  { report }: ServiceCheck,
  name: unknown,
  known: string[] | undefined,
  path: ConfigPath,
  what: string,
  where: string,
): void {
  if (typeof name !== 'string' || known === undefined || known.includes(name)) return;
  const hint = closest(name, known);
  report(
    path,
    'reference',
    `unknown ${what} \`${name}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}; this service defines: ${quoteList(known)}`,
    `use one of those, or add a ${what} named \`${name}\` to ${where}`,
  );
}

/** The network and its subnets: inside the network, no overlap, unique names. Returns the subnet names (undefined when the list is missing). */
function checkNetwork(c: ServiceCheck, service: Rec): string[] | undefined {
  const { report } = c;
  const names = (items: unknown[], path: ConfigPath, what: string): string[] => uniqueNames(c, items, path, what);
  // Network and subnets.
  const network = asRecord(service.network);
  const subnets = list(network.subnets);
  const subnetNames = Array.isArray(network.subnets) ? names(subnets, ['network', 'subnets'], 'subnet') : undefined;
  const networkText = str(network.cidr);
  const outer = networkText === undefined ? undefined : parseCidr(networkText);
  const placed: { name: string; cidr: string; net: Network }[] = [];
  subnets.forEach((subnet, i) => {
    const cidr = str(asRecord(subnet).cidr);
    const net = cidr === undefined ? undefined : parseCidr(cidr);
    if (cidr === undefined || net === undefined) return;
    const name = str(asRecord(subnet).name) ?? `#${i}`;
    if (outer && !contains(outer, net)) {
      report(
        ['network', 'subnets', i, 'cidr'],
        'cidr',
        `subnet \`${name}\` (${cidr}) lies outside the network ${networkText}`,
        `pick a range inside ${networkText}, or widen network.cidr`,
      );
    }
    const clash = placed.find((other) => overlaps(other.net, net));
    if (clash) {
      report(
        ['network', 'subnets', i, 'cidr'],
        'overlap',
        `subnet \`${name}\` (${cidr}) overlaps subnet \`${clash.name}\` (${clash.cidr})`,
        'give each subnet its own range inside the network',
      );
    }
    placed.push({ name, cidr, net });
  });
  return subnetNames;
}

/** Security groups: unique names, rules referencing groups of this service. Returns the group names. */
function checkSecurityGroups(c: ServiceCheck, service: Rec): string[] {
  const names = (items: unknown[], path: ConfigPath, what: string): string[] => uniqueNames(c, items, path, what);
  const ref = (name: unknown, known: string[] | undefined, path: ConfigPath, what: string, where: string): void =>
    checkRef(c, name, known, path, what, where);
  // Security groups.
  const groups = list(service.securityGroups);
  const groupNames = names(groups, ['securityGroups'], 'security group');
  groups.forEach((group, g) =>
    list(asRecord(group).rules).forEach((rule, r) =>
      ref(asRecord(rule).group, groupNames, ['securityGroups', g, 'rules', r, 'group'], 'security group', 'securityGroups'),
    ),
  );
  return groupNames;
}

/** Server groups: subnets, security groups and catalog names they use. Returns the server group names. */
function checkServerGroups(c: ServiceCheck, service: Rec, subnetNames: string[] | undefined, groupNames: string[]): string[] {
  const { report, offer } = c;
  const names = (items: unknown[], path: ConfigPath, what: string): string[] => uniqueNames(c, items, path, what);
  const ref = (name: unknown, known: string[] | undefined, path: ConfigPath, what: string, where: string): void =>
    checkRef(c, name, known, path, what, where);
  // Server groups and what they use from the catalogs.
  const servers = list(service.serverGroups);
  const serverNames = names(servers, ['serverGroups'], 'server group');
  const catalogRef = (name: unknown, map: Map<string, string[]>, path: ConfigPath, what: string, catalogKey: string) => {
    if (typeof name !== 'string' || map.has(name)) return;
    report(
      path,
      'catalog',
      `${what} \`${name}\` is in no cloud catalog; the catalogs offer: ${describeOffer(map, offer.cloudCount)}`,
      `use one of those, or add \`${name}\` to catalog.${catalogKey} of a cloud`,
    );
  };
  servers.forEach((server, s) => {
    const group = asRecord(server);
    const at: ConfigPath = ['serverGroups', s];
    ref(group.subnet, subnetNames, [...at, 'subnet'], 'subnet', 'network.subnets');
    list(group.securityGroups).forEach((name, i) =>
      ref(name, groupNames, [...at, 'securityGroups', i], 'security group', 'securityGroups'),
    );
    catalogRef(group.size, offer.sizes, [...at, 'size'], 'size', 'sizes');
    catalogRef(group.image, offer.images, [...at, 'image'], 'image', 'images');
    const volumes = list(group.volumes);
    names(volumes, [...at, 'volumes'], 'volume');
    volumes.forEach((volume, v) =>
      catalogRef(asRecord(volume).tier, offer.volumeTiers, [...at, 'volumes', v, 'tier'], 'volume tier', 'volumeTiers'),
    );
    catalogRef(asRecord(group.rootDisk).tier, offer.volumeTiers, [...at, 'rootDisk', 'tier'], 'volume tier', 'volumeTiers');
    checkUserDataRef(c, group, [...at, 'userData']);
  });
  return serverNames;
}

/** A server group's `userData`: the file exists in the estate, and fits Nova's limit once rendered for each server. */
function checkUserDataRef(c: ServiceCheck, group: Rec, path: ConfigPath): void {
  const name = str(group.userData);
  if (name === undefined || !UserDataPathSchema.safeParse(name).success) return; // a bad path is a schema error
  const file = c.userData.get(name);
  if (file === undefined) {
    const known = [...c.userData.keys()];
    const hint = closest(name, known);
    c.report(
      path,
      'reference',
      `no user-data file \`${name}\` in the estate${hint ? ` (did you mean \`${hint}\`?)` : ''}; it holds: ${quoteList(known)}`,
      `add the file to the estate's ${USER_DATA_FOLDER}/ folder, or name one of those`,
    );
    return;
  }
  const count = typeof group.count === 'number' ? group.count : 1;
  const groupName = str(group.name) ?? '';
  const servers = [userDataValues(c.clientId, groupName, count, c.offer.longestZone)];
  let problem: string | undefined;
  try {
    problem = userDataSizeProblem(file.text, servers);
  } catch {
    return; // an unknown variable, reported on the file itself
  }
  if (problem !== undefined)
    c.report(path, 'user-data', `${file.path}: ${problem}`, 'make the file smaller, e.g. download large content at boot');
}

/** The load balancer: its subnet, unique listener ports, backends naming server groups. */
function checkLoadBalancer(c: ServiceCheck, service: Rec, subnetNames: string[] | undefined, serverNames: string[]): void {
  const { report } = c;
  const names = (items: unknown[], path: ConfigPath, what: string): string[] => uniqueNames(c, items, path, what);
  const ref = (name: unknown, known: string[] | undefined, path: ConfigPath, what: string, where: string): void =>
    checkRef(c, name, known, path, what, where);
  // Load balancer.
  if (isRecord(service.loadBalancer)) {
    const lb = service.loadBalancer;
    ref(lb.subnet, subnetNames, ['loadBalancer', 'subnet'], 'subnet', 'network.subnets');
    const listeners = list(lb.listeners);
    names(listeners, ['loadBalancer', 'listeners'], 'listener');
    const ports = new Map<number, number>();
    listeners.forEach((listener, l) => {
      const port = asRecord(listener).port;
      if (typeof port === 'number') {
        if (ports.has(port))
          report(
            ['loadBalancer', 'listeners', l, 'port'],
            'duplicate',
            `port ${port} is already used by listeners[${ports.get(port)}]`,
            'give each listener its own port',
          );
        else ports.set(port, l);
      }
      ref(
        asRecord(asRecord(listener).backend).serverGroup,
        serverNames,
        ['loadBalancer', 'listeners', l, 'backend', 'serverGroup'],
        'server group',
        'serverGroups',
      );
    });
  }
  if (isRecord(service.objectStorage)) names(list(service.objectStorage.containers), ['objectStorage', 'containers'], 'container');
}

/** Optional services (load balancer, object storage, DNS) some cloud must offer. */
function checkOptionalServices(c: ServiceCheck, service: Rec): void {
  const { report, offer } = c;
  // Optional services some cloud must offer.
  for (const kind of ['loadBalancer', 'objectStorage', 'dns'] as const) {
    if (service[kind] !== undefined && !offer.services.has(kind)) {
      report(
        [kind],
        'catalog',
        `no cloud offers the \`${kind}\` service; the clouds offer: ${quoteList(offer.services.keys())}`,
        `remove \`${kind}\`, or add a cloud whose openstack.services include it`,
      );
    }
  }
}

/** Checks inside one merged service: names, references, CIDRs, catalog coverage. */
function checkService(service: Rec, c: ServiceCheck): void {
  const subnetNames = checkNetwork(c, service);
  const groupNames = checkSecurityGroups(c, service);
  const serverNames = checkServerGroups(c, service, subnetNames, groupNames);
  checkLoadBalancer(c, service, subnetNames, serverNames);
  checkOptionalServices(c, service);
}

/** Result of merging and validating one client's service. */
function buildClient(
  client: ParsedFile,
  templates: Map<string, ParsedFile>,
  offer: Offer,
  clouds: readonly CloudConfig[] | undefined,
  sink: Sink,
  userData: UserDataFiles,
): ClientConfig | undefined {
  const data = asRecord(client.data);
  if (!isRecord(data.service)) return undefined;
  const templateId = str(data.template);
  const template = templateId === undefined ? undefined : templates.get(templateId);
  const templateService = template ? asRecord(template.data).service : undefined;
  const { service, origins } = mergeService(templateService, data.service);
  const target = (path: ConfigPath): { file: ParsedFile; origin: ServiceKeyOrigin } => {
    const origin = origins[String(path[0])] ?? 'client';
    return { file: origin === 'template' && template ? template : client, origin };
  };
  // A client naming an unknown template is already reported; do not also demand what the template would give.
  const schema = templateId !== undefined && template === undefined ? ServiceSchema.partial() : ServiceSchema;
  const parsed = schema.safeParse(service);
  if (!parsed.success) {
    sink.errors.push(
      ...issuesToErrors(parsed.error.issues, {
        schema,
        data: service,
        target: (path) => {
          const { file } = target(path);
          return { source: file.source, file: file.path, prefix: ['service'] };
        },
      }),
    );
  }
  const report = (path: ConfigPath, kind: ConfigErrorKind, message: string, fix?: string): void => {
    const { file, origin } = target(path);
    const context = origin === 'template' ? ` (in client \`${client.id}\`)` : '';
    sink.at(file, ['service', ...path], kind, `${message}${context}`, fix);
  };
  const before = sink.errors.length;
  checkService(service, { report, offer, userData, clientId: client.id });
  const head = ClientFileSchema.safeParse(client.data);
  if (!parsed.success || !head.success || schema !== ServiceSchema) return undefined;
  const result: ClientConfig = { id: head.data.id, name: head.data.name, policy: head.data.policy, service: parsed.data as ServiceConfig };
  if (head.data.template !== undefined) result.template = head.data.template;
  if (head.data.stateEncryption !== undefined) result.stateEncryption = head.data.stateEncryption;
  if (head.data.decommission) result.decommission = true;
  const used = usedUserData(result.service, userData);
  if (used !== undefined) result.userData = used;
  // Names in no catalog at all are already reported; only then is a per-client reach gap worth a line.
  if (clouds && sink.errors.length === before)
    for (const gap of catalogGaps(result, clouds)) report(gap.path, 'catalog', gap.message, gap.fix);
  return result;
}

/** The text of every user-data file the service names, by name; undefined when it names none. */
function usedUserData(service: ServiceConfig, userData: UserDataFiles): Record<string, string> | undefined {
  const names = [...new Set(service.serverGroups.flatMap((group) => (group.userData !== undefined ? [group.userData] : [])))].sort();
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((name) => [name, userData.get(name)?.text ?? '']));
}

/**
 * The user-data files among `files` (in a `user-data/` folder) by the name server groups use, each
 * checked on its own (see `userDataFileProblems`); their secrets join `secrets` for redaction.
 */
function collectUserData(files: readonly SourceFile[], sink: Sink): Map<string, SourceFile> {
  const found = new Map<string, SourceFile>();
  for (const file of files) {
    const segments = file.path.split(/[\\/]/);
    found.set(`${USER_DATA_FOLDER}/${segments[segments.length - 1] ?? ''}`, file);
    sink.errors.push(...userDataFileProblems(file.path, file.text));
  }
  return found;
}

/** True for a file of the estate's `user-data/` folder. */
const isUserDataFile = (file: SourceFile): boolean => file.path.split(/[\\/]/).at(-2) === USER_DATA_FOLDER;

/**
 * Whether `file` is a client file (`…/clients/<id>.yaml`): each is validated on its own against the
 * estate's other files, which lets the validation cache and the validation threads take them apart.
 */
export const isClientFile = (file: SourceFile): boolean => /(^|[\\/])clients[\\/][^\\/]+\.yaml$/.test(file.path);

/** A secret makes every other finding at or under its key noise, and they could quote it: drop them, redact the rest. */
function withoutSecretNoise(
  errors: readonly ConfigError[],
  secrets: { values: string[]; paths: Map<string, ConfigPath[]> },
): ConfigError[] {
  return errors
    .filter((error) => error.kind === 'secret' || !(secrets.paths.get(error.file) ?? []).some((path) => isPathWithin(error.path, path)))
    .map((error) => {
      const clean: ConfigError = { ...error, message: redactSecrets(error.message, secrets.values) };
      if (error.fix !== undefined) clean.fix = redactSecrets(error.fix, secrets.values);
      return clean;
    });
}

/** Orders configs by id (code-unit order, as the estate lists them everywhere). */
export const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The zod schema of one kind of config file. */
type ConfigFileSchema = typeof CloudSchema | typeof TemplateSchema | typeof ClientFileSchema;

/** Validates one parsed file against its schema, recording the issues as config errors in `sink`. */
function schemaCheck(file: ParsedFile, schema: ConfigFileSchema, sink: Sink) {
  const result = schema.safeParse(file.data);
  if (!result.success) {
    sink.errors.push(
      ...issuesToErrors(result.error.issues, {
        schema,
        data: file.data,
        target: () => ({ source: file.source, file: file.path, prefix: [] }),
      }),
    );
  }
  return result;
}

/** Validates every cloud file (schema, cross-cloud checks, hosts): the valid clouds, and the host warnings. */
function validateClouds(cloudFiles: readonly ParsedFile[], cloudIds: string[], sink: Sink): { clouds: CloudConfig[]; warnings: Sink } {
  const clouds: CloudConfig[] = [];
  for (const file of cloudFiles) {
    if (file.data === undefined && file.source.doc.errors.length > 0) continue;
    const result = schemaCheck(file, CloudSchema, sink);
    checkCloud(file, cloudIds, sink);
    if (result.success) clouds.push(result.data as CloudConfig);
  }
  const warnings = new Sink();
  for (const issue of checkEstateHosts(cloudFiles.map((file) => ({ id: file.id, data: file.data })))) {
    const file = cloudFiles[issue.index];
    (issue.level === 'error' ? sink : warnings).at(file, issue.path, issue.kind, issue.message, issue.fix);
  }
  return { clouds, warnings };
}

/**
 * Validates a whole estate held in memory and returns either the typed estate or every error.
 *
 * Each file's kind comes from its parent folder (`clouds/`, `clients/`, `templates/`); paths are
 * used as given in error messages. The result does not depend on the order of `files`: files are
 * processed sorted by path, errors are sorted by file and position, estate lists by id.
 *
 * @param files the estate's files (path and text)
 * @param dir value of `estate.dir` in the result; default `.`
 * @example
 * const result = validateEstate([{ path: 'clouds/a.yaml', text: 'id: a\n…' }]);
 * if (!result.ok) console.error(formatConfigErrors(result.errors));
 */
export function validateEstate(files: readonly SourceFile[], dir = '.'): LoadResult {
  const sink = new Sink();
  const secrets = { values: [] as string[], paths: new Map<string, ConfigPath[]>() };
  const parsed: ParsedFile[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const userData = collectUserData(sorted.filter(isUserDataFile), sink);
  for (const file of sorted.filter((f) => !isUserDataFile(f))) {
    const kind = classify(file.path, sink.errors);
    if (kind) parsed.push(parseFile(file, kind.kind, kind.stem, sink, secrets));
  }
  checkIds(parsed, sink);

  const ofKind = (kind: FileKind) => parsed.filter((file) => file.kind === kind);
  const cloudFiles = ofKind('cloud');
  const templateFiles = ofKind('template');
  const clientFiles = ofKind('client');
  const cloudIds = [...new Set(cloudFiles.map((f) => f.id))];
  const templateIds = [...new Set(templateFiles.map((f) => f.id))];
  const offer = collectOffer(cloudFiles);

  const schemaErrors = (file: ParsedFile, schema: ConfigFileSchema) => schemaCheck(file, schema, sink);
  const { clouds, warnings } = validateClouds(cloudFiles, cloudIds, sink);
  const templates: TemplateConfig[] = [];
  const templatesById = new Map<string, ParsedFile>();
  for (const file of templateFiles) {
    if (!templatesById.has(file.id)) templatesById.set(file.id, file);
    if (file.data === undefined && file.source.doc.errors.length > 0) continue;
    const result = schemaErrors(file, TemplateSchema);
    if (result.success) templates.push(result.data as TemplateConfig);
  }
  const clients: ClientConfig[] = [];
  // Where a client may land is known only when every cloud is valid.
  const reach = clouds.length === cloudFiles.length ? clouds : undefined;
  for (const file of clientFiles) {
    if (file.data === undefined && file.source.doc.errors.length > 0) continue;
    schemaErrors(file, ClientFileSchema);
    checkClientRefs(file, cloudIds, templateIds, sink);
    const client = buildClient(file, templatesById, offer, reach, sink, userData);
    if (client) clients.push(client);
  }

  const errors = withoutSecretNoise(sink.errors, secrets);
  if (errors.length > 0) return { ok: false, errors: sortConfigErrors(errors) };
  const estate: Estate = { dir, clouds: clouds.sort(byId), clients: clients.sort(byId), templates: templates.sort(byId) };
  if (warnings.errors.length > 0) estate.warnings = sortConfigErrors(warnings.errors);
  return { ok: true, estate };
}
