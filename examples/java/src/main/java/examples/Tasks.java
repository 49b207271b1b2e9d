package examples;

import io.github.cdk8sistioegress.DataplaneMode;
import io.github.cdk8sistioegress.EgressAnalysis;
import io.github.cdk8sistioegress.EgressGateway;
import io.github.cdk8sistioegress.EgressGatewayRoute;
import io.github.cdk8sistioegress.EgressPort;
import io.github.cdk8sistioegress.EgressWaypoint;
import io.github.cdk8sistioegress.ExportTo;
import io.github.cdk8sistioegress.ExternalHost;
import io.github.cdk8sistioegress.GatewayApiEgressGateway;
import io.github.cdk8sistioegress.IEgressGateway;
import io.github.cdk8sistioegress.MeshNamespace;
import io.github.cdk8sistioegress.TlsOrigination;
import io.github.cdk8sistioegress.TlsOriginationOptions;
import java.util.List;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;

/**
 * Istio's task "Egress Gateways with TLS Origination" in Java, in the three renderings: the same app as
 * examples/tasks/gateway-tls-origination.ts with examples/tasks/renderings.ts (the charts
 * gateway-tls-origination-istio-api, -gateway-api and -ambient).
 */
public final class Tasks {
    private Tasks() {
    }

    /** The user code: the same whatever the gateway. */
    static void gatewayTlsOrigination(final Chart chart, final IEgressGateway gateway, final String host) {
        ExternalHost cnn = ExternalHost.Builder.create(chart, "Cnn")
                .hosts(List.of(host))
                .ports(List.of(EgressPort.http(80), EgressPort.https(443)))
                .exportTo(ExportTo.whereUsed())
                .build();
        EgressGatewayRoute.Builder.create(chart, "ViaEgressGateway")
                .host(cnn)
                .gateway(gateway)
                .ports(List.of(80))
                .tlsOrigination(TlsOrigination.simple(TlsOriginationOptions.builder()
                        .caCertificates("/etc/ssl/certs/ca-certificates.crt")
                        .build()))
                .build();
        EgressAnalysis.acknowledge(cnn, "EGR220", "as in the task: applications that speak HTTPS themselves go direct");
    }

    /** The gateway picks the rendering. */
    static IEgressGateway gatewayFor(final Chart chart, final String rendering) {
        switch (rendering) {
            case "istio-api":
                return EgressGateway.istioDefault();
            case "gateway-api":
                return GatewayApiEgressGateway.Builder.create(chart, "EgressGateway").name("egress").build();
            default:
                MeshNamespace.Builder.create(chart, "EgressNamespace")
                        .name(chart.getNamespace())
                        .dataplaneMode(DataplaneMode.AMBIENT)
                        .useWaypoint("waypoint")
                        .build();
                return EgressWaypoint.Builder.create(chart, "Waypoint").build();
        }
    }

    public static void main(final String[] args) {
        App app = new App();
        for (String rendering : List.of("istio-api", "gateway-api", "ambient")) {
            String name = "gateway-tls-origination-" + rendering;
            Chart chart = new Chart(app, name, ChartProps.builder().namespace(name).build());
            gatewayTlsOrigination(chart, gatewayFor(chart, rendering), "gateway-tls-origination.example.com");
        }
        app.synth();
    }
}
