// Headless Chromium from the system (Debian's `chromium` package), driven by playwright-core:
// no browser download. CHROMIUM_PATH overrides where it is.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given) return given;
  // Debian's /usr/bin/chromium is a shell wrapper; the binary behind it starts faster and quieter.
  for (const p of ['/usr/lib/chromium/chromium']) if (fs.existsSync(p)) return p;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('no Chromium found: install the `chromium` package or set CHROMIUM_PATH');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--disable-dev-shm-usage'] });
}
