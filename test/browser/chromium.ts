/**
 * Debian's chromium (installed by .ci/run), driven by playwright-core: never a downloaded browser.
 * Headless, with nothing in the background that would go online (the machine has no network; those
 * attempts would only be noise). Playwright gives every launch a fresh temporary profile directory
 * (its own --user-data-dir) and removes it on close.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
