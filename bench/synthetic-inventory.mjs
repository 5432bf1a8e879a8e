// A synthetic inventory of N resources built from the demo account
// (fixtures/demo/), for benchmarks of the offline half. Every 25 copies of
// the demo's non-KMS resources share one copy of its 43 keys (and their
// kms:key resources), so keys stay about 2 % of the resources, as in a real
// account, and a key has many dependants. Copy i suffixes every resource
// ARN with -c<i>, key group g every key ARN with -g<g>: keys still match
// their dependants; account settings (EBS encryption by default) are not
// copied, since an account has one per region; and the rules see the demo's mix of levels, states and
// failures at scale.
// Use: node bench/synthetic-inventory.mjs RESOURCES OUT.json
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mergeInventories } from '../dist/inventory-file.js';

const ARN = /arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:[A-Za-z0-9_./:-]+/g;
const COPIES_PER_KEY_GROUP = 25;

export function syntheticInventory(count) {
  const dir = new URL('../fixtures/demo/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const { inventory: demo } = mergeInventories(files.map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'))));
  const isKey = (r) => r.service === 'kms' && r.type === 'key';
  // Account settings exist once per account and region: they are not copied.
  const isSetting = (r) => r.type === 'ebs-encryption-by-default';
  const dataText = JSON.stringify(demo.resources.filter((r) => !isKey(r) && !isSetting(r)));
  const keyText = JSON.stringify({ keys: demo.keys, resources: demo.resources.filter(isKey) });
  const rename = (text, copy, group) => text.replace(ARN, (arn) => (arn.startsWith('arn:aws:kms:') ? `${arn}-g${group}` : `${arn}-c${copy}`));
  const keys = [];
  const resources = demo.resources.filter(isSetting);
  for (let copy = 0; resources.length < count; copy += 1) {
    const group = Math.floor(copy / COPIES_PER_KEY_GROUP);
    if (copy % COPIES_PER_KEY_GROUP === 0) {
      const k = JSON.parse(rename(keyText, copy, group));
      keys.push(...k.keys);
      resources.push(...k.resources);
    }
    resources.push(...JSON.parse(rename(dataText, copy, group)));
  }
  resources.length = Math.min(resources.length, count);
  return { ...demo, keys, resources };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 100000);
  const out = process.argv[3] ?? `inventory-${count}.json`;
  const inventory = syntheticInventory(count);
  // As `atrest collect` writes it: two-space indented.
  writeFileSync(out, `${JSON.stringify(inventory, null, 2)}\n`);
  console.log(`${out}: ${inventory.resources.length} resources, ${inventory.keys.length} keys`);
}
