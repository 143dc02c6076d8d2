/**
 * Stale locks on resume: tofu's lock error is parsed, and a lock is released only when it is provably
 * this run's own (same holder, taken after the journalled tofu started, that tofu dead).
 */
import { describe, expect, it } from 'vitest';
import { isOwnStaleLock, lockError, lockHolder } from '../../app/operate/locks.js';

const output = (who: string, created: string): string => `
Error: Error acquiring the state lock

Error message: resource temporarily unavailable
Lock Info:
  ID:        5b2a3c1e-1111-2222-3333-444455556666
  Path:      sovstack/a-c1/terraform.tfstate
  Operation: OperationTypeApply
  Who:       ${who}
  Version:   1.12.6
  Created:   ${created}
  Info:

OpenTofu acquires a state lock to protect the state from being written
by multiple users at the same time.`;

const previous = { pid: 4242, phase: 'apply' as const, at: '2026-12-02T01:15:00.000Z' };
const dead = (): boolean => true;
const alive = (): boolean => false;

describe('lockError', () => {
  it('reads the lock id, holder and time', () => {
    expect(lockError(output('root@lab', '2026-12-02 01:15:01.123456789 +0000 UTC'))).toEqual({
      id: '5b2a3c1e-1111-2222-3333-444455556666',
      who: 'root@lab',
      created: '2026-12-02 01:15:01.123456789 +0000 UTC',
    });
  });

  it('is undefined for any other failure', () => {
    expect(lockError('Error: Invalid resource type')).toBeUndefined();
  });
});

describe('isOwnStaleLock', () => {
  const lock = (who: string, created: string) => lockError(output(who, created))!;

  it('releases a lock this user and host took after the killed tofu started', () => {
    expect(isOwnStaleLock(lock(lockHolder(), '2026-12-02 01:15:01.5 +0000 UTC'), previous, dead)).toBe(true);
  });

  it('keeps a lock whose tofu still runs', () => {
    expect(isOwnStaleLock(lock(lockHolder(), '2026-12-02 01:15:01.5 +0000 UTC'), previous, alive)).toBe(false);
  });

  it('keeps a lock of someone else, or one older than this run’s tofu', () => {
    expect(isOwnStaleLock(lock('ci@runner-7', '2026-12-02 01:15:01 +0000 UTC'), previous, dead)).toBe(false);
    expect(isOwnStaleLock(lock(lockHolder(), '2026-12-02 00:59:00 +0000 UTC'), previous, dead)).toBe(false);
  });

  it('keeps a lock whose time it cannot read (fail closed)', () => {
    expect(isOwnStaleLock(lock(lockHolder(), 'yesterday'), previous, dead)).toBe(false);
  });
});
