import { isHttpProtocol, isTlsProtocol } from './rules/protocol';

/**
 * The protocol a port of an external host speaks, as Istio names it.
 */
export enum EgressProtocol {
  /** Plain HTTP/1.1. Routed by the Host header. */
  HTTP = 'HTTP',
  /** HTTPS, opaque to the proxy (routed by SNI). */
  HTTPS = 'HTTPS',
  /** Any TLS protocol, routed by SNI. */
  TLS = 'TLS',
  /** Plain HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** Opaque TCP. The proxy cannot tell hosts apart on it without addresses. */
  TCP = 'TCP',
  /** MongoDB wire protocol. */
  MONGO = 'Mongo',
  /** MySQL protocol (server-first). */
  MYSQL = 'MySQL',
  /** Redis protocol. */
  REDIS = 'Redis',
}

/**
 * Options for a port of an external host.
 */
export interface EgressPortOptions {
  /** The port number clients connect to. */
  readonly number: number;
  /** The protocol spoken on the port. */
  readonly protocol: EgressProtocol;
  /**
   * The port name.
   * @default - derived from the protocol and the number, e.g. `https-443`
   */
  readonly name?: string;
  /**
   * The port on the external endpoints that traffic is sent to.
   * @default - the same as `number`
   */
  readonly targetPort?: number;
}

/**
 * A port of an external host.
 *
 * @example
 * EgressPort.https();          // 443, HTTPS
 * EgressPort.tcp(5432);        // PostgreSQL as opaque TCP
 * EgressPort.of({ number: 8443, protocol: EgressProtocol.TLS, name: 'tls-api' });
 */
export class EgressPort {
  /** Plain HTTP. */
  public static http(number: number = 80): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.HTTP });
  }

  /** HTTPS (TLS with HTTP inside, routed by SNI). */
  public static https(number: number = 443): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.HTTPS });
  }

  /** TLS, routed by SNI. */
  public static tls(number: number = 443): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.TLS });
  }

  /** Plain HTTP/2. */
  public static http2(number: number = 80): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.HTTP2 });
  }

  /** gRPC. */
  public static grpc(number: number): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.GRPC });
  }

  /** Opaque TCP. */
  public static tcp(number: number): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.TCP });
  }

  /** MongoDB. */
  public static mongo(number: number = 27017): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.MONGO });
  }

  /** MySQL. */
  public static mysql(number: number = 3306): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.MYSQL });
  }

  /** Redis. */
  public static redis(number: number = 6379): EgressPort {
    return new EgressPort({ number, protocol: EgressProtocol.REDIS });
  }

  /** Any port: number, protocol, and optionally name and target port. */
  public static of(options: EgressPortOptions): EgressPort {
    return new EgressPort(options);
  }

  /** The port number clients connect to. */
  public readonly number: number;
  /** The protocol spoken on the port. */
  public readonly protocol: EgressProtocol;
  /** The port name: the given one, or `<protocol>-<number>` in lower case. */
  public readonly name: string;
  /** The port on the endpoints, when it differs from `number`. */
  public readonly targetPort?: number;

  private constructor(options: EgressPortOptions) {
    this.number = options.number;
    this.protocol = options.protocol;
    this.name = options.name ?? `${String(options.protocol).toLowerCase()}-${options.number}`;
    this.targetPort = options.targetPort;
  }

  /** True for protocols routed by HTTP attributes (HTTP, HTTP2, gRPC). */
  public get isHttp(): boolean {
    return isHttpProtocol(this.protocol);
  }

  /** True for protocols routed by SNI (HTTPS, TLS). */
  public get isTls(): boolean {
    return isTlsProtocol(this.protocol);
  }
}
