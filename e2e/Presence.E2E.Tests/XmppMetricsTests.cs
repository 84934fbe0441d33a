using Presence.Web.Tests.Support;

namespace Presence.E2E.Tests;

/// <summary>
/// <c>/metrics</c> of the service linked to a real Prosody, scraped over HTTP as Prometheus would (issue 8 §4).
/// OpenTelemetry listens to meters by name, process-wide: a host's <c>/metrics</c> also reports the same-named
/// instruments of every other host this test process runs at the time (their XMPP link counters stay 0). So this
/// class runs alone, after the parallel ones, with its own host the only one alive.
/// </summary>
[Collection(nameof(XmppMetricsTests))]
public sealed class XmppMetricsTests(XmppAppFixture app) : IClassFixture<XmppAppFixture>
{
    [Fact]
    public async Task AnXmppClientsPresenceMovesTheXmppCountersOnMetrics()
    {
        var http = app.NewHttpClient();
        // >= 1: OpenTelemetry's listener also sees the same-named meters of the other services this test process hosts.
        await PrometheusText.WaitForAsync(http, v => v >= 1, "presence_xmpp_link_state", ("state", "Online"));
        var before = await http.GetStringAsync("/metrics");
        var changes = PrometheusText.Value(before, "presence_changes_total", ("protocol", "xmpp"), ("cause", "xmpp-presence"));
        var received = PrometheusText.Value(before, "presence_xmpp_stanzas_received_total");

        await using var alice = await app.SubscribedClientAsync("alice@localhost/metrics", "presence online 5 at my desk");
        await alice.RunAsync("presence dnd 5 in a meeting");

        await PrometheusText.WaitForAsync(http, v => v >= changes + 2, "presence_changes_total", ("protocol", "xmpp"), ("cause", "xmpp-presence"));
        await PrometheusText.WaitForAsync(http, v => v > received, "presence_xmpp_stanzas_received_total");
        await PrometheusText.WaitForAsync(http, v => v >= 1, "presence_xmpp_resources_online");
    }
}

/// <summary>Runs <see cref="XmppMetricsTests"/> with no other test class in parallel.</summary>
[CollectionDefinition(nameof(XmppMetricsTests), DisableParallelization = true)]
public sealed class XmppMetricsCollection;
