/**
 * A Sidecar ingress listener's defaultEndpoint, read as Istio 1.30.3 reads it (validation.go, ValidateSidecar):
 * Go's net.SplitHostPort, then the allowed hosts, then strconv.Atoi and the port range. The expected problems
 * are what that Go code returns for each input (net and strconv of Go 1.2x, run on these inputs).
 */
import { defaultEndpointProblems } from '../../src/rules/sidecar';

test.each<[string, string[]]>([
  ['0.0.0.0:1', []],
  ['127.0.0.1', ['address 127.0.0.1: missing port in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['127.0.0.1:', ['sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['127.0.0.1:+80', []],
  ['127.0.0.1:-1', ['port number -1 must be in the range 1..65535']],
  ['127.0.0.1:0', ['port number 0 must be in the range 1..65535']],
  ['127.0.0.1:65536', ['port number 65536 must be in the range 1..65535']],
  ['127.0.0.1:8080', []],
  ['127.0.0.1:80x', ['sidecar: defaultEndpoint port (80x) is not a number: strconv.Atoi: parsing "80x": invalid syntax']],
  ['127.0.0.1:99999999999999999999', ['sidecar: defaultEndpoint port (99999999999999999999) is not a number: strconv.Atoi: parsing "99999999999999999999": value out of range']],
  ['127.0.0.1:http', ['sidecar: defaultEndpoint port (http) is not a number: strconv.Atoi: parsing "http": invalid syntax']],
  [':8080', []],
  ['::1:80', ['address ::1:80: too many colons in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['[::1', ["address [::1: missing ']' in address", 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['[::1]', ['address [::1]: missing port in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['[::1]8080', ['address [::1]8080: missing port in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['[::1]:8080', []],
  ['[::1]:80:80', ['address [::1]:80:80: too many colons in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['[::1]]:80', ['address [::1]]:80: missing port in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['[::]:9090', []],
  ['[a]b]:80', ['address [a]b]:80: missing port in address', 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['a[b:80', ["address a[b:80: unexpected '[' in address", 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['a]b:80', ["address a]b:80: unexpected ']' in address", 'sidecar: defaultEndpoint port () is not a number: strconv.Atoi: parsing "": invalid syntax']],
  ['localhost:8080', ['sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset']],
])('defaultEndpoint %j', (endpoint, problems) => {
  expect(defaultEndpointProblems(endpoint)).toEqual(problems);
});

test.each([
  ['unix:///var/run/app.sock', []],
  ['unix://@abstract', []],
  ['unix://relative.sock', ['relative.sock is not an absolute path to a file']],
  ['unix://', ['unix address must not be empty']],
])('defaultEndpoint %j (a unix domain socket)', (endpoint, problems) => {
  expect(defaultEndpointProblems(endpoint)).toEqual(problems);
});
