import type { Node } from 'web-tree-sitter';
import { named, treeText, unescapeQuoted } from './hcl.js';
import { selfReference } from './terraform-plan.js';
import { Ref, Unknown, isMap, type Value, type ValueMap } from './value.js';

/**
 * Evaluates HCL expressions of Terraform files, statically: literals,
 * templates, collections, operators, conditionals, for expressions, splats
 * over known lists, and the Terraform functions that encryption settings are
 * written with (jsonencode, merge, lookup, format, …). What cannot be known
 * without Terraform — a variable without a default, a data source, a module
 * output, another resource's attribute — comes back as an Unknown with the
 * reason, or, for another resource, as a Ref to it.
 */
export interface Scope {
  /** `var.NAME`. */
  variable(name: string): Value;
  /** `local.NAME`. */
  local(name: string): Value;
  /** The module path prefix of references written here (`module.app.`, or '' at the root). */
  modulePrefix: string;
  /** Names bound by for expressions, dynamic block iterators, count and each. */
  bindings: Map<string, Value>;
  /** path.module, path.root. */
  paths: { module: string; root: string; cwd: string };
}

export function child(scope: Scope, bindings: Record<string, Value>): Scope {
  const next = new Map(scope.bindings);
  for (const [k, v] of Object.entries(bindings)) next.set(k, v);
  return { ...scope, bindings: next };
}

export function evaluate(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'expression': {
      const parts = named(node);
      if (parts.length === 0) return new Unknown(`empty expression at line ${node.startPosition.row + 1}`);
      const [head, ...postfix] = parts;
      if (head!.type === 'variable_expr') return traversal(head!, postfix, scope, node.text);
      let value = evaluate(head!, scope);
      for (const step of postfix) value = applyPostfix(value, step, scope);
      return value;
    }
    case 'literal_value':
      return literal(named(node)[0]!);
    case 'template_expr':
      return template(named(node)[0]!, scope);
    case 'variable_expr':
      return traversal(node, [], scope, node.text);
    case 'collection_value':
      return collection(named(node)[0]!, scope);
    case 'function_call':
      return call(node, scope);
    case 'conditional': {
      const [test, yes, no] = named(node);
      const condition = evaluate(test!, scope);
      if (typeof condition === 'boolean') return evaluate(condition ? yes! : no!, scope);
      if (condition instanceof Unknown) return new Unknown(`the condition ${test!.text} is unknown: ${condition.reason}`);
      return new Unknown(`the condition ${test!.text} is not a boolean`);
    }
    case 'operation':
      return operation(named(node)[0]!, scope);
    case 'for_expr':
      return forExpression(named(node)[0]!, scope);
    default:
      return new Unknown(`${node.type} expressions are not evaluated by atrest (${node.text.slice(0, 60)})`);
  }
}

function literal(node: Node): Value {
  switch (node.type) {
    case 'numeric_lit':
      return Number(node.text);
    case 'bool_lit':
      return node.text === 'true';
    case 'null_lit':
      return null;
    case 'string_lit': {
      const text = named(node).find((c) => c.type === 'template_literal');
      return text ? unescapeQuoted(text.text) : '';
    }
    default:
      return new Unknown(`unrecognised literal ${node.text}`);
  }
}

