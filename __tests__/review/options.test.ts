import { SEVERITY_ORDER } from '../../policy';
import { FAIL_ON_LEVELS, OptionError, parseOptions } from '../../review/options';

describe('parseOptions', () => {
  it('applies defaults and normalises case', () => {
    expect(parseOptions(['--base', 'HEAD'])).toEqual({ base: 'HEAD', format: 'md' });
    expect(parseOptions(['--base', 'a', '--head', 'b', '--format', 'JSON', '--fail-on', 'High'])).toEqual({
      base: 'a',
      head: 'b',
      format: 'json',
      failOn: 'high',
    });
  });

  it.each([
    [['--head', 'x'], /^--base is required/],
    [['--base', 'x', '--format', 'yaml'], /^--format must be one of md, json, got "yaml"$/],
    [['--base', 'x', '--fail-on', 'severe'], /^--fail-on must be one of low, medium, high, critical, got "severe"$/],
    [['--base', 'x', '--bogus'], /unknown option '--bogus'/],
    [['--base', 'x', '--out', '/no/such/dir/r.md'], /^--out folder does not exist: "\/no\/such\/dir"/],
    [['--base'], /option '--base <dir\|git-ref>' argument missing/],
  ])('rejects %j with one line naming the option', (argv, message) => {
    let error: unknown;
    try {
      parseOptions(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes every policy severity as a --fail-on level, in any case', () => {
    for (const severity of SEVERITY_ORDER) {
      expect(parseOptions(['--base', 'a', '--fail-on', severity]).failOn).toBe(severity.toLowerCase());
    }
    expect(() => parseOptions(['--base', 'a', '--fail-on', 'severe'])).toThrow(`--fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, got "severe"`);
  });
});
