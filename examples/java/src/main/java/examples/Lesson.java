package examples;

import io.github.cdk8sistioegress.EgressGateway;
import io.github.cdk8sistioegress.EgressGatewayRoute;
import io.github.cdk8sistioegress.EgressPort;
import io.github.cdk8sistioegress.ExternalHost;
import java.util.List;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;

/** The Istio egress gateway lesson in Java: the same app as examples/lesson/main.ts. */
public final class Lesson {
    private Lesson() {
    }

    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "wikipedia-egress", ChartProps.builder().namespace("default").build());

        ExternalHost wikipedia = ExternalHost.Builder.create(chart, "Wikipedia")
                .hosts(List.of("www.wikipedia.org"))
                .ports(List.of(EgressPort.http(80), EgressPort.https(443)))
                .build();

        EgressGatewayRoute.Builder.create(chart, "ViaEgressGateway")
                .host(wikipedia)
                .gateway(EgressGateway.istioDefault())
                .ports(List.of(80))
                .gatewayMutualTls(false)
                .build();

        app.synth();
    }
}
