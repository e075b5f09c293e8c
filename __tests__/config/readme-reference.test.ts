import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configKeys } from '../../config/keys';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

function section(name: string): string {
  const start = README.indexOf(`<!-- section:${name} -->`);
  const end = README.indexOf(`<!-- /section:${name} -->`);
  if (start < 0 || end < start) throw new Error(`README has no section ${name}`);
  return README.slice(start, end);
}

/** First-column keys of the config reference table. */
function documentedKeys(): string[] {
  return [...section('config').matchAll(/^\| `([\w.]+)` \|/gm)].map((m) => m[1]);
}

describe('README config reference', () => {
  const ours = configKeys().filter((k) => !k.startsWith('databricks.'));

  it('lists exactly the schema keys outside databricks.*, in schema order', () => {
    expect(documentedKeys()).toEqual(ours);
  });

  it('documents every other databricks.* key in the Databricks section (by name or as group.*)', () => {
    const databricks = section('databricks');
    const missing = configKeys()
      .filter((k) => k.startsWith('databricks.'))
      .filter((k) => {
        const parts = k.split('.');
        return !databricks.includes(parts[parts.length - 1]) && !databricks.includes(`${parts[parts.length - 2]}.*`);
      });
    expect(missing).toEqual([]);
  });
});
