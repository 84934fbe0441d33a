using System.Text;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>The set of protocols and per-user limits are configuration (issue 9 §3): <c>Presence:Protocols</c>, <c>Presence:Limits</c>.</summary>
public sealed class ProtocolConfigurationTests
{
    private const string User = "rita@example.com";

    [Fact]
    public async Task AConfiguredProtocolWrittenByTheApiIsAcceptedAndNamedAmongTheKnownOnes()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Protocols:xmpp:WrittenBy"] = "Component",
            ["Presence:Protocols:spreed:WrittenBy"] = "Api",
            ["Presence:Protocols:teams:WrittenBy"] = "Api",
        });

        Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, "teams", "busy")))).StatusCode);
        Assert.Equal(PresenceState.Busy, app.Get(User)!.Get("teams")!.State);
        var r = await app.Bearer(Token(User)).PutAsync($"/api/v1/presence/{User}/zoom", new StringContent("{\"status\": \"busy\"}", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(r, 400, "'zoom' is not a known protocol", "spreed, teams, xmpp");
    }

    [Theory]
    [InlineData("Presence:Protocols:xmpp:WrittenBy", "Api", "Presence:Protocols:xmpp:WrittenBy must be Component")]
    [InlineData("Presence:Protocols:teams:WrittenBy", "Component", "may be Component only for xmpp")]
    [InlineData("Presence:Protocols:Bad_Name:WrittenBy", "Api", "Presence:Protocols:Bad_Name")]
    [InlineData("Presence:Limits:MaxResourcesPerUser", "0", "Presence:Limits:MaxResourcesPerUser")]
    public void AnInvalidProtocolOrLimitStopsTheServiceNamingTheKey(string key, string value, string named)
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { [key] = value });
        var ex = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains(named, ex.ToString());
    }

    [Fact]
    public async Task TheTrackerEnforcesTheConfiguredResourceAndMessageLimits()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Limits:MaxResourcesPerUser"] = "5",
            ["Presence:Api:MaxMessageLength"] = "100",
        });
        _ = app.Server;
        Assert.Equal(new Presence.Domain.Tracking.PresenceLimits(5, 100), app.Tracker.Limits);
    }
}
