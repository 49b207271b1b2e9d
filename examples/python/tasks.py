"""Istio's task "Egress Gateways with TLS Origination" in Python, in the three renderings: the same
app as examples/tasks/gateway-tls-origination.ts with examples/tasks/renderings.ts (the charts
gateway-tls-origination-istio-api, -gateway-api and -ambient)."""
from cdk8s import App, Chart

from cdk8s_istio_egress import (
    DataplaneMode,
    EgressAnalysis,
    EgressGateway,
    EgressGatewayRoute,
    EgressPort,
    EgressWaypoint,
    ExportTo,
    ExternalHost,
    GatewayApiEgressGateway,
    IEgressGateway,
    MeshNamespace,
    TlsOrigination,
)


def gateway_tls_origination(chart: Chart, gateway: IEgressGateway, host: str = "edition.cnn.com") -> None:
    """The user code: the same whatever the gateway."""
    cnn = ExternalHost(
        chart,
        "Cnn",
        hosts=[host],
        ports=[EgressPort.http(80), EgressPort.https(443)],
        export_to=ExportTo.where_used(),
    )
    EgressGatewayRoute(
        chart,
        "ViaEgressGateway",
        host=cnn,
        gateway=gateway,
        ports=[80],
        tls_origination=TlsOrigination.simple(ca_certificates="/etc/ssl/certs/ca-certificates.crt"),
    )
    EgressAnalysis.acknowledge(cnn, "EGR220", "as in the task: applications that speak HTTPS themselves go direct")


def gateway_for(chart: Chart, rendering: str) -> IEgressGateway:
    """The gateway picks the rendering."""
    if rendering == "istio-api":
        return EgressGateway.istio_default()
    if rendering == "gateway-api":
        return GatewayApiEgressGateway(chart, "EgressGateway", name="egress")
    MeshNamespace(
        chart,
        "EgressNamespace",
        name=chart.namespace,
        dataplane_mode=DataplaneMode.AMBIENT,
        use_waypoint="waypoint",
    )
    return EgressWaypoint(chart, "Waypoint")


app = App()
for rendering in ("istio-api", "gateway-api", "ambient"):
    name = f"gateway-tls-origination-{rendering}"
    chart = Chart(app, name, namespace=name)
    gateway_tls_origination(chart, gateway_for(chart, rendering), "gateway-tls-origination.example.com")

app.synth()
