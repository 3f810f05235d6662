import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import type { Config } from '../worker/config.js';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

/**
 * `/console`: the operator console, plain static files from web/ that call the public API with the
 * key the user signs in with. The only server-side piece is config.json, unauthenticated because it
 * holds nothing but where the Temporal UI lives (the browser needs it before any key is known).
 */
export function consoleRouter(config: Config): Router {
  const router = express.Router();
  const chartDist = path.dirname(createRequire(import.meta.url).resolve('chart.js'));
  const settings = { temporalUiUrl: config.temporal.uiUrl.replace(/\/+$/, ''), temporalNamespace: config.temporal.namespace };
  router.get('/console/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(settings);
  });
  router.get('/console/vendor/chart.umd.js', (_req, res) => {
    res.sendFile(path.join(chartDist, 'chart.umd.min.js'));
  });
  // `/console` without the slash would resolve the page's relative module URLs against `/`.
  router.get('/console', (req, res, next) => (req.originalUrl === '/console' ? res.redirect(301, '/console/') : next()));
  router.use('/console', express.static(webDir, { index: 'index.html', redirect: false }));
  return router;
}
