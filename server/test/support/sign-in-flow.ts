/**
 * A browserless sign-in through Entente's broker and a demo provider, as a browser would do it:
 * follow redirects by hand, keep each site's cookies, fill in the demo provider's login form.
 * Used by the sign-in tests and the sign-in benchmark.
 */
export class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();
  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(host, jar);
  }
  header(url: string): string {
    const jar = this.#cookies.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  get(url: string, name: string): string | undefined {
    return this.#cookies.get(new URL(url).host)?.get(name);
  }
}

export interface FlowResult {
  /** The last URL reached (Entente's page after sign-in, or the sign-in page with an error). */
  finalUrl: URL;
  jar: CookieJar;
  steps: number;
  /** Status and start of the last response that was neither a redirect nor the login form. */
  last: { status: number; text: string };
}

export async function signInThroughDemoIdp(
  startUrl: string,
  options: { agentSub?: string; secondFactor?: boolean; jar?: CookieJar; tamper?: (url: URL) => URL } = {},
): Promise<FlowResult> {
  const jar = options.jar ?? new CookieJar();
  let url = startUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let steps = 1; steps <= 20; steps++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(url),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    jar.store(url, response);
    method = 'GET';
    body = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      let next = new URL(location, url);
      if (options.tamper && next.pathname.includes('/auth/callback/')) next = options.tamper(next);
      url = next.href;
      continue;
    }
    const html = response.headers.get('content-type')?.includes('text/html') ? await response.text() : '';
    const form = /<form method="post" action="([^"]+)"/.exec(html);
    if (response.status === 200 && form && html.includes('name="agent"')) {
      const agents = [...html.matchAll(/name="agent"[^>]*value="([^"]+)"/g)].map((m) => m[1] as string);
      const agent = options.agentSub ?? agents[0];
      if (!agent) throw new Error('no demo agent on the login page');
      const fields = new URLSearchParams({ agent });
      if (options.secondFactor) fields.set('second_factor', 'on');
      url = new URL(form[1]?.replaceAll('&amp;', '&') as string, url).href;
      method = 'POST';
      body = fields.toString();
      continue;
    }
    return { finalUrl: new URL(url), jar, steps, last: { status: response.status, text: html.slice(0, 2000) } };
  }
  throw new Error('sign-in did not finish in 20 steps');
}