function template(node: Node, scope: Scope): Value {
  const heredoc = node.type === 'heredoc_template';
  const children = node.children.filter((c): c is Node => Boolean(c));
  const parts = children.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
  // A template that is one interpolation and nothing else is that value, unconverted (HCL spec).
  const opening = heredoc ? children.filter((c) => c.type === 'heredoc_identifier')[0] : children.find((c) => c.type === 'quoted_template_start');
  const closing = heredoc ? children.filter((c) => c.type === 'heredoc_identifier').at(-1) : children.find((c) => c.type === 'quoted_template_end');
  const source = sourceOf(node);
  let from = opening ? opening.endIndex : node.startIndex;
  const to = closing && closing !== opening ? closing.startIndex : node.endIndex;
  const literal = (a: number, b: number): string => {
    const raw = source.slice(a, b);
    return heredoc ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : unescapeQuoted(raw);
  };
  if (!heredoc && parts.length === 1 && parts[0]!.type === 'template_interpolation' && literal(from, parts[0]!.startIndex) === '' && literal(parts[0]!.endIndex, to) === '') {
    const inner = named(parts[0]!).find((c) => c.type === 'expression');
    return inner ? evaluate(inner, scope) : new Unknown('empty interpolation');
  }
  let out = '';
  const refs: Ref[] = [];
  for (const part of parts) {
    out += literal(from, part.startIndex);
    from = part.endIndex;
    if (part.type === 'template_directive') {
      return new Unknown(`template directives (%{ if } / %{ for }) are not evaluated by atrest: ${part.text.slice(0, 60)}`);
    }
    const inner = named(part).find((c) => c.type === 'expression');
    const value = inner ? evaluate(inner, scope) : null;
    if (value instanceof Unknown) return value;
    if (value instanceof Ref) {
      refs.push(value);
      out += `\${${value.text}}`;
      continue;
    }
    if (value === null || typeof value === 'object') return new Unknown(`${part.text} is not text`);
    out += String(value);
  }
  out += literal(from, to);
  if (refs.length > 0) {
    // "arn:…:key/${aws_kms_key.k.key_id}" still names that key; other text built from attributes is known only after apply.
    const last = refs.at(-1)!;
    if (refs.length === 1 && new RegExp(`(^|:)(key|alias)/\\$\\{${last.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}$`).test(out)) return last;
    return new Unknown(`${node.text.slice(0, 80)} depends on ${refs.map((r) => r.text).join(', ')}, known only after apply`, out);
  }
  if (heredoc) {
    // The text starts on the line after the opening marker; the closing marker's indentation is not part of it.
    out = out.replace(/^[^\n]*\n/, '').replace(/[ \t]*$/, '');
    const start = children.find((c) => c.type === 'heredoc_start');
    if (start?.text.startsWith('<<-')) out = dedent(out);
  }
  return out;
}

/** The whole source text a node was parsed from (literal text between template parts is read from it). */
function sourceOf(node: Node): string {
  return treeText(node.tree);
}

/** `<<-` heredocs remove the common leading whitespace of their lines. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const min = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(min, /^[ \t]*/.exec(l)![0].length))).join('\n');
}

function collection(node: Node, scope: Scope): Value {
  if (node.type === 'tuple') return named(node).filter((c) => c.type === 'expression').map((c) => evaluate(c, scope));
  if (node.type === 'object') {
    const out: ValueMap = {};
    for (const elem of named(node).filter((c) => c.type === 'object_elem')) {
      const keyNode = elem.childForFieldName('key');
      const valNode = elem.childForFieldName('val');
      if (!keyNode || !valNode) continue;
      const key = objectKey(keyNode, scope);
      if (key instanceof Unknown) return new Unknown(`an object key is unknown: ${key.reason}`);
      out[key] = evaluate(valNode, scope);
    }
    return out;
  }
  return new Unknown(`unrecognised collection ${node.type}`);
}

/** An object key: a bare name is the name itself; anything else is evaluated. */
function objectKey(node: Node, scope: Scope): string | Unknown {
  const parts = named(node);
  if (parts.length === 1 && parts[0]!.type === 'variable_expr') return parts[0]!.text;
  const value = evaluate(node, scope);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Unknown) return value;
  return new Unknown(`object key ${node.text} is not text`);
}

