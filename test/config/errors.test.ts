import { describe, expect, it } from 'vitest';
import { formatConfigError, formatConfigErrors, formatConfigPath, sortConfigErrors, type ConfigError } from '../../core/config/index.js';

describe('formatConfigPath', () => {
  it.each([
    [[], ''],
    [['id'], 'id'],
    [['service', 'network', 'subnets', 1, 'cidr'], 'service.network.subnets[1].cidr'],
    [['catalog', 'sizes', 'a b'], 'catalog.sizes["a b"]'],
    [[0, 'x'], '[0].x'],
  ] as const)('formats %j as %j', (path, text) => expect(formatConfigPath([...path])).toBe(text));
});

describe('formatConfigError', () => {
  const base: ConfigError = {
    file: 'config/clients/a.yaml',
    path: ['service', 'publicPorts', 0],
    kind: 'schema',
    message: 'expected number, got a string',
  };

  it('writes file:line:column path: message — fix: fix', () => {
    expect(formatConfigError({ ...base, line: 12, column: 5, fix: 'write a port number' })).toBe(
      'config/clients/a.yaml:12:5 service.publicPorts[0]: expected number, got a string — fix: write a port number',
    );
  });

  it('leaves out what is unknown', () => {
    expect(formatConfigError({ ...base, path: [] })).toBe('config/clients/a.yaml: expected number, got a string');
  });

  it('joins several errors with newlines', () => {
    expect(formatConfigErrors([base, base]).split('\n')).toHaveLength(2);
    expect(formatConfigErrors([])).toBe('');
  });
});

describe('sortConfigErrors', () => {
  it('orders by file then line and drops exact duplicates', () => {
    const a: ConfigError = { file: 'b.yaml', path: ['x'], line: 3, column: 1, kind: 'schema', message: 'm' };
    const b: ConfigError = { file: 'a.yaml', path: ['y'], line: 9, column: 1, kind: 'schema', message: 'm' };
    const c: ConfigError = { file: 'b.yaml', path: ['z'], line: 1, column: 4, kind: 'schema', message: 'm' };
    expect(sortConfigErrors([a, b, c, { ...a }])).toEqual([b, c, a]);
  });
});
