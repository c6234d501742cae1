// Which methods an app answers on a path, for the Allow header of a 405. Built from the app's route list when a
// request first needs it (and again if routes were added since), so it sees the routes a service adds after
// createService.

interface RouteList {
  routes: readonly { method: string; path: string }[]
}

interface RouteMatcher {
  pattern: RegExp
  method: string
}

/** A lookup of the methods `app` answers on a (percent-encoded) path, in alphabetical order; GET implies HEAD. */
export function allowedMethodsOf(app: RouteList): (path: string) => string[] {
  let matchers: RouteMatcher[] = []
  let builtFromRoutes = -1
  return (path) => {
    if (builtFromRoutes !== app.routes.length) {
      matchers = app.routes.filter((route) => route.method !== 'ALL' && route.method !== 'WS').map(toMatcher)
      builtFromRoutes = app.routes.length
    }
    // Elysia answers "/health/" like "/health" (its paths are not strict).
    const loosePath = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
    const methods = new Set<string>()
    for (const { pattern, method } of matchers) {
      if (!pattern.test(loosePath)) continue
      methods.add(method)
      // Elysia answers HEAD with the GET route, without the body.
      if (method === 'GET') methods.add('HEAD')
    }
    return [...methods].sort()
  }
}

function toMatcher({ method, path }: { method: string; path: string }): RouteMatcher {
  const segments = path.split('/').map((segment) => {
    if (segment === '*') return '.*'
    if (segment.startsWith(':')) return segment.endsWith('?') ? '[^/]*' : '[^/]+'
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  })
  return { pattern: new RegExp(`^${segments.join('/')}$`), method }
}
