// Tests reading apt's answers: the kernel package behind linux-image-amd64, versions, download file names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debFileName, parseAptShow, parseCandidate, parseKernelDependency } from './debian-packages.js';

const SHOW = `Package: linux-image-amd64
Source: linux-signed-amd64 (6.1.192+2)
Version: 6.1.192-2
Installed-Size: 13
Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)
Description: Linux for 64-bit PCs (meta-package)

Package: busybox-static
Version: 1:1.35.0-4+deb12u1+b1
Depends: libc6
Description: Standalone rescue shell with tons of builtin utilities
 BusyBox combines tiny versions of many common UNIX utilities
`;

test('apt-cache show stanzas give each package its version and Depends', () => {
  const stanzas = parseAptShow(SHOW);
  assert.deepEqual(stanzas.get('linux-image-amd64'), { version: '6.1.192-2', depends: 'linux-image-6.1.0-56-amd64 (= 6.1.192-2)' });
  assert.deepEqual(stanzas.get('busybox-static'), { version: '1:1.35.0-4+deb12u1+b1', depends: 'libc6' });
  assert.equal(parseAptShow('Package: x\nVersion: 1.0;rm -rf /\n').size, 0, 'a version apt would never print is not taken');
});

test('the kernel image package and its pinned version come from the metapackage Depends', () => {
  assert.deepEqual(parseKernelDependency('linux-image-6.1.0-56-amd64 (= 6.1.192-2)'), { name: 'linux-image-6.1.0-56-amd64', version: '6.1.192-2' });
  assert.deepEqual(parseKernelDependency('firmware-x | linux-image-6.1.0-9-amd64, foo'), { name: 'linux-image-6.1.0-9-amd64', version: null });
  assert.equal(parseKernelDependency('linux-image-virtual'), null);
  assert.equal(parseKernelDependency(''), null);
});

test('the candidate version comes from apt-cache policy; "(none)" and odd text are no version', () => {
  const policy = 'busybox-static:\n  Installed: (none)\n  Candidate: 1:1.35.0-4+deb12u1+b1\n  Version table:\n';
  assert.equal(parseCandidate(policy), '1:1.35.0-4+deb12u1+b1');
  assert.equal(parseCandidate('x:\n  Installed: (none)\n  Candidate: (none)\n'), null);
  assert.equal(parseCandidate('x:\n  Candidate: 1.0;rm -rf\n'), null);
});

test('download file names follow apt-get download (epoch colon as %3a)', () => {
  assert.equal(debFileName('busybox-static', '1:1.35.0-4+deb12u1+b1'), 'busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb');
  assert.equal(debFileName('linux-image-6.1.0-56-amd64', '6.1.192-2'), 'linux-image-6.1.0-56-amd64_6.1.192-2_amd64.deb');
});
