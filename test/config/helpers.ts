import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { validateEstate, type ConfigError, type LoadResult, type SourceFile } from '../../core/config/index.js';

/** The shipped example estate, read from config/ as in-memory files (its user-data files included). */
export function exampleFiles(): SourceFile[] {
  return estateFiles('config');
}

/** The files of the estate under `root` (clouds, clients, templates, user-data; the folders it has), sorted per folder. */
export function estateFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const folder of ['clouds', 'clients', 'templates', 'user-data']) {
    if (!existsSync(join(root, folder))) continue;
    for (const name of readdirSync(join(root, folder)).sort()) {
      const path = `${root}/${folder}/${name}`;
      files.push({ path, text: readFileSync(path, 'utf8') });
    }
  }
  return files;
}

/** Files with `path` replaced (or added when absent). */
export function withFile(files: SourceFile[], path: string, text: string): SourceFile[] {
  const rest = files.filter((file) => file.path !== path);
  return [...rest, { path, text }];
}

/** Replaces the single occurrence of `from` in `text`; fails the test when it is not exactly once. */
export function edit(text: string, from: string, to: string): string {
  const parts = text.split(from);
  expect(parts.length - 1, `expected exactly one "${from}" in the text`).toBe(1);
  return parts.join(to);
}

/** 1-based line and column of the unique line containing `needle` (column of the needle). */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const hits = lines.flatMap((line, i) => (line.includes(needle) ? [i] : []));
  expect(hits.length, `expected exactly one line containing "${needle}"`).toBe(1);
  const index = hits[0];
  return { line: index + 1, column: lines[index].indexOf(needle) + 1 };
}

/** Errors of a result that must have failed. */
export function errorsOf(result: LoadResult): ConfigError[] {
  if (result.ok) throw new Error('expected the estate to be rejected, but it loaded');
  return result.errors;
}

/** Validates the example estate with one client file added or replaced; returns the errors. */
export function errorsWithClient(text: string, path = 'config/clients/probe.yaml'): ConfigError[] {
  return errorsOf(validateEstate(withFile(exampleFiles(), path, text)));
}

/** A small, valid client exercising every reference kind. Tests break it one line at a time. */
export const PROBE_CLIENT = `id: probe
name: Probe client
policy:
  sensitivity: standard
  preferredClouds: [vendor-eu-west-0]
service:
  network:
    cidr: 10.100.0.0/16
    subnets:
      - name: web
        cidr: 10.100.1.0/24
      - name: app
        cidr: 10.100.2.0/24
  securityGroups:
    - name: web
      rules:
        - protocol: tcp
          ports: 443
          cidr: 0.0.0.0/0
    - name: app
      rules:
        - protocol: tcp
          ports: 8080
          group: web
  publicPorts: [443]
  serverGroups:
    - name: web
      count: 2
      size: small
      image: debian-12
      subnet: web
      securityGroups: [web]
      volumes:
        - name: data
          sizeGb: 10
          tier: standard
  loadBalancer:
    subnet: app
    listeners:
      - name: https
        protocol: HTTPS
        port: 443
        backend:
          serverGroup: web
          port: 8080
`;
