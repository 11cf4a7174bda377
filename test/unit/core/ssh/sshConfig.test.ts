// ~/.ssh/config and hop names: what ssh would resolve, and hostile input refused in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSshConfig, resolveHop, expandTokens, MAX_SSH_CONFIG_BYTES } from '../../../../src/core/ssh/sshConfig';
import { globMatch, matchPatternList, parseSshTarget } from '../../../../src/core/ssh/sshTarget';

const env = { home: '/home/dba', localUser: 'dba' };

test('parseSshTarget: user, host, port, IPv6 in brackets; options and blanks refused', () => {
  assert.deepEqual(parseSshTarget('deploy@db1.example.com:2222'), { user: 'deploy', host: 'db1.example.com', port: 2222 });
  assert.deepEqual(parseSshTarget('db1'), { host: 'db1' });
  assert.deepEqual(parseSshTarget('a@[::1]:22'), { user: 'a', host: '::1', port: 22 });
  assert.deepEqual(parseSshTarget('fe80::1'), { host: 'fe80::1' });
  for (const bad of ['-oProxyCommand=x', 'u@-h', 'a b', 'h:0', 'h:70000', 'h:2x', '@h', 'h\u0001x', '']) {
    assert.throws(() => parseSshTarget(bad), /\[user@\]host\[:port\]/, bad);
  }
});

test('globMatch: * and ? as ssh, linear on hostile patterns', () => {
  assert.ok(globMatch('*.example.com', 'db1.EXAMPLE.com'));
  assert.ok(globMatch('db?', 'db1'));
  assert.ok(!globMatch('db?', 'db12'));
  assert.ok(globMatch('*', ''));
  assert.ok(!globMatch('a*b', 'ac'));
  const long = 'a'.repeat(20_000);
  assert.ok(!globMatch('*a*a*a*a*a*b', long)); // backtracking with one mark: finishes
  assert.ok(matchPatternList(['*.example.com', '!bastion.example.com'], 'db.example.com'));
  assert.ok(!matchPatternList(['*.example.com', '!bastion.example.com'], 'bastion.example.com'));
});

test('resolveHop: first value wins, Host patterns with !, tokens and ~ in IdentityFile', () => {
  const cfg = parseSshConfig(
    [
      'Host db1',
      '  HostName 10.0.0.5',
      '  User deploy',
      '  Port 2222',
      '  IdentityFile ~/.ssh/%h_%r_%u_%p',
      'Host *.internal !skip.internal',
      '  User internal',
      '  ProxyJump bastion',
      'Host bastion',
      '  HostName bastion.example.com',
      '  User jump',
      'Host *',
      '  User fallback',
      '  Port 22',
      '  IdentityFile=/keys/all',
    ].join('\n'),
  );
  const h = resolveHop(cfg, parseSshTarget('db1'), env);
  assert.equal(h.host, '10.0.0.5');
  assert.equal(h.user, 'deploy');
  assert.equal(h.port, 2222);
  assert.deepEqual(h.identityFiles, ['/home/dba/.ssh/10.0.0.5_deploy_dba_2222', '/keys/all']);
  assert.equal(h.jump, undefined);

  const given = resolveHop(cfg, parseSshTarget('other@db1:22'), env);
  assert.equal(given.user, 'other');
  assert.equal(given.port, 22);

  const i = resolveHop(cfg, parseSshTarget('pg.internal'), env);
  assert.equal(i.user, 'internal');
  assert.equal(i.jump?.host, 'bastion.example.com');
  assert.equal(i.jump?.user, 'jump');
  assert.equal(i.jump?.jump, undefined);
  const skipped = resolveHop(cfg, parseSshTarget('skip.internal'), env);
  assert.equal(skipped.user, 'fallback');
  assert.equal(skipped.jump, undefined);
});

test('resolveHop: several ProxyJump hops, a bad Port and unknown tokens refused in words; Match and Include noted', () => {
  const cfg = parseSshConfig('Host a\n ProxyJump x,y\nHost b\n Port many\nHost c\n IdentityFile ~/%z\nMatch host q\n User m\nInclude other');
  assert.throws(() => resolveHop(cfg, parseSshTarget('a'), env), /several hops/);
  assert.throws(() => resolveHop(cfg, parseSshTarget('b'), env), /Port of b/);
  assert.throws(() => resolveHop(cfg, parseSshTarget('c'), env), /token %z/);
  assert.equal(cfg.notes.length, 2);
  assert.equal(resolveHop(cfg, parseSshTarget('q'), env).user, 'dba'); // Match's options do not apply
  assert.equal(expandTokens('100%%', { h: '', n: '', d: '', u: '', r: '', p: '' }), '100%');
  assert.throws(() => parseSshConfig('#'.repeat(MAX_SSH_CONFIG_BYTES + 1)), /larger than/);
});
