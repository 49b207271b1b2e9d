import { IConstruct } from 'constructs';
import { IstioApi, IstioApiVersion } from './api-version';
import type { EgressPort } from './egress-port';
import { OWN_CODES } from './rules/codes';
import { acknowledge } from './synth/acknowledgements';

/**
 * Options for opening TLS to an external host on behalf of an application that speaks plain HTTP.
 */
export interface TlsOriginationOptions {
  /**
   * The port of the external host that speaks TLS.
   * @default 443
   */
  readonly port?: number;
  /**
   * Path, inside the proxy, of the CA bundle that verifies the server's certificate
   * (for example `/etc/ssl/certs/ca-certificates.crt`, the system bundle of Istio's proxy image).
   * @default - none: give `credentialName` instead
   */
  readonly caCertificates?: string;
  /**
   * A Secret holding the CA certificate (`ca.crt`), and for mutual TLS the client certificate and key.
   * It must be in the namespace of the proxy that originates: the egress gateway's, or the client's.
   * @default - none: give `caCertificates` instead
   */
  readonly credentialName?: string;
  /**
   * The namespace of the `credentialName` Secret, so that the library can check it is where the
   * originating proxy reads Secrets from.
   * @default - not checked
   */
  readonly credentialNamespace?: string;
  /**
   * Names the server certificate must carry.
   * @default - the server certificate is checked against the CA only
   */
  readonly subjectAltNames?: string[];
  /**
   * The SNI to send.
   * @default - the external host name (unless `autoSni`)
   */
  readonly sni?: string;
  /**
   * Leave `sni` out of the DestinationRule, as Istio's egress tasks do: the proxy then takes the SNI
   * of each connection from the request's Host header (Envoy's auto SNI, which Istio turns on for rules
   * without `sni` from Istio 1.21 on; before, such connections carry no SNI at all).
   * @default false - `sni` is written (the given `sni`, else the external host name)
   */
  readonly autoSni?: boolean;
  /**
   * Path, inside the originating proxy, of the client certificate for mutual TLS (a file mounted in
   * the proxy container, as older meshes and Istio's reference pages do). With `privateKey`, for
   * `TlsOrigination.mutual()` without `credentialName`.
   * @default - none: the client certificate comes from `credentialName`
   */
  readonly clientCertificate?: string;
  /**
   * Path, inside the originating proxy, of the private key of `clientCertificate`.
   * @default - none: the key comes from `credentialName`
   */
  readonly privateKey?: string;
  /**
   * The object that carries the origination: a DestinationRule (as Istio's egress tasks write it) or
   * a Gateway API BackendTLSPolicy targeting the host's ServiceEntry port (Istio 1.28 and later).
   * @default TlsOriginationObject.destinationRule()
   */
  readonly carriedBy?: TlsOriginationObject;
  /**
   * The name of a ConfigMap, in the ServiceEntry's namespace, whose `ca.crt` verifies the server's
   * certificate (the BackendTLSPolicy's `caCertificateRefs`; Istio reads ConfigMaps only there).
   * With `TlsOriginationObject.backendTlsPolicy()` only.
   * @default - the proxy's system CAs (`wellKnownCACertificates: System`)
   */
  readonly caCertificateConfigMap?: string;
}

/**
 * The object that carries a TLS origination.
 *
 * @example
 * TlsOrigination.simple({ carriedBy: TlsOriginationObject.backendTlsPolicy() });
 */
export class TlsOriginationObject {
  /** A DestinationRule with client TLS settings, as Istio's egress tasks write it (the default). */
  public static destinationRule(): TlsOriginationObject {
    return new TlsOriginationObject('DestinationRule');
  }

  /**
   * A Gateway API `BackendTLSPolicy` (gateway.networking.k8s.io/v1) that targets the host's
   * ServiceEntry with the originated port's name as `sectionName`, for Istio 1.28 and later. Istio
   * turns it into a DestinationRule for each host of the ServiceEntry, in the ServiceEntry's namespace,
   * with TLS mode SIMPLE: it verifies the server with the proxy's system CAs or a ConfigMap's CA, and
   * has no client certificate, no CA file path, no Secret and no `insecureSkipVerify`.
   */
  public static backendTlsPolicy(): TlsOriginationObject {
    return new TlsOriginationObject('BackendTLSPolicy');
  }

  private constructor(
    /** The kind of the object: `DestinationRule` or `BackendTLSPolicy`. */
    public readonly kind: string,
  ) {}
}

