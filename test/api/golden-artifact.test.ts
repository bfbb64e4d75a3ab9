// Pins the saved artifact (`.codemap/handoff.latest.json`) byte for byte: its field order,
// which the Go tool's schema_version 1 fixes, and every value, on a fixture repository
// whose commit ids, file times and clock are fixed. A change that moves or renames a field,
// or changes what a fixed state describes, fails here first.
//
// To change the artifact deliberately, update the golden file and review its diff:
//   npx vitest run test/api/golden-artifact.test.ts -u
// then commit test/golden/handoff.latest.json with the change that explains it.
import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_EPOCH, gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import { computeHandoff, saveHandoff } from '../../src/api/handoff.js';

/** One hour after the first fixture commit: every fixture commit is inside the default 6h window. */
const NOW = new Date((FIXTURE_EPOCH + 3600) * 1000);
/** The time given to every file the working tree changes, so their facts are fixed too. */
const EDITED_AT = FIXTURE_EPOCH + 3000;

const importsHub = (name: string): string =>
  `import { hub } from './hub.js';\nexport const ${name} = hub;\nexport const ${name}Label = '${name}';\n`;
const body = (name: string): string =>
  Array.from({ length: 4 }, (_, i) => `export const ${name}${i} = '${name}-${i}';\n`).join('');

describe('golden artifact', { tags: ['slow'] }, () => {
  let repo: GitRepo;

  beforeAll(() => {
    repo = gitRepo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'src/old-name.ts': body('oldName'),
      'src/gone.ts': body('gone'),
      'src/keep.ts': body('keep'),
      'docs/guide.md': '# guide\n',
      'pkg/mod.py': 'import os\nfrom pkg import helper\n',
      'pkg/helper.py': 'VALUE = 1\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n', 'src/new.ts': importsHub('n') });
    repo.git('mv', 'src/old-name.ts', 'src/new-name.ts');
    repo.remove('src/gone.ts');
    repo.commit('feature');
    repo.write({ 'docs/guide.md': '# guide, edited\n' });
    repo.commit('docs');
    repo.write({ 'src/keep.ts': body('keepEdited'), 'notes.txt': 'untracked\n', 'pkg/helper.py': 'VALUE = 2\n' });
    repo.git('add', 'pkg/helper.py');
    for (const f of ['src/keep.ts', 'notes.txt', 'pkg/helper.py']) utimesSync(join(repo.dir, f), EDITED_AT, EDITED_AT);
  });
  afterAll(() => repo.cleanup());

  it('the saved artifact matches test/golden/handoff.latest.json', async () => {
    const warnings: string[] = [];
    const warn = (line: string): void => void warnings.push(line);
    const result = await computeHandoff({ cwd: repo.dir, now: NOW, env: {}, warn });
    await saveHandoff(result, NOW, warn);
    expect(warnings).toEqual([]);
    const saved = readFileSync(join(repo.dir, '.codemap', 'handoff.latest.json'), 'utf8');
    await expect(saved).toMatchFileSnapshot('../golden/handoff.latest.json');
  });
});
