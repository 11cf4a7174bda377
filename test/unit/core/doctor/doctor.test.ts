// The doctor's pure parts: which credentials file is which, what mode bits let a user do, and
// the verdict line a person reads first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayAccess } from '../../../../src/core/doctor/account';
import { credentialKind } from '../../../../src/core/doctor/driveChecks';
import { renderDoctorText } from '../../../../src/core/doctor/render';

test('credentialKind: a service account by its e-mail, OAuth by its client; anything else says why', () => {
  assert.deepEqual(credentialKind({ type: 'service_account', client_email: 'b@p.iam.gserviceaccount.com', private_key: 'k' }), {
    kind: 'service account',
    who: 'b@p.iam.gserviceaccount.com',
  });
  assert.deepEqual(credentialKind({ type: 'authorized_user', client_id: '123.apps.googleusercontent.com', refresh_token: 'r', client_secret: 's' }), {
    kind: 'OAuth (authorized_user)',
    who: 'client 123',
  });
  const why = (json: unknown) => {
    const k = credentialKind(json);
    assert.equal(typeof k, 'string', JSON.stringify(k));
    return k as string;
  };
  assert.match(why({ type: 'service_account' }), /without client_email or private_key/);
  assert.match(why({ installed: {} }), /"type" is null/);
  assert.match(why([1]), /"type" is null/);
  assert.equal(credentialKind(null), 'it is not a JSON object');
});

test('mayAccess: owner, group, others bits as the kernel reads them; root may', () => {
  const dir = { mode: 0o40750, uid: 1000, gid: 2000 };
  assert.equal(mayAccess(dir, { uid: 1000, groups: [1000] }, 0o3), true);
  assert.equal(mayAccess(dir, { uid: 1001, groups: [2000] }, 0o3), false, 'group may read and search, not write');
  assert.equal(mayAccess(dir, { uid: 1001, groups: [2000] }, 0o5), true);
  assert.equal(mayAccess(dir, { uid: 1002, groups: [3000] }, 0o4), false);
  assert.equal(mayAccess(dir, { uid: 0, groups: [0] }, 0o3), true);
  // The owner's bits decide for the owner even when the group's would allow more.
  assert.equal(mayAccess({ mode: 0o070, uid: 1000, gid: 1000 }, { uid: 1000, groups: [1000] }, 0o4), false);
});

test('renderDoctorText: a fail gives the failing verdict and its fix; warnings alone are ready', () => {
  const base = { host: 'this machine', serviceUser: 'pgdba-backup', warnings: 1 };
  const failing = renderDoctorText({
    ...base,
    failures: 1,
    checks: [
      { id: 'pg_dump', level: 'fail', summary: 'pg_dump 15.18 is older than the server', fix: 'install postgresql-client-16' },
      { id: 'zstd', level: 'warn', summary: 'no zstd', fix: 'apt install zstd' },
      { id: 'server', level: 'ok', summary: 'PostgreSQL 16.4', fix: 'never shown' },
    ],
  });
  assert.match(failing, /^✗ pg_dump +pg_dump 15\.18 is older than the server\n +→ install postgresql-client-16$/m);
  assert.doesNotMatch(failing, /never shown/);
  assert.match(failing, /the nightly backup would fail: 1 problem \(✗\) to fix, 1 warning \(!\)\n$/);
  const ready = renderDoctorText({ ...base, failures: 0, checks: [{ id: 'zstd', level: 'warn', summary: 'no zstd' }] });
  assert.match(ready, /ready for the nightly backup \(1 warning: !\)\n$/);
});
