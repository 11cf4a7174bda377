import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posixTz, timeZoneAccepted } from '../../../../src/core/conf/timeZone';
import { serverNames } from '../../../../src/core/catalog/serverNames';

const zones = serverNames('zones', 16);

test('tzdata names are found whatever their case; a leading colon looks only there', () => {
  for (const v of ['Europe/Paris', 'europe/paris', 'EUROPE/PARIS', 'UTC', 'Etc/GMT+5', ':UTC']) assert.ok(timeZoneAccepted(v, zones, 'timezone'), v);
  for (const v of ['unknown', 'Europe/Nowhere', 'Europe', 'posix/Europe/Paris', '', ':UTC+3', '::UTC']) assert.ok(!timeZoneAccepted(v, zones, 'timezone'), v);
});

test('POSIX specs as PostgreSQL reads them: an empty abbreviation is allowed, an abbreviation alone is not', () => {
  for (const v of ['UTC+3', '-03:00', '+03:00', 'XYZ+3ABC+4', '<+03>-3', 'EST5EDT,M3.2.0,M11.1.0', 'EST5EDT,J60/2,300', 'UTC+167', 'UTC+3:30:00'])
    assert.ok(posixTz(v), v);
  for (const v of ['Z', 'UNKNOWN', '<+03', 'UTC+168', 'UTC+3:60', 'UTC+3:30:15', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.2.0']) assert.ok(!posixTz(v), v);
});

test('TimeZone alone takes hours as a number and an interval of hours, minutes and seconds', () => {
  for (const v of ['3', '-3.5', '1e2', "interval '1 hour'", "INTERVAL '1 hour 30 minutes'", "interval '-05:30'", "interval '90 min ago'"]) {
    assert.ok(timeZoneAccepted(v, zones, 'timezone'), v);
  }
  for (const v of ["interval '1 day'", "interval '1 month'", "interval 'x'", 'interval 1']) assert.ok(!timeZoneAccepted(v, zones, 'timezone'), v);
  // log_timezone has no such forms: it reads them as POSIX specs, as the server does
  assert.ok(timeZoneAccepted("interval '1 hour'", zones, 'log_timezone'), "INTERVAL '1 HOUR' is abbreviation, offset 1, abbreviation");
  assert.ok(!timeZoneAccepted("interval 'x'", zones, 'log_timezone'), 'no offset');
  assert.ok(!timeZoneAccepted('x'.repeat(256), zones, 'timezone'), 'longer than TZ_STRLEN_MAX');
});
