/**
 * The public-surface analysis behind test/unit/public-surface.test.ts, run as a plain Node
 * process: loading the TypeScript compiler through the test runner's module pipeline took over
 * a minute, a plain process takes seconds. Prints JSON: the root's runtime names (`values`), its
 * type-only names (`types`), and every type a public signature uses that the root does not
 * export (`missing`: `Name (file) <- where it is used`).
 */
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src') + path.sep;
const ENTRY = path.join(ROOT, 'src/index.ts');

const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
const program = ts.createProgram([ENTRY], { ...options, noEmit: true });
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(ENTRY));

const exported = new Set();
const valueExports = new Set();
const values = [];
const types = [];
const roots = [];
// `export type { SomeClass }` names the class but gives no constructor: a type-only export.
const typeOnly = (sym) => (sym.declarations ?? []).some((d) => ts.isTypeOnlyImportOrExportDeclaration(d));
for (const sym of checker.getExportsOfModule(moduleSymbol)) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  exported.add(target);
  roots.push([sym.name, target]);
  if (target.flags & ts.SymbolFlags.Value && !typeOnly(sym)) {
    values.push(sym.name);
    valueExports.add(target);
  } else types.push(sym.name);
}

const ours = (decl) => decl.getSourceFile().fileName.startsWith(SRC);
const seen = new Set();
const missing = new Set();

/** Declared, nameable types of ours: what a user would have to write down. */
const named = (sym) =>
  !!sym &&
  !!(sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Enum)) &&
  (sym.declarations ?? []).some(ours);

const hidden = (decl) => {
  const flags = ts.getCombinedModifierFlags(decl);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || decl.name?.kind === ts.SyntaxKind.PrivateIdentifier;
};

function visitSignature(sig, where) {
  for (const p of sig.getParameters()) visitType(checker.getTypeOfSymbol(p), `${where}(${p.name})`);
  visitType(sig.getReturnType(), `${where}()`);
}

function visitMembers(type, where) {
  for (const prop of checker.getPropertiesOfType(type)) {
    const decls = prop.declarations ?? [];
    if (decls.some(hidden) || prop.name.startsWith('__@') || !decls.some(ours)) continue;
    visitType(checker.getTypeOfSymbol(prop), `${where}.${prop.name}`);
  }
  for (const sig of type.getCallSignatures()) visitSignature(sig, where);
  for (const sig of type.getConstructSignatures()) {
    // A private constructor (a facade built by a static `open`) is not part of the surface.
    if (sig.declaration && hidden(sig.declaration)) continue;
    visitSignature(sig, `new ${where}`);
  }
  for (const info of checker.getIndexInfosOfType(type)) visitType(info.type, `${where}[]`);
}

function visitType(type, where) {
  if (seen.has(type)) return;
  seen.add(type);
  const sym = type.aliasSymbol ?? type.getSymbol();
  if (named(sym) && !exported.has(sym)) {
    const file = path.relative(ROOT, sym.declarations.find(ours).getSourceFile().fileName);
    missing.add(`${sym.name} (${file}) <- ${where}`);
  }
  for (const arg of type.aliasTypeArguments ?? []) visitType(arg, where);
  if (type.isUnionOrIntersection()) for (const t of type.types) visitType(t, where);
  if (type.flags & ts.TypeFlags.Object) {
    if (type.objectFlags & ts.ObjectFlags.Reference) for (const arg of checker.getTypeArguments(type)) visitType(arg, where);
    // Members of library types (Promise, Map, zod schemas) are not ours to export.
    const decls = type.getSymbol()?.declarations ?? [];
    if (decls.length === 0 || decls.some(ours)) visitMembers(type, sym?.name ?? where);
  }
}

for (const [name, sym] of roots) {
  if (sym.flags & ts.SymbolFlags.Class) {
    const decl = sym.valueDeclaration ?? sym.declarations[0];
    if (valueExports.has(sym)) visitMembers(checker.getTypeOfSymbolAtLocation(sym, decl), name); // statics, constructor
    visitMembers(checker.getDeclaredTypeOfSymbol(sym), name); // instance side
  } else if (valueExports.has(sym)) {
    visitType(checker.getTypeOfSymbol(sym), name);
  } else {
    visitType(checker.getDeclaredTypeOfSymbol(sym), name);
  }
}

process.stdout.write(JSON.stringify({ values: values.sort(), types: types.sort(), missing: [...missing].sort() }));
