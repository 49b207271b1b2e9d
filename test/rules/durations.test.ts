/**
 * Go durations as Istio reads them (time.ParseDuration): the values and error messages below are what
 * Go's time.ParseDuration returns for each input (checked with Go 1.2x), and agent.ValidateDuration's
 * and the CRD's CEL rule's limits.
 */
import { celDurationProblem, durationProblem, durationSyntaxProblem, parseGoDuration } from '../../src/rules/durations';

describe('parseGoDuration reads what time.ParseDuration reads', () => {
  test.each([
    ['0', 0], ['-0', 0], ['+0', 0],
    ['1ms', 1e6], ['0.5ms', 5e5], ['.5s', 5e8], ['5.s', 5e9], ['1h2m3.5s', 3723.5e9],
    ['1us', 1e3], ['1µs', 1e3], ['1μs', 1e3], ['-1.5h', -5400e9],
    // The largest duration Go has (1<<63 - 1 ns); a float cannot tell it from 1<<63, which Go refuses (left as it is).
    ['9223372036854775807ns', 2 ** 63],
  ])('%s', (value, nanos) => {
    expect(parseGoDuration(value)).toBe(nanos);
  });

  test.each(['', '-', '1', 's', '.s', '1x', 'x1s', '1s2', '1.5.5s', '+-1s', '1s.x', '1e3s', '3000000h'])('%j is refused', value => {
    expect(parseGoDuration(value)).toBeUndefined();
  });

  test('a value that is no string is refused', () => {
    expect(parseGoDuration(5)).toBeUndefined();
  });
});

test.each([
  ['', 'time: invalid duration ""'],
  ['-', 'time: invalid duration "-"'],
  ['1', 'time: missing unit in duration "1"'],
  ['1x', 'time: unknown unit "x" in duration "1x"'],
  ['-1x', 'time: unknown unit "x" in duration "-1x"'],
  ['1s2', 'time: missing unit in duration "1s2"'],
  ['1.s2', 'time: missing unit in duration "1.s2"'],
  ['1.5.5s', 'time: missing unit in duration "1.5.5s"'],
  ['1s x', 'time: unknown unit "s x" in duration "1s x"'],
  ['1-x', 'time: unknown unit "-x" in duration "1-x"'],
  ['1e3s', 'time: unknown unit "e" in duration "1e3s"'],
  ['.s', 'time: invalid duration ".s"'],
  ['s', 'time: invalid duration "s"'],
  ['x1s', 'time: invalid duration "x1s"'],
  ['x1', 'time: invalid duration "x1"'],
  ['x1s2', 'time: invalid duration "x1s2"'],
  ['+1x', 'time: unknown unit "x" in duration "+1x"'],
  ['1.x', 'time: unknown unit "x" in duration "1.x"'],
  ['+-1s', 'time: invalid duration "+-1s"'],
  ['1s.x', 'time: invalid duration "1s.x"'],
])('durationSyntaxProblem(%j) is Go\'s message', (value, message) => {
  expect(durationSyntaxProblem(value)).toBe(message);
});

describe('agent.ValidateDuration: at least 1ms, in whole milliseconds', () => {
  test.each(['1ms', '1s', '1.5s', '2h'])('%s is accepted', value => {
    expect(durationProblem(value)).toBeUndefined();
  });

  test.each([
    ['0.5ms', {}, 'must be a valid duration greater than 1ms'],
    ['0s', {}, 'must be a valid duration greater than 1ms'],
    ['999us', { celRule: false }, 'duration must be greater than 1ms'],
    ['1500us', {}, 'only durations to ms precision are supported'],
    ['1x', {}, 'time: unknown unit "x" in duration "1x"'],
    ['x', {}, 'time: invalid duration "x"'],
  ])('%j %j is refused', (value, check, message) => {
    expect(durationProblem(value, check)).toBe(message);
  });

  test('zeroAllowed lets a duration under 1ms pass (a TCP idle timeout of 0s turns it off)', () => {
    expect(durationProblem('0s', { zeroAllowed: true })).toBeUndefined();
    expect(durationProblem('1500us', { zeroAllowed: true })).toBe('only durations to ms precision are supported');
  });
});

describe('the CEL rule alone: at least 1ms, any precision', () => {
  test.each(['1ms', '1500us', '1s'])('%s is accepted', value => {
    expect(celDurationProblem(value)).toBeUndefined();
  });

  test.each([
    ['999999ns', 'must be a valid duration greater than 1ms'],
    ['0s', 'must be a valid duration greater than 1ms'],
    ['1', 'time: missing unit in duration "1"'],
  ])('%s is refused', (value, message) => {
    expect(celDurationProblem(value)).toBe(message);
  });
});
