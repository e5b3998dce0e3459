/**
 * What the browser tests share: the Chromium to drive (Debian's, or the one CHROMIUM_PATH names; the
 * tests skip, saying so, where there is none) and a watch on a page for everything that should not
 * happen (console errors and warnings, uncaught errors, dialogs) and for every request it makes.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** Records the page's problems and requests from now on, into the arrays returned. */
export function watchPage(page: Page): { problems: string[]; requests: string[] } {
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => requests.push(request.url()));
  return { problems, requests };
}