/**
 * Where an egress gateway route puts the DestinationRule that originates TLS at the gateway.
 *
 * @example
 * new EgressGatewayRoute(chart, 'Cnn', {
 *   host: cnn,
 *   gateway: EgressGateway.istioDefault(),
 *   tlsOrigination: TlsOrigination.simple({ autoSni: true }),
 *   originationPlacement: OriginationPlacement.besideHost(),
 * });
 */
export class OriginationPlacement {
  /**
   * In the gateway's namespace, with a `workloadSelector` for the gateway's pods and `exportTo: ['.']`
   * (the default): only the gateway originates. Sidecars that reach the host's TLS port directly never
   * see the rule, so their applications' own TLS is not wrapped a second time.
   */
  public static gatewayOnly(): OriginationPlacement {
    return new OriginationPlacement('gatewayOnly');
  }

  /**
   * Beside the host's ServiceEntry, without `workloadSelector` and `exportTo`, as Istio's "Egress
   * Gateways with TLS Origination" task writes it. Every proxy that sees the host applies the rule: a
   * sidecar that reaches the host's TLS port directly wraps its application's TLS a second time
   * (EGR134 DOUBLETLS, which the route acknowledges for its own rule, since this placement was chosen).
   */
  public static besideHost(): OriginationPlacement {
    return new OriginationPlacement('besideHost');
  }

  private constructor(
    /** `gatewayOnly` or `besideHost`. */
    public readonly placement: string,
  ) {}
}

/** A subject alt name that a BackendTLSPolicy takes as a URI. */
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/** The Istio client TLS modes this library originates with. */
export enum TlsOriginationMode {
  /** TLS, verifying the server. */
  SIMPLE = 'SIMPLE',
  /** TLS with a client certificate. */
  MUTUAL = 'MUTUAL',
}

/**
 * How a proxy opens TLS to an external host: a DestinationRule with client TLS settings, or with
 * `carriedBy: TlsOriginationObject.backendTlsPolicy()` a Gateway API BackendTLSPolicy.
 *
 * @example
 * TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' });
 * TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: 'istio-system' });
 * TlsOrigination.simple({ carriedBy: TlsOriginationObject.backendTlsPolicy() });
 */
export class TlsOrigination {
  /**
   * TLS that verifies the server: with `caCertificates` or the CA in `credentialName`, else (Istio
   * 1.20 and later) against the proxy's system CAs, which Istio reports with a warning (IST0128/IST0129).
   * For meshes before 1.20 (v1beta1 output) a CA is required: they verify nothing without one.
   */
  public static simple(options: TlsOriginationOptions = {}): TlsOrigination {
    return new TlsOrigination(TlsOriginationMode.SIMPLE, options, true);
  }

  /**
   * TLS with a client certificate: from `credentialName` (a Secret with tls.crt, tls.key and ca.crt,
   * read by the proxy through SDS), or from files mounted in the proxy (`clientCertificate` and
   * `privateKey`, with `caCertificates` for the server's CA).
   */
  public static mutual(options: TlsOriginationOptions): TlsOrigination {
    return new TlsOrigination(TlsOriginationMode.MUTUAL, options, true);
  }

  /**
   * TLS that does NOT verify the server's certificate (`insecureSkipVerify`). Anyone on the path can
   * impersonate the server; use it only for tests or servers without a verifiable certificate.
   */
  public static withoutServerVerification(options: TlsOriginationOptions = {}): TlsOrigination {
    return new TlsOrigination(TlsOriginationMode.SIMPLE, options, false);
  }

  /** The port of the external host that speaks TLS. */
  public readonly port: number;

  /** The object that carries the origination. */
  public readonly carriedBy: TlsOriginationObject;

  private constructor(
    /** The TLS mode. */
    public readonly mode: TlsOriginationMode,
    /** The options given. */
    public readonly options: TlsOriginationOptions,
    /** Whether the server's certificate is verified. */
    public readonly verifiesServer: boolean,
  ) {
    this.port = options.port ?? 443;
    const carriedBy = options.carriedBy ?? TlsOriginationObject.destinationRule();
    // Other jsii languages can pass anything here.
    if (!(carriedBy instanceof TlsOriginationObject)) {
      throw new Error(`TlsOrigination: carriedBy = ${JSON.stringify(carriedBy)} is not a TlsOriginationObject. `
        + 'Fix: pass TlsOriginationObject.destinationRule() or TlsOriginationObject.backendTlsPolicy().');
    }
    this.carriedBy = carriedBy;
  }

