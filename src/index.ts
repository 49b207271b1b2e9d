export * from './api-version';
export * from './egress-port';
export * from './external-host';
export * from './egress-gateway';
export * from './egress-gateway-route';
export * from './tls-origination';
