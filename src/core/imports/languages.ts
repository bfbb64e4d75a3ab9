// Which language a repository path is written in, from its name alone: the import
// parser and resolver need the languages whose imports we follow (single-file components
// count as their own, read for their TS/JS), file counting needs a display name for many
// more. Pure and allocation-light: it runs per file.
import { baseName, extensionOf } from '../paths.js';

export type Language = 'typescript' | 'javascript' | 'vue' | 'svelte' | 'astro' | 'python' | 'go' | 'rust';

const IMPORT_LANGUAGES: ReadonlyMap<string, Language> = new Map([
  ['ts', 'typescript'],
  ['tsx', 'typescript'],
  ['mts', 'typescript'],
  ['cts', 'typescript'],
  ['js', 'javascript'],
  ['jsx', 'javascript'],
  ['mjs', 'javascript'],
  ['cjs', 'javascript'],
  ['vue', 'vue'],
  ['svelte', 'svelte'],
  ['astro', 'astro'],
  ['py', 'python'],
  ['pyi', 'python'],
  ['go', 'go'],
  ['rs', 'rust'],
]);

const DISPLAY_BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries({
    TypeScript: 'ts tsx mts cts',
    JavaScript: 'js jsx mjs cjs',
    Python: 'py pyi pyw pyx',
    Go: 'go',
    Rust: 'rs',
    Java: 'java',
    Kotlin: 'kt kts',
    Scala: 'scala sc',
    Groovy: 'groovy gradle',
    Clojure: 'clj cljs cljc edn',
    C: 'c h',
    'C++': 'cc cpp cxx c++ hh hpp hxx h++ ipp inl',
    'C#': 'cs csx',
    'F#': 'fs fsi fsx',
    'Visual Basic': 'vb',
    'Objective-C': 'm mm',
    Swift: 'swift',
    Dart: 'dart',
    Ruby: 'rb rake gemspec',
    PHP: 'php phtml',
    Perl: 'pl pm',
    Lua: 'lua',
    R: 'r',
    Julia: 'jl',
    Haskell: 'hs lhs',
    OCaml: 'ml mli',
    Elixir: 'ex exs',
    Erlang: 'erl hrl',
    Zig: 'zig',
    Nim: 'nim',
    Crystal: 'cr',
    Fortran: 'f f90 f95 f03 for',
    Assembly: 'asm s',
    Solidity: 'sol',
    Shell: 'sh bash zsh fish ksh',
    PowerShell: 'ps1 psm1 psd1',
    Batch: 'bat cmd',
    Vue: 'vue',
    Svelte: 'svelte',
    Astro: 'astro',
    HTML: 'html htm xhtml',
    CSS: 'css',
    SCSS: 'scss sass',
    Less: 'less',
    Markdown: 'md markdown mdx',
    reStructuredText: 'rst',
    AsciiDoc: 'adoc asciidoc',
    Text: 'txt',
    JSON: 'json jsonc json5',
    YAML: 'yaml yml',
    TOML: 'toml',
    XML: 'xml xsd xsl xslt',
    INI: 'ini cfg conf',
    CSV: 'csv tsv',
    SQL: 'sql',
    GraphQL: 'graphql gql',
    'Protocol Buffers': 'proto',
    Terraform: 'tf tfvars hcl',
    Nix: 'nix',
    Dockerfile: 'dockerfile',
    Makefile: 'mk mak',
    CMake: 'cmake',
    Starlark: 'bzl star',
    Jupyter: 'ipynb',
    SVG: 'svg',
  }).flatMap(([name, extensions]) => extensions.split(' ').map((ext): [string, string] => [ext, name])),
);

// Build and tooling files whose name, not extension, says what they are.
const DISPLAY_BY_NAME: ReadonlyMap<string, string> = new Map([
  ['dockerfile', 'Dockerfile'],
  ['containerfile', 'Dockerfile'],
  ['makefile', 'Makefile'],
  ['gnumakefile', 'Makefile'],
  ['cmakelists.txt', 'CMake'],
  ['rakefile', 'Ruby'],
  ['gemfile', 'Ruby'],
  ['podfile', 'Ruby'],
  ['vagrantfile', 'Ruby'],
  ['justfile', 'Just'],
  ['build.bazel', 'Starlark'],
  ['workspace.bazel', 'Starlark'],
  ['go.mod', 'Go Module'],
  ['go.sum', 'Go Module'],
  ['.bashrc', 'Shell'],
  ['.zshrc', 'Shell'],
  ['.profile', 'Shell'],
]);

/** The language whose imports we parse and resolve, or undefined. */
export function importLanguage(path: string): Language | undefined {
  return IMPORT_LANGUAGES.get(extensionOf(path));
}

/** A display name for counting files by language, or undefined for unknown files. */
export function languageOf(path: string): string | undefined {
  const name = baseName(path).toLowerCase();
  const byName = DISPLAY_BY_NAME.get(name);
  if (byName !== undefined) return byName;
  // `Dockerfile.dev`, `api.Dockerfile`: variants that keep the tell-tale word.
  if (name.startsWith('dockerfile.') || name.endsWith('.dockerfile')) return 'Dockerfile';
  return DISPLAY_BY_EXTENSION.get(extensionOf(name));
}