/** `var.x`, `local.y`, `aws_kms_key.app.arn`, `data.aws_kms_alias.a.target_key_arn`, `count.index`, … */
function traversal(head: Node, postfix: Node[], scope: Scope, text: string): Value {
  const root = head.text;
  const bound = scope.bindings.get(root);
  if (bound !== undefined) return postfix.reduce((v, step) => applyPostfix(v, step, scope), bound);
  const names: string[] = [];
  let i = 0;
  // Leading attribute names (the static part of the reference).
  while (i < postfix.length && postfix[i]!.type === 'get_attr') {
    names.push(named(postfix[i]!)[0]?.text ?? '');
    i += 1;
  }
  const rest = postfix.slice(i);
  const continueWith = (value: Value, consumed: number): Value => {
    let v = value;
    for (const n of names.slice(consumed)) v = getAttr(v, n);
    return rest.reduce((acc, step) => applyPostfix(acc, step, scope), v);
  };
  switch (root) {
    case 'var':
      if (!names[0]) return new Unknown(`${text}: incomplete reference`);
      return continueWith(scope.variable(names[0]), 1);
    case 'local':
      if (!names[0]) return new Unknown(`${text}: incomplete reference`);
      return continueWith(scope.local(names[0]), 1);
    case 'path':
      if (names[0] === 'module' || names[0] === 'root' || names[0] === 'cwd') return continueWith(scope.paths[names[0]], 1);
      return new Unknown(`${text} is not known to atrest`);
    case 'terraform':
      return new Unknown(`${text} is known only to Terraform (the workspace at plan time)`);
    case 'module':
      return new Unknown(`${text} is a module output: known only to a plan (run terraform plan and pass the plan JSON)`);
    case 'self':
      return new Unknown(`${text} is known only after apply`);
    case 'data': {
      if (names.length < 2) return new Unknown(`${text}: incomplete data source reference`);
      // data.TYPE.NAME[index].ATTR: an index may come between the name and the attribute.
      const self = selfReference(text.replace(/\[[^\]]*\]/g, ''));
      if (self) return self;
      const address = `${scope.modulePrefix}data.${names[0]}.${names[1]}`;
      const attribute = names[2] ?? (rest[0] ? namedAttr(rest[1]) : undefined) ?? 'id';
      return new Ref(address, attribute, text);
    }
    default: {
      if (names.length < 1) return new Unknown(`${text} is not a reference atrest knows (unknown name ${root})`);
      // TYPE.NAME[index].ATTR
      let address = `${scope.modulePrefix}${root}.${names[0]}`;
      let attribute = names[1];
      if (!attribute && rest[0]?.type === 'index') {
        const index = indexKey(rest[0], scope);
        if (index !== null) address += `[${typeof index === 'number' ? index : JSON.stringify(index)}]`;
        attribute = namedAttr(rest[1]);
      }
      return new Ref(address, attribute ?? 'id', text);
    }
  }
}

function namedAttr(node: Node | undefined): string | undefined {
  return node?.type === 'get_attr' ? named(node)[0]?.text : undefined;
}

