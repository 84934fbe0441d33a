using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Tests.Infrastructure;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests;

/// <summary>
/// The Prometheus endpoint an operator scrapes (issue 8 §4). OpenTelemetry listens to meters by name, process-wide:
/// while other test hosts run, a host's observable gauges share their names with theirs and a scrape may report the
/// other host's value. So this class runs alone, after the parallel ones.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsShowTheCountersMovingAfterApiWritesAForgedTokenAndAnXmppPresence()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var client = app.CreateClient();
        var first = await client.GetStringAsync("/metrics");
        var apiChanges = PrometheusText.Value(first, "presence_changes_total", ("protocol", "spreed"), ("cause", "api"));
        var forged = PrometheusText.Value(first, "presence_api_rejections_total", ("reason", "token-forged"));
        var xmppChanges = PrometheusText.Value(first, "presence_changes_total", ("protocol", "xmpp"), ("cause", "xmpp-presence"));
        var batches = PrometheusText.Value(first, "presence_history_commit_duration_seconds_count");

        var token = PresenceApp.Token("mia@example.com");
        for (var i = 0; i < 3; i++)
        {
            var put = await app.Bearer(token).PutAsJsonAsync("/api/v1/presence/mia@example.com/spreed", new { status = i % 2 == 0 ? "busy" : "available" });
            Assert.Equal(200, (int)put.StatusCode);
        }
        var refused = await app.Bearer(PresenceApp.Token("mia@example.com", secret: "an-attacker's-guess-0123456789")).GetAsync("/api/v1/presence/mia@example.com");
        Assert.Equal(401, (int)refused.StatusCode);
        app.Tracker.Apply(new ResourceAvailableUpdate(UserId.Parse("mia@example.com"), "laptop", XmppShow.Dnd, 5, "in a meeting"));

        await PrometheusText.WaitForAsync(client, v => v >= apiChanges + 3, "presence_changes_total", ("protocol", "spreed"), ("cause", "api"));
        await PrometheusText.WaitForAsync(client, v => v >= forged + 1, "presence_api_rejections_total", ("reason", "token-forged"));
        await PrometheusText.WaitForAsync(client, v => v >= xmppChanges + 1, "presence_changes_total", ("protocol", "xmpp"), ("cause", "xmpp-presence"));
        await PrometheusText.WaitForAsync(client, v => v >= batches + 1, "presence_history_commit_duration_seconds_count");
        var now = await client.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Value(now, "presence_users_online") >= 1, now);
        Assert.True(PrometheusText.Value(now, "presence_xmpp_resources_online") >= 1, now);
        Assert.Contains("presence_feed_queue_depth{", now);
        Assert.Contains("consumer=\"history\"", now);
        Assert.Contains("http_server_request_duration_seconds", now); // ASP.NET Core instrumentation
        Assert.Contains("dotnet_gc_collections_total", now); // runtime instrumentation
    }

    [Fact]
    public async Task TheLinkStateGaugeShowsStandbyOnANodeWaitingForTheComponent()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        using var standby = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<Presence.Xmpp.Component.IXmppLinkStatus, StandbyLink>()));
        var client = standby.CreateClient();
        await PrometheusText.WaitForAsync(client, v => v == 1, "presence_xmpp_link_state", ("state", "Standby"));
        Assert.Equal(0, PrometheusText.Value(await client.GetStringAsync("/metrics"), "presence_xmpp_link_state", ("state", "Online")));
    }

    private sealed class StandbyLink : Presence.Xmpp.Component.IXmppLinkStatus
    {
        public Presence.Xmpp.Component.XmppLinkSnapshot Current { get; } =
            new(Presence.Xmpp.Component.XmppLinkState.Standby, DateTimeOffset.UtcNow, 0, null, 0, 0, 0, false);

        public event Action<Presence.Xmpp.Component.XmppLinkSnapshot>? Changed { add { } remove { } }
    }

    [Theory]
    [InlineData("false", 403)]
    [InlineData("true", 200)]
    public async Task MetricsAnswerOnlyLoopbackCallersUnlessRemoteAccessIsAllowed(string allowRemote, int expected)
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Metrics:AllowRemote"] = allowRemote },
            services: s => s.AddSingleton<IStartupFilter>(new RemoteCaller(IPAddress.Parse("192.0.2.10"))));

        var response = await app.CreateClient().GetAsync("/metrics");

        Assert.Equal(expected, (int)response.StatusCode);
    }

    /// <summary>Makes every request look as if it came from <paramref name="address"/> (the test server has no socket).</summary>
    private sealed class RemoteCaller(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Runs <see cref="MetricsTests"/> with no other test class in parallel.</summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;
