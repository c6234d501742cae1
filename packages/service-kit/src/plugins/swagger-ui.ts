/// <reference path="./swagger-ui-dist.d.ts" />
import { Elysia } from 'elysia'
import faviconPath from 'swagger-ui-dist/favicon-32x32.png' with { type: 'file' }
import cssPath from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' }
// Swagger UI's own files, from the pinned swagger-ui-dist package. Imported as files, they are embedded in the
// executable that `bun build --compile` makes (the path then points into it), and read from node_modules otherwise.
import bundlePath from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' }

// Swagger UI at /swagger, entirely from the service's own origin: no CDN, so it works offline and runs no script
// from anywhere else. Its page and files carry a Content-Security-Policy that allows only that origin (and, like
// every answer, X-Content-Type-Options: nosniff, from request-context):
// - no inline script: Swagger UI is started by a script file of its own (swagger-ui-init.js);
// - style-src 'self' is enough: Swagger UI (React) sets styles through the DOM (element.style), which a CSP
//   does not restrict, and its stylesheet is a file;
// - img-src also allows data: URLs, which swagger-ui.css uses for its icons.

export const SWAGGER_UI_PATH = '/swagger'
const ASSETS_PATH = `${SWAGGER_UI_PATH}/assets`

export const SWAGGER_UI_HEADERS = {
  'content-security-policy': [
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
}

const JAVASCRIPT = 'text/javascript; charset=utf-8'

export interface SwaggerUiOptions {
  /** The page's title: the service's. */
  title: string
  /** Where the OpenAPI document is served. */
  specPath: string
}

export const swaggerUi = ({ title, specPath }: SwaggerUiOptions) => {
  // A BunFile is only a reference: each response reads the file (from the executable, once compiled).
  const files: Record<string, [body: Blob | string, contentType: string]> = {
    'swagger-ui.css': [Bun.file(cssPath), 'text/css; charset=utf-8'],
    'swagger-ui-bundle.js': [Bun.file(bundlePath), JAVASCRIPT],
    'swagger-ui-init.js': [initScript(specPath), JAVASCRIPT],
    'favicon-32x32.png': [Bun.file(faviconPath), 'image/png'],
  }
  const page = pageHtml(title)
  const plugin = new Elysia({ name: 'swagger-ui' }).get(
    SWAGGER_UI_PATH,
    () => new Response(page, { headers: { ...SWAGGER_UI_HEADERS, 'content-type': 'text/html; charset=utf-8' } }),
    { detail: { hide: true } },
  )
  for (const [name, [body, contentType]] of Object.entries(files)) {
    plugin.get(
      `${ASSETS_PATH}/${name}`,
      () =>
        new Response(body, {
          headers: { ...SWAGGER_UI_HEADERS, 'content-type': contentType, 'cache-control': 'public, max-age=3600' },
        }),
      { detail: { hide: true } },
    )
  }
  return plugin
}

function pageHtml(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${ASSETS_PATH}/swagger-ui-init.js"></script>
</body>
</html>
`
}

function initScript(specPath: string): string {
  return `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(specPath)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The badge of the public validator would send the document to validator.swagger.io.
  validatorUrl: null,
})
`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}
