import { Document } from 'yaml';
import { CFN_TAGS } from './cloudformation.js';
import type { CloudFormationChange, HclEntry, HclValue, TerraformChange } from './fix-model.js';

/**
 * Writes fixes as code: HCL the way `terraform fmt` lays it out (two-space
 * indents, `=` aligned within a run of attributes), and CloudFormation YAML
 * through the `yaml` package with the intrinsic tags (`!Sub`, `!GetAtt`), so
 * both parse back with the same parsers atrest reads code with (the tests do).
 */

function hclString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;
}

function hclValue(value: HclValue, indent: string): string {
  switch (value.kind) {
    case 'string':
      return hclString(value.value);
    case 'bool':
      return String(value.value);
    case 'number':
      return String(value.value);
    case 'expr':
      return value.value;
    case 'list':
      return `[${value.items.map((i) => hclValue(i, indent)).join(', ')}]`;
    case 'block':
      return `{\n${hclBody(value.body, `${indent}  `)}${indent}}`;
    case 'object': {
      if (value.entries.length === 0) return '{}';
      const inner = `${indent}  `;
      const key = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k));
      const width = Math.max(...value.entries.map(([k]) => key(k).length));
      return `{\n${value.entries.map(([k, v]) => `${inner}${key(k).padEnd(width)} = ${hclValue(v, inner)}`).join('\n')}\n${indent}}`;
    }
  }
}

/** One HCL expression as text (an object for jsonencode(), a list). */
export function hclExpression(value: HclValue, indent = ''): string {
  return hclValue(value, indent);
}

/** Attributes and nested blocks, `=` aligned within each run of single-line attributes. */
export function hclBody(entries: readonly HclEntry[], indent: string): string {
  let out = '';
  let run: HclEntry[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map(([name]) => name.length));
    for (const [name, value] of run) out += `${indent}${name.padEnd(width)} = ${hclValue(value, indent)}\n`;
    run = [];
  };
  for (const entry of entries) {
    const [name, value] = entry;
    if (value.kind === 'block') {
      flush();
      out += `${indent}${name} {\n${hclBody(value.body, `${indent}  `)}${indent}}\n`;
    } else {
      run.push(entry);
    }
  }
  flush();
  return out;
}

/** Nests entries in the change's block path (root_block_device.0 → root_block_device { … }). */
function nested(change: TerraformChange): HclEntry[] {
  const path = change.block.filter((p) => !/^\d+$/.test(p));
  let entries: HclEntry[] = change.entries;
  for (const name of [...path].reverse()) entries = [[name, { kind: 'block', body: entries }]];
  return entries;
}

/** A change as a whole block: `resource "kind" "name" { … }` (or data). */
export function terraformBlock(change: TerraformChange): string {
  const word = change.mode === 'data' ? 'data' : 'resource';
  const name = change.name.replace(/\[.*$/, '');
  return `${word} "${change.kind}" "${name}" {\n${hclBody(nested(change), '  ')}}\n`;
}

/** A change as the code to write: the attributes or block to set in an existing resource, or the whole block to add. */
export function terraformSnippet(change: TerraformChange): string {
  if (change.action === 'add-resource') return terraformBlock(change);
  return hclBody(nested(change), '');
}

export function importBlock(change: TerraformChange): string {
  return `import {\n  to = ${change.kind}.${change.name}\n  id = ${hclString(change.importId ?? '')}\n}\n`;
}

/** The properties to set, as YAML (the snippet of a finding's fix). */
export function cloudFormationSnippet(change: CloudFormationChange): string {
  const value = change.add ? { [change.logicalId]: { Type: change.type, Properties: change.properties } } : change.properties;
  const doc = new Document(value, { customTags: CFN_TAGS });
  return doc.toString({ lineWidth: 0 });
}

/** A template fragment: the resource with the properties to set (what `atrest fix` writes). */
export function cloudFormationTemplate(changes: readonly CloudFormationChange[], header: string[]): string {
  const resources: Record<string, unknown> = {};
  for (const change of changes) resources[change.logicalId] = { Type: change.type, Properties: change.properties };
  const doc = new Document({ Resources: resources }, { customTags: CFN_TAGS });
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
