import { IConstruct } from 'constructs';
import { IstioApi, IstioApiVersion } from './api-version';
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
   * @default - the external host name
   */
  readonly sni?: string;
}

/** The Istio client TLS modes this library originates with. */
export enum TlsOriginationMode {
  /** TLS, verifying the server. */
  SIMPLE = 'SIMPLE',
  /** TLS with a client certificate. */
  MUTUAL = 'MUTUAL',
}

/**
 * How a proxy opens TLS to an external host (a DestinationRule with client TLS settings).
 *
 * @example
 * TlsOrigination.simple({ caCertificates: '/etc/ssl/certs/ca-certificates.crt' });
 * TlsOrigination.mutual({ credentialName: 'client-credential', credentialNamespace: 'istio-system' });
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

  /** TLS with a client certificate from `credentialName` (a Secret with tls.crt, tls.key and ca.crt). */
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

  private constructor(
    /** The TLS mode. */
    public readonly mode: TlsOriginationMode,
    /** The options given. */
    public readonly options: TlsOriginationOptions,
    /** Whether the server's certificate is verified. */
    public readonly verifiesServer: boolean,
  ) {
    this.port = options.port ?? 443;
  }

  /** @internal The DestinationRule client TLS settings for `host`. */
  public _render(host: string): Record<string, unknown> {
    return {
      mode: this.mode,
      sni: this.options.sni ?? host,
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
    const { credentialName, credentialNamespace, caCertificates } = this.options;
    const problems: string[] = [];
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
   * (EGR201, `insecureSkipVerify`) is acknowledged for the objects of `scope`.
   */
  public _acknowledgeIn(scope: IConstruct): void {
    if (!this.verifiesServer) {
      acknowledge(scope, OWN_CODES.UNVERIFIED_TLS, 'TLS origination without server verification was chosen explicitly');
    }
  }
}