function indexKey(node: Node, scope: Scope): string | number | null {
  const inner = named(node)[0];
  if (!inner) return null;
  if (inner.type === 'legacy_index') return Number(inner.text.replace(/^\./, ''));
  const expr = named(inner).find((c) => c.type === 'expression');
  if (!expr) return null;
  const value = evaluate(expr, scope);
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

function getAttr(value: Value, name: string): Value {
  if (value instanceof Unknown) return value;
  if (value instanceof Ref) return new Ref(value.address, name, `${value.text}.${name}`);
  if (isMap(value)) return name in value ? value[name]! : new Unknown(`no attribute "${name}"`);
  return new Unknown(`cannot read attribute "${name}" of ${describe(value)}`);
}

function applyPostfix(value: Value, step: Node, scope: Scope): Value {
  if (step.type === 'get_attr') return getAttr(value, named(step)[0]?.text ?? '');
  if (step.type === 'index') {
    if (value instanceof Unknown || value instanceof Ref) return value;
    const key = indexKey(step, scope);
    if (key === null) return new Unknown(`the index ${step.text} is unknown`);
    if (Array.isArray(value) && typeof key === 'number') return value[key] ?? new Unknown(`index ${key} is out of range`);
    if (isMap(value)) return value[String(key)] ?? new Unknown(`no key ${JSON.stringify(key)}`);
    return new Unknown(`cannot index ${describe(value)}`);
  }
  if (step.type === 'splat') {
    if (value instanceof Unknown) return value;
    if (value instanceof Ref) return new Unknown(`${value.text}${step.text} is known only after apply`);
    const list = Array.isArray(value) ? value : value === null ? [] : [value];
    const ops = named(named(step)[0]!);
    return list.map((item) => ops.reduce((acc, op) => applyPostfix(acc, op, scope), item));
  }
  return new Unknown(`unrecognised ${step.type}`);
}

function describe(value: Value): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** An operand the grammar writes flat: a primary term and its postfix steps (`disk.key`, `x[0].y`). */
function term(nodes: Node[], scope: Scope): Value {
  const parts = nodes.filter((n) => n.type !== 'comment');
  if (parts.length === 0) return new Unknown('an empty operand');
  const [head, ...postfix] = parts;
  if (head!.type === 'variable_expr') return traversal(head!, postfix, scope, parts.map((p) => p.text).join(''));
  return postfix.reduce((acc, step) => applyPostfix(acc, step, scope), evaluate(head!, scope));
}

function operation(node: Node, scope: Scope): Value {
  const all = node.children.filter((c): c is Node => Boolean(c));
  const operatorIndex = all.findIndex((c) => !c.isNamed);
  const operator = operatorIndex >= 0 ? all[operatorIndex]!.text : '';
  const leftNodes = all.slice(0, Math.max(0, operatorIndex)).filter((c) => c.isNamed);
  const rightNodes = all.slice(operatorIndex + 1).filter((c) => c.isNamed);
  if (node.type === 'unary_operation') {
    const v = term(rightNodes, scope);
    if (v instanceof Unknown || v instanceof Ref) return unknownFrom(v, node);
    if (operator === '!') return typeof v === 'boolean' ? !v : new Unknown(`! needs a boolean: ${node.text}`);
    if (operator === '-') return typeof v === 'number' ? -v : new Unknown(`- needs a number: ${node.text}`);
    return new Unknown(`unknown operator ${operator}`);
  }
  const left = term(leftNodes, scope);
  // && and || short-circuit on a known side.
  if (operator === '&&' && left === false) return false;
  if (operator === '||' && left === true) return true;
  const right = term(rightNodes, scope);
  if (operator === '&&' && right === false) return false;
  if (operator === '||' && right === true) return true;
  if (left instanceof Unknown || left instanceof Ref) return unknownFrom(left, node);
  if (right instanceof Unknown || right instanceof Ref) return unknownFrom(right, node);
  switch (operator) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right);
    case '!=':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '&&':
    case '||':
      return typeof left === 'boolean' && typeof right === 'boolean' ? (operator === '&&' ? left && right : left || right) : new Unknown(`${operator} needs booleans`);
    default: {
      const a = typeof left === 'string' ? Number(left) : left;
      const b = typeof right === 'string' ? Number(right) : right;
      if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b)) return new Unknown(`${operator} needs numbers: ${node.text}`);
      switch (operator) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '>': return a > b;
        case '>=': return a >= b;
        default: return new Unknown(`unknown operator ${operator}`);
      }
    }
  }
}

function unknownFrom(v: Unknown | Ref, node: Node): Unknown {
  return v instanceof Unknown ? v : new Unknown(`${node.text.slice(0, 60)} depends on ${v.text}, known only after apply`);
}

