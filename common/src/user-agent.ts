/**
 * Browser and system named from a User-Agent header, for the list of an agent's sessions ("Firefox
 * on Linux"). Only the common browsers and systems, on purpose: the answer helps an agent
 * recognise their own devices, it is not a fingerprint. Anything else is "unknown", which the
 * interface words as « Navigateur inconnu ».
 *
 * Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", iOS browsers say "Mac OS X"
 * ("like Mac OS X") and Android says "Linux".
 */
export const BROWSERS = ['edge', 'opera', 'samsung', 'firefox', 'chrome', 'chromium', 'safari'] as const;
export const SYSTEMS = ['windows', 'ios', 'android', 'chromeos', 'macos', 'linux'] as const;

export type Browser = (typeof BROWSERS)[number];
export type OperatingSystem = (typeof SYSTEMS)[number];

export interface UserAgentSummary {
  browser: Browser | null;
  /** Major version of the browser, when it says one. */
  version: string | null;
  system: OperatingSystem | null;
}

const BROWSER_RULES: readonly [Browser, RegExp][] = [
  ['edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['opera', /\b(?:OPR|OPT)\/(\d+)/],
  ['samsung', /\bSamsungBrowser\/(\d+)/],
  ['firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['chromium', /\bChromium\/(\d+)/],
  ['chrome', /\b(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/],
  // Safari's own version is in Version/…; only a Safari that says so (WebViews do not).
  ['safari', /\bVersion\/(\d+)[.\d]*(?: Mobile\/\w+)? Safari\//],
];

const SYSTEM_RULES: readonly [OperatingSystem, RegExp][] = [
  ['windows', /\bWindows\b/],
  ['ios', /\b(?:iPhone|iPad|iPod)\b|\bCPU (?:iPhone )?OS \d+/],
  ['android', /\bAndroid\b/],
  ['chromeos', /\bCrOS\b/],
  ['macos', /\bMacintosh\b|\bMac OS X\b/],
  ['linux', /\bLinux\b|\bX11\b/],
];

const MAX_LENGTH = 1000;

export function parseUserAgent(userAgent: string | null | undefined): UserAgentSummary {
  // Bounded input: the regular expressions never see more than a real header would carry.
  const ua = (userAgent ?? '').slice(0, MAX_LENGTH);
  let browser: Browser | null = null;
  let version: string | null = null;
  for (const [name, pattern] of BROWSER_RULES) {
    const match = pattern.exec(ua);
    if (match) {
      browser = name;
      version = match[1] ?? null;
      break;
    }
  }
  const system = SYSTEM_RULES.find(([, pattern]) => pattern.test(ua))?.[0] ?? null;
  return { browser, version, system };
}
