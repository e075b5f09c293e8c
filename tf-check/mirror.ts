import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a filesystem provider mirror is looked for when TF_PLUGIN_MIRROR is not set (Terraform's own implied dirs last). */
export const MIRROR_CANDIDATES = ['/opt/tf-plugins', join(homedir(), '.terraform.d', 'plugins'), '/usr/local/share/terraform/plugins', '/usr/share/terraform/plugins'];

/** The platform directory name Terraform uses for this machine, e.g. linux_amd64. */
export function terraformPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** `aws` -> `registry.terraform.io/hashicorp/aws`; `databricks/databricks` -> `registry.terraform.io/databricks/databricks`. */
export function providerAddress(source: string): string {
  const parts = source.split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join('/')}`;
  return source;
}

/** A filesystem mirror in Terraform's unpacked layout: `<host>/<namespace>/<type>/<version>/<platform>/`. */
export class ProviderMirror {
  /** What providers() found: the tree is walked once (every stack asks for each of its providers). */
  private found?: Array<{ address: string; version: string }>;

  constructor(readonly dir: string) {}

  /** The first candidate directory that holds at least one provider for this platform, if any. */
  static find(explicit: string | undefined = process.env.TF_PLUGIN_MIRROR): ProviderMirror | undefined {
    const dirs = explicit ? [explicit] : MIRROR_CANDIDATES;
    return dirs.map((d) => new ProviderMirror(d)).find((m) => m.providers().length > 0);
  }

  /** `<address> <version>` of every provider the mirror holds for this platform. */
  providers(): Array<{ address: string; version: string }> {
    if (this.found) return this.found;
    const out: Array<{ address: string; version: string }> = [];
    for (const host of list(this.dir)) {
      for (const ns of list(join(this.dir, host))) {
        for (const type of list(join(this.dir, host, ns))) {
          for (const version of list(join(this.dir, host, ns, type))) {
            if (existsSync(join(this.dir, host, ns, type, version, terraformPlatform()))) out.push({ address: `${host}/${ns}/${type}`, version });
          }
        }
      }
    }
    this.found = out;
    return out;
  }

  /** The newest version the mirror has of a provider source, if any. */
  versionOf(source: string): string | undefined {
    const versions = this.providers()
      .filter((p) => p.address === providerAddress(source))
      .map((p) => p.version)
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return versions[versions.length - 1];
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
