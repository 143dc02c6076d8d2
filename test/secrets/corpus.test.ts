/**
 * The detector's corpus: labelled secrets that must all be found and labelled look-alikes that
 * must all pass, hand-written (corpus/*.json) and generated (corpus/generated.ts). Zero misses,
 * zero false positives, and no description ever contains the value it describes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSecretValue } from '../../core/secrets/index.js';
import { generatedLookAlikes, generatedSecrets, type CorpusCase } from './corpus/generated.js';

const corpusFile = (name: string): CorpusCase[] =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'corpus', name), 'utf8')) as CorpusCase[];

const secrets = [...corpusFile('secrets.json'), ...generatedSecrets()];
const lookAlikes = [...corpusFile('not-secrets.json'), ...generatedLookAlikes()];

describe('secret corpus', () => {
  it('has at least 150 labelled secrets and 150 labelled look-alikes, each label unique', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(150);
    expect(lookAlikes.length).toBeGreaterThanOrEqual(150);
    for (const cases of [secrets, lookAlikes]) expect(new Set(cases.map((c) => c.label)).size).toBe(cases.length);
  });

  it('finds every secret (zero misses)', () => {
    const missed = secrets.filter((c) => describeSecretValue(c.value) === undefined).map((c) => c.label);
    expect(missed).toEqual([]);
  });

  it('passes every look-alike (zero false positives)', () => {
    const flagged = lookAlikes.flatMap((c) => {
      const what = describeSecretValue(c.value);
      return what === undefined ? [] : [`${c.label}: ${what}`];
    });
    expect(flagged).toEqual([]);
  });

  // Plain words (`Authorization`, `chpasswd`) may appear in a description; an assignment names its variable.
  it('never echoes a value in its description', () => {
    const echoed = secrets.filter((c) => {
      const what = (describeSecretValue(c.value) ?? '').replace(/\([^()]*=…\)/, '');
      return c.value.split(/[\s=:,;"'<>{}()[\]]+/).some((part) => part.length >= 6 && !/^[A-Za-z]+$/.test(part) && what.includes(part));
    });
    expect(echoed.map((c) => c.label)).toEqual([]);
  });
});
