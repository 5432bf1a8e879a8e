import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { UsageError } from '../errors.js';

/**
 * The HCL2 parser: tree-sitter's HCL grammar (the `terraform` dialect of
 * @tree-sitter-grammars/tree-sitter-hcl) run by web-tree-sitter, both
 * WebAssembly, so nothing is compiled or downloaded at install time. It gives
 * a concrete syntax tree with the line and column of every block, attribute
 * and expression, which is what SARIF annotations and fixes need. Why this
 * parser and not the others on npm: docs/iac.md, "The HCL parser".
 *
 * The language is loaded once per process, on first use: `atrest --help` and
 * the other commands never load it.
 */

const require = createRequire(import.meta.url);
let loading: Promise<Parser> | null = null;

async function load(): Promise<Parser> {
  await Parser.init();
  const wasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The parser, loaded once. */
export function hclParser(): Promise<Parser> {
  loading ??= load();
  return loading;
}

const TEXTS = new WeakMap<Tree, string>();

/** The text a tree was parsed from: node offsets index into it. */
export function treeText(tree: Tree): string {
  return TEXTS.get(tree) ?? tree.rootNode.text;
}

export interface HclFile {
  file: string;
  text: string;
  tree: Tree;
  root: Node;
}

/** Parses one HCL file; a syntax error is a UsageError naming FILE:LINE:COL. */
export async function parseHcl(text: string, file: string): Promise<HclFile> {
  const parser = await hclParser();
  const tree = parser.parse(text);
  if (!tree) throw new UsageError(`${file}: the HCL parser returned no tree`);
  const root = tree.rootNode;
  TEXTS.set(tree, text);
  if (root.hasError) {
    const bad = firstError(root);
    const where = bad ? `${bad.startPosition.row + 1}:${bad.startPosition.column + 1}` : '1:1';
    const what = bad?.isMissing ? `missing ${bad.type}` : `unexpected ${JSON.stringify(bad?.text.slice(0, 40) ?? '')}`;
    throw new UsageError(`${file}:${where}: HCL syntax error: ${what} (expected valid HCL2, as "terraform validate" accepts)`);
  }
  return { file, text, tree, root };
}

function firstError(node: Node): Node | null {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing || child.isError)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return null;
}

/** 1-based line of a node. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** Named children, without comments. */
export function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => Boolean(c) && c.type !== 'comment');
}

/** The body of a config file or block. */
export function bodyOf(node: Node): Node | null {
  if (node.type === 'body') return node;
  return named(node).find((c) => c.type === 'body') ?? null;
}

/** The type and labels of a block: `resource "aws_s3_bucket" "b" {` → ['resource', 'aws_s3_bucket', 'b']. */
export function blockHeader(block: Node): { type: string; labels: string[] } {
  const parts = named(block);
  const type = parts.find((c) => c.type === 'identifier')?.text ?? '';
  const labels = parts
    .filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== parts[0]))
    .map((c) => (c.type === 'string_lit' ? stringLiteral(c) : c.text));
  return { type, labels };
}

/** The text of a string literal without its quotes, escapes resolved. */
export function stringLiteral(node: Node): string {
  const literal = named(node).find((c) => c.type === 'template_literal');
  return literal ? unescapeQuoted(literal.text) : '';
}

/** HCL quoted-template escapes: \n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ / %%{ for literal ${ and %{. */
export function unescapeQuoted(text: string): string {
  return text
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt"\\])/g, (_, e: string) => {
      if (e === 'n') return '\n';
      if (e === 'r') return '\r';
      if (e === 't') return '\t';
      if (e === '"') return '"';
      if (e === '\\') return '\\';
      return String.fromCodePoint(parseInt(e.slice(1), 16));
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}
