// @ts-check
/**
 * The TypeDoc plugin of the vib site (loaded from typedoc.json). Two rules for packages mode:
 *
 * 1. Cross-package links. Each package is converted on its own, so a comment in @vib/priors that
 *    says `@throws {@link ConfigError}` cannot see @vib/core's ConfigError at conversion time.
 *    After the merge, this resolver looks the first name of such a reference up among the
 *    top-level exports of every package and, when exactly one package exports it, follows the
 *    rest of the path from there. An ambiguous or missing name stays unresolved, so the
 *    invalidLink validation still fails the build on a genuinely broken link.
 *
 * 2. What "every export documented" means. The notDocumented validation also walks the members
 *    of anonymous object types (`{ low: number; high: number }` written inline, or the type a zod
 *    schema infers). Those members are not exported symbols: the declaration that holds the type
 *    documents them. This plugin lists exactly those undocumented members as intentionally not
 *    documented, so every named export, interface member and class member must still carry TSDoc.
 */
import { Application, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.addUnknownSymbolResolver((ref, refl) => {
    if (ref.moduleSource !== undefined) return undefined;
    const path = ref.symbolReference?.path;
    if (!path || path.length === 0) return undefined;
    const modules = refl.project.getChildrenByKind(ReflectionKind.Module);
    const [first, ...rest] = path;
    if (first === undefined) return undefined;
    const hits = modules.flatMap((m) => {
      const child = m.getChildByName(first.path);
      return child ? [child] : [];
    });
    if (hits.length !== 1) return undefined;
    /** @type {import('typedoc').Reflection | undefined} */
    let target = hits[0];
    for (const part of rest) {
      target = target && 'getChildByName' in target ? /** @type {any} */ (target).getChildByName(part.path) : undefined;
    }
    // TypeDoc reads a resolver's object result as { target, caption }.
    return target === undefined ? undefined : { target };
  });

  app.on(Application.EVENT_PROJECT_REVIVE, (project) => {
    const members = project.getReflectionsByKind(ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor);
    const required = new Set(app.options.getValue('packagesRequiringDocumentation'));
    /** @param {import('typedoc').Reflection} r */
    const underParameter = (r) => {
      for (let p = r.parent; p; p = p.parent) if (p.kindOf(ReflectionKind.Parameter)) return true;
      return false;
    };
    // Exactly the members the notDocumented check would report (it skips parameters' types and
    // packages not requiring documentation), so the list never names something unused.
    const anonymous = members
      .filter((r) => r.parent?.kindOf(ReflectionKind.TypeLiteral) && !r.hasComment() && !underParameter(r))
      .filter((r) => required.has(project.getSymbolIdFromReflection(r)?.packageName ?? ''))
      .map((r) => r.getFriendlyFullName());
    const configured = app.options.getValue('intentionallyNotDocumented');
    app.options.setValue('intentionallyNotDocumented', [...new Set([...configured, ...anonymous])]);
  });
}
