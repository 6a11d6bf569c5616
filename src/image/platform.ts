/** Platforms (`os/arch[/variant]`) and matching them the way registries do. */

export interface Platform {
  os: string;
  arch: string;
  variant: string | null;
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  x86: '386',
  i386: '386',
  aarch64: 'arm64',
  armhf: 'arm',
};

export function parsePlatform(s: string): Platform {
  const [os = 'linux', arch = 'amd64', variant] = s.split('/');
  return { os, arch: ARCH_ALIASES[arch] ?? arch, variant: variant ?? null };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.arch}${p.variant ? `/${p.variant}` : ''}`;
}

/** The candidates for `want`: exact variant match first; without a requested variant any variant matches. */
export function matchPlatform<T>(items: T[], plat: (t: T) => Platform | null, want: Platform): T[] {
  const same = items.filter((t) => {
    const p = plat(t);
    return p !== null && p.os === want.os && (ARCH_ALIASES[p.arch] ?? p.arch) === want.arch;
  });
  if (want.variant) return same.filter((t) => (plat(t)!.variant ?? defaultVariant(want.arch)) === want.variant);
  const plain = same.filter((t) => !plat(t)!.variant || plat(t)!.variant === defaultVariant(want.arch));
  return plain.length ? plain : same;
}

function defaultVariant(arch: string): string | null {
  return arch === 'arm64' ? 'v8' : arch === 'arm' ? 'v7' : null;
}
