/**
 * Value syntax the other example tests left unpinned, with Istio 1.30.3's behaviour: jwt.ToRoutingClaim
 * (pkg/jwt/routing.go: only `@request.auth.claims` followed by `.<claim>` or `[<claim>]` is a claim) as
 * ValidateHTTPHeaderNameOrJwtClaimRoute reads it, and Go's `%f` (the exact binary value, a remainder above half
 * rounded up, an exact tie to even, and every digit of a number too large for toFixed) in VS29's messages.
 */
import { checkVirtualService } from '../../src/rules/virtual-service';
import { goFixed, isJwtClaimHeader, matchHeaderNameProblem } from '../../src/rules/virtual-service-syntax';
import { assertValidIstioObjects } from '../support/crd-validator';
import { FindingRow, findingRows } from '../support/findings';

const HOST = 'api.example.com';
const route = [{ destination: { host: HOST } }];
const vs = (http: unknown[], gateways?: string[]): any => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'routes', namespace: 'shop' },
  spec: { hosts: [HOST], ...(gateways ? { gateways } : {}), http },
});
const findings = (object: any): FindingRow[] => findingRows(checkVirtualService(object));
const invalidName = (name: string) => `header name ${name} is not a valid header name`;
const NAME_FIX = 'use a header name of letters, digits and !#$%&\'*+-.^_`|~';

describe('JWT claim names (jwt.ToRoutingClaim)', () => {
  // Names as long as the prefix, with `.<claim>` or `[<claim>]` after it, but another prefix.
  const lookalikes = ['@request.auth.claimX.sub', '@request.auth.claimx[sub]', 'x'.repeat(20) + '.sub', '@request.auth.claimsab]', '@request.auth.claims:x]'];

  test('a claim needs the `@request.auth.claims` prefix and then `.` or `[`', () => {
    for (const name of lookalikes) {
      expect([name, isJwtClaimHeader(name)]).toEqual([name, false]);
    }
    expect(isJwtClaimHeader('@request.auth.claims[ab]')).toBe(true);
    expect(isJwtClaimHeader('@Request.Auth.Claims.sub')).toBe(true);
  });

  test('a lookalike is no header name to match on', () => {
    for (const name of lookalikes.filter(n => n.startsWith('@'))) {
      expect(matchHeaderNameProblem(name)).toBe(invalidName(name));
    }
  });

  test('through a VirtualService bound to a gateway: a lookalike claim is VS14, the claim itself is accepted', () => {
    const name = '@request.auth.claimX.groups';
    expect(findings(vs([{ match: [{ headers: { [name]: { exact: 'admin' } } }], route }], ['istio-system/ingress']))).toEqual([
      ['VS14', 'error', `spec.http[0].match[0].headers.${name}`, name, invalidName(name), NAME_FIX],
    ]);
    const accepted = vs([{ match: [{ headers: { '@request.auth.claims[groups]': { exact: 'admin' } } }], route }], ['istio-system/ingress']);
    expect(findings(accepted)).toEqual([]);
    assertValidIstioObjects([accepted]);
  });
});

describe('Go\'s %f (goFixed)', () => {
  // A remainder above half a unit rounds up; Go's fmt.Sprintf("%f", x).
  test.each<[number, string]>([
    [2 / 3, '0.666667'],
    [0.0000019, '0.000002'],
    [-0.0000019, '-0.000002'],
    [100.9999996, '101.000000'],
  ])('%p rounds up past half a unit: %s', (x, expected) => {
    expect(goFixed(x)).toBe(expected);
  });

  // x * 10^6 ends in exactly .5 when x is an odd multiple of 1/128 (a tie in binary): the even neighbour wins.
  test.each<[number, string]>([
    [3 / 128, '0.023438'],
    [1 / 128, '0.007812'],
    [5 / 128, '0.039062'],
    [7 / 128, '0.054688'],
    [100 + 3 / 128, '100.023438'],
  ])('the exact tie %p goes to even: %s', (x, expected) => {
    expect(goFixed(x)).toBe(expected);
  });

  // Doubles this large are integers: every digit of the exact value, as Go prints it.
  test.each<[string, number, bigint]>([
    ['2^1000', 2 ** 1000, 2n ** 1000n],
    ['1e300', 1e300, BigInt(1e300)],
    ['the largest double', Number.MAX_VALUE, BigInt(Number.MAX_VALUE)],
    ['2^972', 2 ** 972, 2n ** 972n],
  ])('%s is written out in full', (_, x, exact) => {
    expect(goFixed(x)).toBe(`${exact}.000000`);
    expect(goFixed(-x)).toBe(`-${exact}.000000`);
  });

  test('through a VirtualService: a huge mirrorPercentage is VS29 with every digit', () => {
    const object = vs([{ route, mirror: { host: HOST }, mirrorPercentage: { value: 1e300 } }]);
    assertValidIstioObjects([object]);
    expect(findings(object)).toEqual([
      ['VS29', 'error', 'spec.http[0].mirrorPercentage.value', 1e300, `mirror_percentage must have a max value of 100 (it has ${BigInt(1e300)}.000000)`,
        'use a percentage from 0 to 100'],
    ]);
  });
});
