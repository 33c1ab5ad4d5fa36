import { createHash } from 'node:crypto';
import { CONSOLE_PAGE_CSP, renderConsolePage } from './console-page.html';

const inline = (html: string, tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)![1];
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('renderConsolePage', () => {
  const html = renderConsolePage({ serviceName: 'billing <prod>', pageSize: 25, refreshInterval: 1500 });

  it('lets exactly its own inline script and style run (the CSP hashes match what is served)', () => {
    expect(CONSOLE_PAGE_CSP).toContain(`script-src ${hash(inline(html, 'script'))}`);
    expect(CONSOLE_PAGE_CSP).toContain(`style-src ${hash(inline(html, 'style'))}`);
    expect(CONSOLE_PAGE_CSP).toContain("connect-src 'self'");
  });

  it('loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    // The one URL is the SVG namespace name, which nothing fetches.
    expect(html.match(/https?:\/\/[^'"\s]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('escapes the service name and passes the settings to the script', () => {
    expect(html).toContain('billing &lt;prod&gt;');
    expect(html).not.toContain('billing <prod>');
    expect(html).toContain('data-refresh="1500" data-page-size="25"');
  });

  it('ships a script that parses', () => {
    expect(() => new Function(inline(html, 'script'))).not.toThrow();
  });
});
