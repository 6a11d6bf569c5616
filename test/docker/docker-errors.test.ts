/**
 * How docker's stderr is classified. The texts are what the real CLIs printed (Docker 20.10 and 26 engines
 * from Debian 12 / 13, CLIs 20.10, 26.1 and 28.2; recorded while writing test/docker/docker-read.test.ts,
 * which checks the same outcomes against the live engines).
 */
import { describe, expect, it } from 'vitest';
import { classifyDockerError, dockerMessage } from '../../src/image/docker-errors.js';

const NOT_FOUND = [
  'Error response from daemon: reference does not exist',
  'Error response from daemon: No such image: nonexist',
  'Error response from daemon: failed to get digest sha256:0123456789012345678901234567890123456789012345678901234567890123: open /tmp/dk/bw/data/image/vfs/imagedb/content/sha256/0123456789012345678901234567890123456789012345678901234567890123: no such file or directory',
  'Error response from daemon: invalid reference format: repository name must be lowercase',
  'Error response from daemon: invalid reference format: repository name (library/BAD REF) must be lowercase',
  'Error response from daemon: invalid reference format',
];
const UNAVAILABLE = [
  'Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?',
  'Cannot connect to the Docker daemon at tcp://127.0.0.1:1. Is the docker daemon running?',
  'WARNING: Error loading config file: open /root/.docker/config.json: permission denied\npermission denied while trying to connect to the Docker daemon socket at unix:///tmp/dk/bw/docker.sock: Get "http://%2Ftmp%2Fdk%2Fbw%2Fdocker.sock/v1.50/images/get?names=test%2Fsmall%3A1": dial unix /tmp/dk/bw/docker.sock: connect: permission denied',
  'error during connect: Get "http://docker.example.com/v1.50/images/get?names=x": command [ssh -o ConnectTimeout=30 -T -l nobody -p 1 -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=ssh: connect to host 127.0.0.1 port 1: Connection refused',
  'Failed to initialize: unable to resolve docker endpoint: invalid bind address format: bogus://x',
];

describe('classifyDockerError', () => {
  it.each(NOT_FOUND)('image_not_found: %s', (text) => {
    expect(classifyDockerError(text + '\n')).toBe('image_not_found');
  });
  it.each(UNAVAILABLE)('docker_unavailable: %s', (text) => {
    expect(classifyDockerError(text + '\n')).toBe('docker_unavailable');
  });
  it('anything else is left unclassified', () => {
    expect(classifyDockerError('')).toBeNull();
    expect(classifyDockerError('write /dev/stdout: broken pipe')).toBeNull();
  });
});

describe('dockerMessage', () => {
  it('keeps the last lines, trimmed and joined, bounded', () => {
    expect(dockerMessage('  a\n\nb  \n')).toBe('a | b');
    const long = 'x'.repeat(5000);
    const m = dockerMessage(long, 100);
    expect(m.length).toBe(101);
    expect(m.startsWith('…')).toBe(true);
  });
});