  /** @internal Whether a BackendTLSPolicy carries the origination (else a DestinationRule). */
  public get _byBackendTlsPolicy(): boolean {
    return this.carriedBy.kind === 'BackendTLSPolicy';
  }

  /**
   * @internal Why a BackendTLSPolicy cannot carry this origination for `hosts` (the ServiceEntry's
   * hosts, all of which the policy covers) on `ports` (the ServiceEntry ports it targets), at the
   * release `scope` targets. Empty with a DestinationRule.
   */
  public _backendTlsPolicyProblems(scope: IConstruct, hosts: string[], ports: EgressPort[], hasTrafficPolicy: boolean): string[] {
    if (!this._byBackendTlsPolicy) {
      return this.options.caCertificateConfigMap === undefined ? [] : [`tlsOrigination caCertificateConfigMap = "${this.options.caCertificateConfigMap}": `
        + 'a DestinationRule reads a CA from a file path or a Secret, not from a ConfigMap. Fix: give caCertificates or credentialName, '
        + 'or set carriedBy: TlsOriginationObject.backendTlsPolicy().'];
    }
    const problems: string[] = [];
    const refuse = (field: string, value: unknown, why: string, fix: string) =>
      problems.push(`tlsOrigination ${field} = ${JSON.stringify(value)}: ${why} Fix: ${fix}`);
    const dr = 'or carry the origination in a DestinationRule (leave carriedBy out)';
    const release = IstioApi.releaseOf(scope);
    if (IstioApi.versionOf(scope) !== IstioApiVersion.V1) {
      refuse('carriedBy', 'BackendTLSPolicy', `this app emits ${IstioApi.versionOf(scope)} for a mesh before Istio 1.22, which does not read `
        + 'BackendTLSPolicy v1 with a ServiceEntry target (Istio 1.28 and later).', 'leave carriedBy out (a DestinationRule).');
    } else if (!release.isAtLeast(1, 28)) {
      refuse('carriedBy', 'BackendTLSPolicy', `IstioApi.useRelease targets Istio ${release}, which does not read BackendTLSPolicy v1 with a `
        + 'ServiceEntry target and sectionName (Istio 1.28 and later).', 'leave carriedBy out (a DestinationRule), or target Istio 1.28 or later.');
    }
    if (this.mode === TlsOriginationMode.MUTUAL) {
      refuse('mode', 'MUTUAL', 'a BackendTLSPolicy has no client certificate: Istio originates SIMPLE TLS from it.',
        'use TlsOrigination.mutual() with a DestinationRule (leave carriedBy out), or TlsOrigination.simple() if the server needs no client certificate.');
    }
    if (!this.verifiesServer) {
      refuse('insecureSkipVerify', true, 'a BackendTLSPolicy always verifies the server (with the system CAs or a ConfigMap\'s CA).',
        `use TlsOrigination.simple(), ${dr}.`);
    }
    const { caCertificates, credentialName, sni, subjectAltNames, autoSni } = this.options;
    if (autoSni) {
      refuse('autoSni', true, 'a BackendTLSPolicy always names the SNI (validation.hostname).', `leave autoSni out, ${dr}.`);
    }
    if (caCertificates !== undefined) {
      refuse('caCertificates', caCertificates, 'a BackendTLSPolicy cannot name a CA file of the proxy.',
        `leave caCertificates out to verify against the proxy's system CAs (wellKnownCACertificates: System), give caCertificateConfigMap, ${dr}.`);
    }
    if (credentialName !== undefined) {
      refuse('credentialName', credentialName, 'a BackendTLSPolicy cannot read a Secret (Istio takes ConfigMaps only in caCertificateRefs and '
        + 'blocks the traffic for any other kind).', `put the CA (ca.crt) in a ConfigMap beside the ServiceEntry and give caCertificateConfigMap, ${dr}.`);
    }
    const concrete = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
    if (sni !== undefined && !concrete.test(sni)) {
      refuse('sni', sni, 'the BackendTLSPolicy\'s validation.hostname (the SNI) must be a lower-case DNS name without wildcard.', 'give such a name.');
    }
    if (hosts.length > 1 && sni === undefined) {
      refuse('carriedBy', 'BackendTLSPolicy', `a BackendTLSPolicy covers every host of its ServiceEntry (${hosts.join(', ')}) with one SNI `
        + '(validation.hostname), so all but one host would be sent the wrong name.', `describe each host with its own ExternalHost, ${dr}.`);
    } else if (sni === undefined && hosts[0] !== undefined && !concrete.test(hosts[0])) {
      refuse('sni', hosts[0], 'the BackendTLSPolicy\'s validation.hostname (the SNI, by default the host) must be a lower-case DNS name without wildcard.',
        `give the SNI of the server with sni, ${dr}.`);
    }
    if (subjectAltNames && subjectAltNames.length > 5) {
      refuse('subjectAltNames', subjectAltNames, 'a BackendTLSPolicy takes at most 5 subjectAltNames.', `keep 5, ${dr}.`);
    }
    for (const name of subjectAltNames ?? []) {
      if (!URI.test(name) && !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
        refuse('subjectAltNames', name, 'a BackendTLSPolicy takes a lower-case DNS name (optionally *.) or a URI (scheme://...) as subject alt name.',
          `write it so, ${dr}.`);
      }
    }
    for (const port of ports) {
      if (!concrete.test(port.name)) {
        refuse('port name', port.name, `the BackendTLSPolicy targets port ${port.number} of the ServiceEntry by name (sectionName), which must be a `
          + 'lower-case DNS name.', `name the port e.g. "http-${port.number}" (EgressPort.of({ name })), ${dr}.`);
      }
    }
    if (hasTrafficPolicy && !release.isAtLeast(1, 31)) {
      refuse('carriedBy', 'BackendTLSPolicy', `the host also has a trafficPolicy (a DestinationRule in the ServiceEntry's namespace), and Istio ${release} `
        + 'merges the DestinationRule it makes from the policy first, keeping its traffic policy whole: the host\'s connection pool and outlier '
        + 'detection would be dropped (Istio 1.31 merges them field by field).', `drop the trafficPolicy, target Istio 1.31 or later, ${dr}.`);
    }
    return problems;
  }

