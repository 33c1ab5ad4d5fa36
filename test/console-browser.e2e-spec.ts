import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DeadLetterService } from 'nestjs-event-bus';
import { OPERATOR, startConsoleFixture, type ConsoleFixture } from './support/console-fixture';
import { waitFor } from './support/wait-for';

/** Debian's Chromium; nothing is downloaded. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Set to a file path (e.g. docs/images/console.png) to have the page photographed along the way. */
const SCREENSHOT = process.env.CONSOLE_SCREENSHOT;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('operator console in a real browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let fixture: ConsoleFixture;
  let deadLetters: DeadLetterService;
  const ids: string[] = [];

  const row = (id: string) => page.locator(`#letters tr[data-event-id="${id}"]`);
  const letterRows = () => page.locator('#letters tr[data-event-id]');
  const deadLetterCell = () => page.locator(`#queues tr[data-queue="${fixture.queue}"] td.dead-letters`);
  const waitForText = (selector: string, text: string) => page.locator(selector, { hasText: text }).first().waitFor({ timeout: 15_000 });
  const waitForRows = (count: number) =>
    waitFor(async () => (await letterRows().count()) === count, { message: `${count} dead letter row(s) on the page` });

  beforeAll(async () => {
    // A missing browser is a failure, never a skip: the console would go untested.
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM_PATH}: install the Debian package (apt-get install chromium) or set CHROMIUM_PATH; the console's browser tests need it`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    fixture = await startConsoleFixture('cons-ui', undefined, 'subscription');
    deadLetters = fixture.service.app.get(DeadLetterService);
    context = await browser.newContext({ httpCredentials: { ...OPERATOR }, viewport: { width: 1360, height: 860 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await fixture?.close();
  });

  it('is refused to a browser with wrong or no credentials', async () => {
    const guessing = await browser.newContext({ httpCredentials: { username: OPERATOR.username, password: 'guess' } });
    const anonymous = await browser.newContext();
    try {
      const guessed = await guessing.newPage();
      const response = await guessed.goto(fixture.consoleUrl);
      expect(response?.status()).toBe(401);
      expect(await guessed.locator('#queues').count()).toBe(0);
      const plain = await anonymous.request.get(fixture.consoleUrl);
      expect(plain.status()).toBe(401);
      expect(plain.headers()['www-authenticate']).toContain('Basic');
      expect((await anonymous.request.get(`${fixture.consoleUrl}/api/queues`)).status()).toBe(401);
    } finally {
      await guessing.close();
      await anonymous.close();
    }
  });

  it('shows the queue, then dead letters as they arrive, without a reload', async () => {
    await page.goto(fixture.consoleUrl);
    await deadLetterCell().waitFor();
    expect(await deadLetterCell().textContent()).toBe('0');
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'same page'));
    for (let i = 0; i < 3; i++) ids.push(await fixture.publish({ customer: `bad-${i}`, amount: 10 + i }));
    await waitFor(async () => (await deadLetterCell().textContent()) === '3', { message: 'the page showing three dead letters' });
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe('same page');
    await page.locator(`#queues tr[data-queue="${fixture.queue}"]`).click();
    await waitForRows(3);
    expect(await letterRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')))).toEqual(ids);
    expect(await row(ids[0]).textContent()).toContain('customer bad-0 is blocked');
  });

  it('opens a dead letter; a bad edit is refused on the page and the letter stays; a good edit replays', async () => {
    await row(ids[0]).click();
    await page.locator('#detail').waitFor();
    expect(await page.locator('#detail-headers').textContent()).toContain('x-retry-history');
    expect(await page.locator('#detail-history tbody').textContent()).toContain('customer bad-0 is blocked');
    const body = page.locator('#detail-body');
    const event = JSON.parse(await body.inputValue());
    expect(event.data).toEqual({ customer: 'bad-0', amount: 10 });

    await body.fill('{ "data": ');
    await page.locator('#detail-replay-edited').click();
    await waitForText('#detail-problems', 'body is not JSON');
    await body.fill(JSON.stringify({ ...event, data: { customer: 'good-0', amount: 0 } }, null, 2));
    await page.locator('#detail-replay-edited').click();
    await waitForText('#detail-problems', 'data: amount must not be less than 1');
    expect(await deadLetters.count(fixture.queue)).toBe(3);

    await body.fill(JSON.stringify({ ...event, data: { customer: 'good-0', amount: 99 } }, null, 2));
    await page.locator('#detail-replay-edited').click();
    await waitForText('#flash', 'Replayed 1 dead letter(s) with the edited body');
    await waitFor(() => fixture.handled.some((e) => e.id === ids[0]), { message: 'the edited invoice handled' });
    expect(fixture.handled.find((e) => e.id === ids[0])!.data).toEqual({ customer: 'good-0', amount: 99 });
    await waitForRows(2);
    expect(await page.locator('#detail').isVisible()).toBe(false);
  });

  it('says so when the dead letter was replayed meanwhile, and runs the handler once', async () => {
    await row(ids[1]).click();
    await page.locator('#detail').waitFor();
    fixture.failing.value = false;
    await deadLetters.replay(fixture.queue, { ids: [ids[1]] }); // someone else was quicker
    await waitFor(() => fixture.handled.some((e) => e.id === ids[1]), { message: 'the invoice replayed behind the page’s back' });
    await page.locator('#detail-replay').click();
    await waitForText('#detail-problems', `No dead letter ${ids[1]}`);
    expect(await page.locator('#detail-problems').textContent()).toContain('replayed or purged already');
    await page.locator('#detail-close').click();
    await waitForRows(1);
    expect(fixture.handled.filter((e) => e.id === ids[1])).toHaveLength(1);
  });

  it('replays a selection', async () => {
    fixture.failing.value = true;
    for (let i = 3; i < 6; i++) ids.push(await fixture.publish({ customer: `bad-${i}`, amount: 10 + i }));
    await waitForRows(4);
    fixture.failing.value = false;
    await row(ids[2]).locator('input[type=checkbox]').check();
    await row(ids[3]).locator('input[type=checkbox]').check();
    await page.locator('#replay-selected', { hasText: 'Replay selected (2)' }).click();
    await waitForText('#flash', 'Replayed 2 dead letter(s)');
    await waitFor(() => [ids[2], ids[3]].every((id) => fixture.handled.some((e) => e.id === id)), { message: 'the selection handled' });
    await waitForRows(2);
    expect(await letterRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')))).toEqual([ids[4], ids[5]]);
  });

  it('replays all only after confirmation', async () => {
    await page.locator('#replay-all').click();
    await waitForText('#confirm-text', 'Replay all 2 dead letter(s)');
    await page.locator('#confirm-cancel').click();
    expect(await deadLetters.count(fixture.queue)).toBe(2);
    await page.locator('#replay-all').click();
    await page.locator('#confirm-ok').click();
    await waitForText('#flash', 'Replayed 2 dead letter(s)');
    await waitFor(() => [ids[4], ids[5]].every((id) => fixture.handled.some((e) => e.id === id)), { message: 'all handled' });
    await waitForText('#letters', 'No dead letters.');
    expect(fixture.handled.map((e) => e.id).sort()).toEqual([...ids].sort());
  });

  it('purges only after confirmation', async () => {
    fixture.failing.value = true;
    const more = [];
    for (let i = 6; i < 10; i++) more.push(await fixture.publish({ customer: `bad-${i}`, amount: 100 * i }));
    await waitForRows(4);
    if (SCREENSHOT) {
      await row(more[1]).click();
      await page.locator('#detail').waitFor();
      await page.locator('#detail-close').click();
      const path = resolve(__dirname, '..', SCREENSHOT);
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: true });
    }
    await page.locator('#purge').click();
    await waitForText('#confirm-text', 'Delete all 4 dead letter(s)');
    await page.locator('#confirm-ok').click();
    await waitForText('#flash', `Purged 4 dead letter(s) from ${fixture.deadLetterQueue}`);
    expect(await deadLetters.count(fixture.queue)).toBe(0);
    await waitFor(async () => (await deadLetterCell().textContent()) === '0', { message: 'the queue row back to zero' });
  });
});
