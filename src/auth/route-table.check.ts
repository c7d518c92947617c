import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { ROUTE_PERMISSIONS, routeKey } from './permissions';

const asList = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : [String(v ?? '')]);

/** `/a/b` from a controller's and a handler's paths, as Nest hands them to Fastify. */
export function joinPath(controllerPath: string, handlerPath: string): string {
  const parts = [controllerPath, handlerPath]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '');
  return `/${parts.join('/')}`;
}

/** Every `METHOD /path` the application's controllers declare. */
export function declaredRoutes(modules: ModulesContainer): string[] {
  const keys = new Set<string>();
  for (const mod of modules.values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type?.prototype) continue;
      const bases = asList(Reflect.getMetadata(PATH_METADATA, type));
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
        if (paths === undefined || typeof method !== 'number') continue;
        const verbs =
          method === (RequestMethod.ALL as number)
            ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
            : [RequestMethod[method]];
        for (const base of bases)
          for (const path of asList(paths))
            for (const verb of verbs) keys.add(routeKey(verb, joinPath(base, path)));
      }
    }
  }
  return [...keys].sort();
}

/** Routes with no row (refused at every call) and rows with no route (stale). */
export function compareWithTable(routes: string[]): { missing: string[]; stale: string[] } {
  const declared = new Set(routes);
  return {
    missing: routes.filter((k) => !ROUTE_PERMISSIONS[k]),
    stale: Object.keys(ROUTE_PERMISSIONS).filter((k) => !declared.has(k)),
  };
}