  /**
   * @internal The BackendTLSPolicy spec for the ServiceEntry `serviceEntry` of host `host`, on its ports
   * named `sectionNames`.
   */
  public _renderBackendTlsPolicy(serviceEntry: string, host: string, sectionNames: string[]): Record<string, unknown> {
    const { caCertificateConfigMap, subjectAltNames, sni } = this.options;
    return {
      targetRefs: sectionNames.map(sectionName => ({ group: 'networking.istio.io', kind: 'ServiceEntry', name: serviceEntry, sectionName })),
      validation: {
        hostname: sni ?? host,
        caCertificateRefs: caCertificateConfigMap !== undefined ? [{ group: '', kind: 'ConfigMap', name: caCertificateConfigMap }] : undefined,
        wellKnownCACertificates: caCertificateConfigMap === undefined ? 'System' : undefined,
        subjectAltNames: subjectAltNames && subjectAltNames.length > 0
          ? subjectAltNames.map(name => (URI.test(name) ? { type: 'URI', uri: name } : { type: 'Hostname', hostname: name }))
          : undefined,
      },
    };
  }

  /** @internal The DestinationRule client TLS settings for `host`. */
  public _render(host: string): Record<string, unknown> {
    return {
      mode: this.mode,
      sni: this.options.autoSni ? undefined : this.options.sni ?? host,
      clientCertificate: this.options.clientCertificate,
      privateKey: this.options.privateKey,
      caCertificates: this.options.caCertificates,
      credentialName: this.options.credentialName,
      subjectAltNames: this.options.subjectAltNames && [...this.options.subjectAltNames],
      insecureSkipVerify: this.verifiesServer ? undefined : true,
    };
  }

