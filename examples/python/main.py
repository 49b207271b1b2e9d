"""The Istio egress gateway lesson in Python: the same app as examples/lesson/main.ts."""
from cdk8s import App, Chart

from cdk8s_istio_egress import (
    EgressGateway,
    EgressGatewayRoute,
    EgressPort,
    ExternalHost,
)

app = App()
chart = Chart(app, "wikipedia-egress", namespace="default")

wikipedia = ExternalHost(
    chart,
    "Wikipedia",
    hosts=["www.wikipedia.org"],
    ports=[EgressPort.http(80), EgressPort.https(443)],
)

EgressGatewayRoute(
    chart,
    "ViaEgressGateway",
    host=wikipedia,
    gateway=EgressGateway.istio_default(),
    ports=[80],
    gateway_mutual_tls=False,
)

app.synth()
