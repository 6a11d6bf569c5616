/**
 * Built-in rules: private key blocks. Each pattern requires the start of a base64 body after the header, so a
 * source file that merely names the header (a PEM parser, a test string) does not match; a real key does.
 * Keys compiled into ELF executables and libraries are not reported (the `uint32(0) != 0x464C457F` test, also
 * in cloud-credentials.ts): distribution libraries embed self-test keys (Debian 12's libgnutls30 holds several
 * PEM private keys), which would be reported in every image that has them.
 */
import type { RuleLiterals } from '../prefilter.js';

export const PRIVATE_KEY_RULES = String.raw`
rule private_key_pem {
  meta:
    description = "PEM private key (PKCS #8, encrypted PKCS #8, PKCS #1 RSA, SEC 1 EC or DSA) stored in the file"
    severity = "high"
    source = "https://www.rfc-editor.org/rfc/rfc7468#section-10 (PRIVATE KEY), https://www.rfc-editor.org/rfc/rfc7468#section-11 (ENCRYPTED PRIVATE KEY), https://www.rfc-editor.org/rfc/rfc5915#section-4 (EC PRIVATE KEY), https://docs.openssl.org/3.0/man1/openssl-rsa/ (RSA PRIVATE KEY, traditional format)"
  strings:
    $key = /-----BEGIN (RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----\r?\n([A-Za-z-]+: [^\r\n]{1,200}\r?\n){0,4}(\r?\n)?[A-Za-z0-9+\/]{40}/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and ($key)
}

rule private_key_openssh {
  meta:
    description = "OpenSSH private key (openssh-key-v1 format) stored in the file"
    severity = "high"
    source = "https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key"
  strings:
    // the body starts with base64("openssh-key-v1\0")
    $key = /-----BEGIN OPENSSH PRIVATE KEY-----\r?\nb3BlbnNzaC1rZXktdjE/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and ($key)
}

rule private_key_pgp {
  meta:
    description = "OpenPGP secret key block (ASCII armor) stored in the file"
    severity = "high"
    source = "https://www.rfc-editor.org/rfc/rfc4880#section-6.2"
  strings:
    $key = /-----BEGIN PGP PRIVATE KEY BLOCK-----\r?\n([A-Za-z-]+: [^\r\n]{1,200}\r?\n){0,8}\r?\n[A-Za-z0-9+\/]{40}/
  condition:
    (filesize < 4 or uint32(0) != 0x464C457F) and ($key)
}
`;

/** What each rule above cannot match without (the prefilter, src/yara/prefilter.ts). */
export const PRIVATE_KEY_LITERALS: readonly RuleLiterals[] = [
  { rule: 'private_key_pem', all: [{ any: ['-----BEGIN '] }, { any: ['PRIVATE KEY-----'] }], notElf: true },
  {
    rule: 'private_key_openssh',
    all: [{ any: ['-----BEGIN OPENSSH PRIVATE KEY-----'] }, { any: ['b3BlbnNzaC1rZXktdjE'] }],
    notElf: true,
  },
  { rule: 'private_key_pgp', all: [{ any: ['-----BEGIN PGP PRIVATE KEY BLOCK-----'] }], notElf: true },
];