function forExpression(node: Node, scope: Scope): Value {
  const intro = named(node).find((c) => c.type === 'for_intro')!;
  const names = named(intro).filter((c) => c.type === 'identifier').map((c) => c.text);
  const source = evaluate(named(intro).find((c) => c.type === 'expression')!, scope);
  if (source instanceof Unknown || source instanceof Ref) return unknownFrom(source, node);
  const entries: Array<[Value, Value]> = Array.isArray(source)
    ? source.map((v, i) => [i, v])
    : isMap(source)
      ? Object.entries(source).map(([k, v]) => [k, v])
      : [];
  const body = named(node).filter((c) => c.type === 'expression');
  const condition = named(node).find((c) => c.type === 'for_cond');
  const bind = (key: Value, value: Value): Scope => child(scope, names.length === 2 ? { [names[0]!]: key, [names[1]!]: value } : { [names[0]!]: value });
  const kept = entries.filter(([k, v]) => {
    if (!condition) return true;
    const test = evaluate(named(condition)[0]!, bind(k, v));
    return test === true;
  });
  if (node.type === 'for_tuple_expr') return kept.map(([k, v]) => evaluate(body[0]!, bind(k, v)));
  const out: ValueMap = {};
  for (const [k, v] of kept) {
    const s = bind(k, v);
    const key = evaluate(body[0]!, s);
    if (typeof key !== 'string' && typeof key !== 'number') return new Unknown(`a key of ${node.text.slice(0, 60)} is unknown`);
    out[String(key)] = evaluate(body[1]!, s);
  }
  return out;
}

// ---------------------------------------------------------------- functions

function call(node: Node, scope: Scope): Value {
  const name = named(node).find((c) => c.type === 'identifier')?.text ?? '';
  const argsNode = named(node).find((c) => c.type === 'function_arguments');
  const args = argsNode ? named(argsNode).filter((c) => c.type === 'expression').map((c) => evaluate(c, scope)) : [];
  const fn = FUNCTIONS[name.replace(/^provider::[^:]+::/, '')];
  if (!fn) return new Unknown(`the function ${name}() is not evaluated by atrest`);
  // try() and can() decide on unknown arguments themselves. jsonencode writes another
  // resource's attribute as its reference text: a policy that names a resource's ARN
  // names one resource, never everyone, which is what policy readers need to know.
  if (name === 'jsonencode') {
    const bad = args.map((a) => deepUnknown(refsAsText(a))).find((u) => u instanceof Unknown);
    if (bad) return bad;
    return jsonencode(refsAsText(args[0] ?? null));
  }
  if (name !== 'try' && name !== 'can' && name !== 'coalesce') {
    const bad = args.find((a) => deepUnknown(a));
    if (bad) return bad instanceof Unknown ? bad : new Unknown(`${name}() of a value known only after apply`);
  }
  try {
    return fn(args);
  } catch (error) {
    return new Unknown(`${name}(): ${(error as Error).message}`);
  }
}

function refsAsText(value: Value): Value {
  if (value instanceof Ref) return `\${${value.text}}`;
  if (value instanceof Unknown && value.text !== undefined) return value.text;
  if (Array.isArray(value)) return value.map(refsAsText);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, refsAsText(v)]));
  return value;
}

/** An Unknown (or a Ref, for functions that need the value itself) anywhere inside. */
function deepUnknown(value: Value): Unknown | Ref | null {
  if (value instanceof Unknown || value instanceof Ref) return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const u = deepUnknown(v);
      if (u) return u;
    }
  } else if (isMap(value)) {
    for (const v of Object.values(value)) {
      const u = deepUnknown(v);
      if (u) return u;
    }
  }
  return null;
}

const text = (v: Value): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(`expected text, got ${describe(v)}`);
};
const list = (v: Value): Value[] => {
  if (Array.isArray(v)) return v;
  throw new Error(`expected a list, got ${describe(v)}`);
};
const map = (v: Value): ValueMap => {
  if (isMap(v)) return v;
  throw new Error(`expected an object, got ${describe(v)}`);
};

/** JSON text as Terraform's jsonencode writes it (no spaces, keys sorted as in Terraform's object types). */
function jsonencode(v: Value): string {
  const plainValue = (x: Value): unknown => {
    if (Array.isArray(x)) return x.map(plainValue);
    if (isMap(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, plainValue(x[k]!)]));
    return x;
  };
  return JSON.stringify(plainValue(v));
}