  /**
   * @internal Problems with these settings for a proxy in `proxyNamespace` (where it reads Secrets),
   * in the app of `scope` (whose Istio API version tells the mesh's age).
   */
  public _problems(proxyNamespace: string | undefined, where: string, scope: IConstruct): string[] {
    const { credentialName, credentialNamespace, caCertificates, clientCertificate, privateKey, sni, autoSni } = this.options;
    const problems: string[] = [];
    // Istio's ValidateTLS (pkg/config/validation/agent/validation.go): a Secret or files, not both; MUTUAL from files needs both.
    const files = Object.entries({ clientCertificate, privateKey, caCertificates }).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (credentialName !== undefined && files.length > 0) {
      problems.push(`tlsOrigination credentialName = "${credentialName}" and ${files.join(', ')}: cannot specify client certificates or CA `
        + 'certificate or CA CRL If credentialName is set. Fix: take the certificates either from the Secret (credentialName) or from '
        + 'files mounted in the proxy (clientCertificate, privateKey, caCertificates), not both.');
    }
    if (this.mode === TlsOriginationMode.MUTUAL && credentialName === undefined) {
      const missing = [clientCertificate === undefined ? 'client certificate' : undefined, privateKey === undefined ? 'private key' : undefined]
        .filter((m): m is string => m !== undefined);
      if (missing.length > 0) {
        problems.push(`tlsOrigination: ${missing.map(m => `${m} required for mutual tls`).join(', ')}. Fix: give credentialName (a Secret `
          + 'with tls.crt, tls.key and ca.crt), or both clientCertificate and privateKey (paths of files mounted in the proxy).');
      }
    }
    if (this.mode === TlsOriginationMode.SIMPLE && (clientCertificate !== undefined || privateKey !== undefined)) {
      problems.push(`tlsOrigination ${clientCertificate !== undefined ? 'clientCertificate' : 'privateKey'}: TLS without a client certificate `
        + '(mode SIMPLE) sends none, so the proxy would ignore it. Fix: use TlsOrigination.mutual(), or leave clientCertificate and privateKey out.');
    }
    if (autoSni && sni !== undefined) {
      problems.push(`tlsOrigination sni = "${sni}" and autoSni: autoSni leaves sni out of the rule. Fix: give one of them.`);
    }
    if (autoSni && (IstioApi.versionOf(scope) !== IstioApiVersion.V1 || !IstioApi.releaseOf(scope).isAtLeast(1, 21))) {
      problems.push('tlsOrigination autoSni: a proxy takes the SNI from the Host header for rules without sni from Istio 1.21 on; '
        + `this app targets ${IstioApi.versionOf(scope) !== IstioApiVersion.V1 ? `a mesh that reads ${IstioApi.versionOf(scope)}` : `Istio ${IstioApi.releaseOf(scope)}`}, `
        + 'whose proxies would open TLS without SNI (unless ENABLE_AUTO_SNI is turned on), which most servers behind a shared address refuse. '
        + 'Fix: leave autoSni out (sni is the host name).');
    }
    if (credentialName && credentialNamespace && proxyNamespace && credentialNamespace !== proxyNamespace) {
      problems.push(`tlsOrigination credentialNamespace = "${credentialNamespace}": ${where} reads Secrets only from its own namespace `
        + `"${proxyNamespace}", so it would not find "${credentialName}". Fix: create the Secret in "${proxyNamespace}".`);
    }
    // From Istio 1.20 a proxy without caCertificates verifies against its system CAs; before, it verified nothing.
    if (this.verifiesServer && !caCertificates && !credentialName && IstioApi.versionOf(scope) === IstioApiVersion.V1BETA1) {
      problems.push('tlsOrigination: without caCertificates (or a credentialName holding the CA) a mesh older than Istio 1.20, which this '
        + 'app targets by emitting v1beta1, does not verify the server at all. Fix: TlsOrigination.simple({ caCertificates: '
        + '\'/etc/ssl/certs/ca-certificates.crt\' }) (or the CA of the server), or say so with TlsOrigination.withoutServerVerification().');
    }
    return problems;
  }

  /**
   * @internal Origination without server verification is an explicit choice: the finding about it
   * (EGR201, `insecureSkipVerify`) is acknowledged for the objects of `scope`; so is EGR157 for a
   * BackendTLSPolicy on Istio 1.31 and later, which merge it with the host's DestinationRule.
   */
  public _acknowledgeIn(scope: IConstruct): void {
    if (!this.verifiesServer) {
      acknowledge(scope, OWN_CODES.UNVERIFIED_TLS, 'TLS origination without server verification was chosen explicitly');
    }
    // Before 1.31 the host's traffic policy beside the policy is refused; from 1.31 Istio merges the two field by field.
    if (this._byBackendTlsPolicy && IstioApi.releaseOf(scope).isAtLeast(1, 31)) {
      acknowledge(scope, OWN_CODES.BACKEND_TLS_MERGE, 'the target release, Istio 1.31 or later, merges the BackendTLSPolicy\'s rule with the host\'s field by field');
    }
  }
}
