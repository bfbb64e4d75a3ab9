// File contents the handoff suites build repositories from, shared by the spawned
// determinism suite and its in-process counterpart so both check the same trees.

/** Every line but the import names the file, so git never pairs two of them as a rename. */
export const importsHub = (name: string): string =>
  `import { hub } from './hub.js';\nexport const ${name} = hub;\nexport const ${name}Label = '${name}';\nexport const ${name}Twice = ${name} * 2;\n`;

/** Six lines that all name the file: a rename keeps it whole. */
export const body = (name: string): string =>
  Array.from({ length: 6 }, (_, i) => `export const ${name}${i} = '${name}-${i}';\n`).join('');
