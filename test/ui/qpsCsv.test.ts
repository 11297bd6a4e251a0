/** qps.csv refuses malformed rows by line (issue 19 item 4): no row is skipped or read as 0. */
import { describe, expect, it } from 'vitest';
import { parseQpsCsv } from '../../src/ui/lib/qpsCsv.ts';

const HEAD = 'timestamp_anon,value,container_ip,request_type';
const csv = (...rows: string[]): string => [HEAD, '1000,2,a,Generative Requests', ...rows].join('\n');

describe('parseQpsCsv refuses nonsense with the line number', () => {
  it.each([
    ['a short row', '1100,3', /line 3: expected 4 columns/],
    ['a short row of another type', '1100', /line 3: expected 4 columns/],
    ['an empty value', '1100,,b,Generative Requests', /line 3: value must be a decimal number ≥ 0, got ""/],
    ['an empty timestamp', ',3,b,Generative Requests', /line 3: timestamp_anon must be a decimal number/],
    ['a hex value', '1100,0x10,b,Generative Requests', /line 3: value .*"0x10"/],
    ['a hex timestamp', '0x44c,1,b,Generative Requests', /line 3: timestamp_anon .*"0x44c"/],
    ['NaN', '1100,NaN,b,Generative Requests', /line 3: value .*"NaN"/],
    ['Infinity', '1100,Infinity,b,Generative Requests', /line 3: value/],
    ['a negative value', '1100,-5,b,Generative Requests', /line 3: value must be a decimal number ≥ 0, got "-5"/],
  ])('%s', (_what, row, message) => {
    expect(() => parseQpsCsv(csv(row))).toThrow(message);
  });

  it('still reads decimals, exponents and an empty container_ip', () => {
    expect(parseQpsCsv(csv('1100,1.5e0,,Generative Requests'))).toEqual([{ hour: 0.25, qps: 3.5 }]);
  });

  it('quotes at most 200 characters of a huge cell', () => {
    let msg = '';
    try {
      parseQpsCsv(csv(`1100,${'9x'.repeat(50_000)},b,Generative Requests`));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/line 3: value/);
    expect(msg).toMatch(/100,000 chars/);
    expect(msg.length).toBeLessThan(400);
  });
});
