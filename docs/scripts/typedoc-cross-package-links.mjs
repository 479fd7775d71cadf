// @ts-check
/**
 * TypeDoc plugin: resolve `{@link Name}` written in one @vib package to the export `Name` of
 * another @vib package, once the packages are merged into one site.
 *
 * In packages mode each package is converted on its own, so a comment in @vib/priors that says
 * `@throws {@link ConfigError}` cannot see @vib/core's ConfigError at conversion time. After the
 * merge this resolver looks the first name of the reference up among the top-level exports of
 * every package and, when exactly one package exports it, follows the rest of the path from
 * there. An ambiguous or missing name stays unresolved, so the invalidLink validation still
 * fails the build on a genuinely broken link.
 */
import { ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.addUnknownSymbolResolver((ref, refl) => {
    if (ref.moduleSource !== undefined || ref.resolutionStart !== 'global' && ref.resolutionStart !== 'local') {
      return undefined;
    }
    const path = ref.symbolReference?.path;
    if (!path || path.length === 0) return undefined;
    const project = refl.project;
    const modules = project.getChildrenByKind(ReflectionKind.Module);
    if (modules.length === 0) return undefined;
    const [first, ...rest] = path;
    const hits = modules.flatMap((m) => (m.getChildByName(first.path) ? [m.getChildByName(first.path)] : []));
    if (hits.length !== 1) return undefined;
    /** @type {import('typedoc').Reflection | undefined} */
    let target = hits[0];
    for (const part of rest) {
      target = target && 'getChildByName' in target ? target.getChildByName(part.path) : undefined;
    }
    return target;
  });
}
