import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The root key, an account API key (`c2m_key_….…`), or a consumer JWT where noted.',
  });
  return registry;
}

export function openApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'c2m — Connect to Messaging',
      version: '1',
      description: 'Proactive campaigns and IVR deflection to app messaging. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: '/' }],
  });
}

/** `/docs`: Swagger UI (static assets from swagger-ui-dist) reading `/openapi.json`. */
export function docsRouter(): Router {
  const router = express.Router();
  const assets = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>c2m API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`);
  });
  router.use('/docs/assets', express.static(assets, { index: false }));
  return router;
}
