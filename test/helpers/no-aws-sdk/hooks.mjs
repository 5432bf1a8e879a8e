export async function resolve(specifier, context, nextResolve) {
  if (/^@aws-sdk\/client-/.test(specifier)) {
    throw new Error(`atrest test: ${specifier} was imported`);
  }
  return nextResolve(specifier, context);
}
