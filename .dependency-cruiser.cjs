// The layering of STYLE.md as rules, run by `npm run lint:deps` (and so by `npm test` and CI):
// cli/ and hooks/ reach the rest only through api; setup/ (the agents' hook settings) sits
// beside api's use cases and below them, used by api alone; core/ and schema/ do no I/O;
// only git/ runs git. A rule broken here fails the build instead of relying on review.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form a tree: a cycle makes the load order (and the layering) a guess.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'front-ends-use-the-api',
      severity: 'error',
      comment:
        'cli/ and hooks/ import only api (src/api.ts, src/api/), render/, schema/, errors and their own kind of ' +
        'front end: the api is the only door to core, store, git, collect and setup.',
      from: { path: '^src/(cli|hooks)/' },
      to: { path: '^src/(core|store|git|collect|setup)/' },
    },
    {
      name: 'front-ends-do-not-call-cli',
      severity: 'error',
      comment: 'cli/ dispatches to hooks/, never the other way round.',
      from: { path: '^src/hooks/' },
      to: { path: '^src/(cli/|main\\.ts)' },
    },
    {
      name: 'api-is-below-the-front-ends',
      severity: 'error',
      comment: 'api, setup, core, store, git, collect, render and schema never import a front end.',
      from: { path: '^src/(api|setup|core|store|git|collect|render|schema)(/|\\.ts)' },
      to: { path: '^src/(cli|hooks)/|^src/main\\.ts' },
    },
    {
      name: 'setup-is-below-the-api',
      severity: 'error',
      comment:
        'setup/ plans and applies the hook settings for the api use cases (api/setup.ts, api/doctor.ts): it ' +
        'never calls the api back, and nothing below the api uses it (render/ may name its plain-data types).',
      from: { path: '^src/setup/' },
      to: { path: '^src/api(/|\\.ts)' },
    },
    {
      name: 'only-api-uses-setup',
      severity: 'error',
      comment: 'Below the api, only api/ calls setup/; render/ sees its result types only.',
      from: { path: '^src/(core|store|git|collect|schema)/' },
      to: { path: '^src/setup/' },
    },
    {
      name: 'render-sees-setup-types-only',
      severity: 'error',
      comment: 'render/ turns setup results into text; it imports their types, never setup code.',
      from: { path: '^src/render/' },
      to: { path: '^src/setup/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-and-schema-are-pure',
      severity: 'error',
      comment: 'core/ and schema/ are data in, data out: no file system, processes, network, git or store.',
      from: { path: '^src/(core|schema)/' },
      to: { path: '^src/(api|git|store|collect|render|cli|hooks|setup)(/|\\.ts)' },
    },
    {
      name: 'core-and-schema-do-no-io',
      severity: 'error',
      comment: 'core/ and schema/ do no I/O: no node built-in that touches the world outside the process.',
      from: { path: '^src/(core|schema)/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|cluster|readline|os)$',
      },
    },
    {
      name: 'only-git-spawns',
      severity: 'error',
      comment:
        'Processes are started by git/ (git itself) and by doctor (which checks that the installed hook command ' +
        'starts); nothing else spawns.',
      from: { path: '^src/', pathNot: '^src/git/|^src/setup/doctor\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?child_process$' },
    },
    {
      name: 'only-known-libraries',
      severity: 'error',
      comment: 'Dependencies must be declared in package.json (no reliance on transitive packages).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