function fromJson(parsed: unknown): Value {
  if (Array.isArray(parsed)) return parsed.map(fromJson);
  if (parsed && typeof parsed === 'object') return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, fromJson(v)]));
  return parsed as Value;
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  jsonencode: ([v]) => jsonencode(v ?? null),
  jsondecode: ([v]) => fromJson(JSON.parse(text(v ?? null))),
  tostring: ([v]) => (v === null ? null : text(v ?? null)),
  tonumber: ([v]) => Number(text(v ?? null)),
  tobool: ([v]) => (typeof v === 'boolean' ? v : text(v ?? null) === 'true'),
  tolist: ([v]) => list(v ?? null),
  toset: ([v]) => [...new Map(list(v ?? null).map((x) => [JSON.stringify(x), x])).values()],
  tomap: ([v]) => map(v ?? null),
  lower: ([v]) => text(v ?? null).toLowerCase(),
  upper: ([v]) => text(v ?? null).toUpperCase(),
  trimspace: ([v]) => text(v ?? null).trim(),
  join: ([sep, l]) => list(l ?? null).map(text).join(text(sep ?? null)),
  split: ([sep, s]) => text(s ?? null).split(text(sep ?? null)),
  concat: (args) => args.flatMap((a) => list(a)),
  merge: (args) => Object.assign({}, ...args.filter((a) => a !== null).map(map)),
  length: ([v]) => (typeof v === 'string' ? v.length : Array.isArray(v) ? v.length : Object.keys(map(v ?? null)).length),
  element: ([l, i]) => {
    const items = list(l ?? null);
    return items[Number(i) % items.length] ?? null;
  },
  lookup: ([m, k, d]) => {
    const obj = map(m ?? null);
    const key = text(k ?? null);
    if (key in obj) return obj[key]!;
    if (d === undefined) throw new Error(`no key "${key}" and no default`);
    return d;
  },
  keys: ([m]) => Object.keys(map(m ?? null)).sort(),
  values: ([m]) => Object.keys(map(m ?? null)).sort().map((k) => map(m ?? null)[k]!),
  contains: ([l, v]) => list(l ?? null).some((x) => JSON.stringify(x) === JSON.stringify(v)),
  distinct: ([l]) => [...new Map(list(l ?? null).map((x) => [JSON.stringify(x), x])).values()],
  compact: ([l]) => list(l ?? null).filter((x) => x !== null && x !== ''),
  flatten: ([l]) => {
    const flat = (items: Value[]): Value[] => items.flatMap((x) => (Array.isArray(x) ? flat(x) : [x]));
    return flat(list(l ?? null));
  },
  coalesce: (args) => {
    for (const a of args) {
      if (a instanceof Unknown || a instanceof Ref) return a instanceof Unknown ? a : new Unknown(`coalesce() of ${a.text}, known only after apply`);
      if (a !== null && a !== '') return a;
    }
    throw new Error('no non-null argument');
  },
  try: (args) => {
    for (const a of args) if (!(a instanceof Unknown)) return a;
    return args.at(-1) ?? null;
  },
  can: ([v]) => (v instanceof Unknown ? new Unknown(`can() of an unknown value: ${v.reason}`) : true),
  format: ([f, ...rest]) => {
    let i = 0;
    return text(f ?? null).replace(/%(%|[sdvq])/g, (m, c: string) => {
      if (c === '%') return '%';
      const v = rest[i++] ?? null;
      return c === 'q' ? JSON.stringify(text(v)) : c === 'v' && typeof v !== 'string' ? JSON.stringify(v) : text(v);
    });
  },
  replace: ([s, a, b]) => text(s ?? null).split(text(a ?? null)).join(text(b ?? null)),
  substr: ([s, o, l]) => text(s ?? null).substr(Number(o), Number(l) < 0 ? undefined : Number(l)),
  min: (args) => Math.min(...args.map(Number)),
  max: (args) => Math.max(...args.map(Number)),
};
