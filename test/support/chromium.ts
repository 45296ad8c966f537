/**
 * How the browser tests start Debian's Chromium (installed by apt in `scripts/setup.sh`; never a
 * downloaded browser): headless, as root, with the background networking a closed machine refuses
 * turned off.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
