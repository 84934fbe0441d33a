using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Api;
using Presence.Web.Cluster;
using Presence.Web.Hubs;
using Presence.Web.Tests.Hubs;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>The preferred presence across restarts, its configured maximum, and where else it shows (OpenAPI, hub, change log).</summary>
public sealed class PreferredPresenceLifecycleTests
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task APreferredPresenceAndStatusMessageComeBackAfterARestartAndStillEndAtTheirDeadline()
    {
        using var db = TempDatabase.Sqlite();
        var clock = new FakeTimeProvider(FakeClockApp.Start);
        const string user = "restart-pref@example.com";
        var until = FakeClockApp.Start.AddHours(3);
        DateTimeOffset lastSeen;
        using (var first = new FakeClockApp(db, clock, FakeClockApp.Settings))
        {
            await first.Client(user).PutAsync($"/api/v1/presence/{user}/phone", Json("""{"status": "available"}"""));
            await first.AdvanceAsync(TimeSpan.FromMinutes(5));
            lastSeen = clock.GetUtcNow();
            Assert.Equal(200, (int)(await first.Client(user).PutAsync($"/api/v1/presence/{user}/preferred", Json($$"""{"status": "away", "until": "{{until:O}}"}"""))).StatusCode);
            Assert.Equal(200, (int)(await first.Client(user).PutAsync($"/api/v1/presence/{user}/status-message", Json("""{"message": "back soon"}"""))).StatusCode);
        }

        using var second = new FakeClockApp(db, clock, FakeClockApp.Settings);
        var doc = await second.GetAsync(user);
        Assert.Equal("away", doc["overall"]!.GetValue<string>());
        Assert.Equal(until, Time(doc["preferred"]!["until"]));
        Assert.Equal("back soon", doc["statusMessage"]!["message"]!.GetValue<string>());
        Assert.Equal(lastSeen, Time(doc["since"]));
        Assert.Equal(lastSeen, Time(doc["lastSeen"]));

        await second.AdvanceAsync(TimeSpan.FromHours(3));
        doc = await second.GetAsync(user);
        Assert.Equal("available", doc["overall"]!.GetValue<string>());
        Assert.Null(doc["preferred"]);
        Assert.Equal("back soon", doc["statusMessage"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task APreferredPresenceWhoseDeadlinePassedWhileStoppedEndsAtStart()
    {
        using var db = TempDatabase.Sqlite();
        var clock = new FakeTimeProvider(FakeClockApp.Start);
        const string user = "stopped-pref@example.com";
        using (var first = new FakeClockApp(db, clock, FakeClockApp.Settings))
        {
            await first.Client(user).PutAsync($"/api/v1/presence/{user}/phone", Json("""{"status": "away"}"""));
            await first.Client(user).PutAsync($"/api/v1/presence/{user}/preferred", Json("""{"status": "busy"}""")); // 1 day
        }
        clock.Advance(TimeSpan.FromDays(2));

        using var second = new FakeClockApp(db, clock, FakeClockApp.Settings);
        await second.AdvanceAsync(TimeSpan.Zero); // the deadline is due at once
        var doc = await second.GetAsync(user);
        Assert.Null(doc["preferred"]);
        Assert.Equal("away", doc["overall"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheConfiguredMaximumCapsTheDefaultsAndRefusesALaterUntil()
    {
        using var db = TempDatabase.Sqlite();
        var clock = new FakeTimeProvider(FakeClockApp.Start);
        using var app = new FakeClockApp(db, clock, new Dictionary<string, string?>(FakeClockApp.Settings) { ["Presence:Preferred:MaxDuration"] = "2.00:00:00" });
        const string user = "capped@example.com";

        Assert.Equal(200, (int)(await app.Client(user).PutAsync($"/api/v1/presence/{user}/preferred", Json("""{"status": "away"}"""))).StatusCode);
        Assert.Equal(FakeClockApp.Start.AddDays(2), Time((await app.GetAsync(user))["preferred"]!["until"]));
        Assert.Equal(200, (int)(await app.Client(user).PutAsync($"/api/v1/presence/{user}/preferred", Json("""{"status": "busy"}"""))).StatusCode);
        Assert.Equal(FakeClockApp.Start.AddDays(1), Time((await app.GetAsync(user))["preferred"]!["until"]));

        var tooLate = FakeClockApp.Start.AddDays(2).AddSeconds(1);
        await AssertProblemAsync(await app.Client(user).PutAsync($"/api/v1/presence/{user}/preferred", Json($$"""{"status": "away", "until": "{{tooLate:O}}"}""")),
            400, "\"until\"", "Presence:Preferred:MaxDuration");
        Assert.Equal(PresenceState.Busy, app.App.Get(user)!.Overall);
    }

    [Theory]
    [InlineData("Presence:Preferred:MaxDuration", "00:00:10", "Presence:Preferred:MaxDuration must be between")]
    [InlineData("Presence:Preferred:MaxDuration", "a week", "Presence:Preferred:MaxDuration")]
    [InlineData("Presence:Protocols:preferred:WrittenBy", "Api", "'preferred' is reserved")]
    [InlineData("Presence:Protocols:status-message:WrittenBy", "Api", "'status-message' is reserved")]
    public void ABadMaximumOrAReservedProtocolNameStopsTheService(string key, string value, string named)
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { [key] = value });
        var ex = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains(named, ex.ToString());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheNewEndpointsWithTheirBodies()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db);
        var json = await JsonAsync(await app.CreateClient().GetAsync("/openapi/v1.json"));
        var preferred = json["paths"]!["/api/v1/presence/{user}/preferred"]!;
        Assert.NotNull(preferred["put"]!["requestBody"]);
        Assert.Contains("setUserPreferredPresence", preferred["put"]!["summary"]!.GetValue<string>());
        Assert.NotNull(preferred["delete"]);
        var message = json["paths"]!["/api/v1/presence/{user}/status-message"]!;
        Assert.NotNull(message["put"]!["requestBody"]);
        Assert.NotNull(message["delete"]);
        Assert.True(json["components"]!["schemas"]!.AsObject().ContainsKey("SetPreferredRequest"));
    }

    [Fact]
    public async Task TheHubsPresenceChangedCarriesThePreferredPresenceStatusMessageSinceAndLastSeen()
    {
        var clock = new FakeTimeProvider(FakeClockApp.Start);
        var tracker = new PresenceTracker(clock);
        var hub = new RecordingHubContext();
        var broadcaster = new PresenceBroadcaster(tracker, hub, Options.Create(new PresenceHubOptions { FlushInterval = TimeSpan.Zero }), NullLogger<PresenceBroadcaster>.Instance);
        await broadcaster.StartAsync(CancellationToken.None);
        var user = UserId.Parse("hubpref@example.com");
        var until = FakeClockApp.Start.AddHours(1);

        tracker.Apply(new ProtocolStatusUpdate(user, Protocols.Spreed, PresenceState.Available, ""));
        await hub.WhenAsync(m => m.Count == 1);
        clock.Advance(TimeSpan.FromMinutes(1));
        tracker.Apply(new PersonalStatusUpdate(user, Protocols.Preferred, PresenceState.Busy, "focus", until));
        tracker.Apply(new PersonalStatusUpdate(user, Protocols.StatusMessage, PresenceState.Unavailable, "release day", null));
        await hub.WhenAsync(m => m.Any(x => x.StatusMessage is not null));

        var last = hub.Messages[^1];
        Assert.Equal("busy", last.Overall);
        Assert.Equal(new PreferredPresenceDto("busy", "focus", until), last.Preferred);
        Assert.Equal("release day", last.StatusMessage!.Message);
        Assert.Equal(FakeClockApp.Start.AddMinutes(1), last.Since);
        Assert.Equal(FakeClockApp.Start.AddMinutes(1), last.LastSeen);
        Assert.Equal(until, last.AvailableAgainAt);
        Assert.Equal(["spreed"], last.Protocols.Keys);

        // The hub serialises with the API's JSON context: camelCase names clients read.
        var wire = JsonSerializer.SerializeToNode(last, PresenceJsonContext.Default.UserPresenceDto)!;
        Assert.Equal("busy", wire["preferred"]!["status"]!.GetValue<string>());
        Assert.Equal("release day", wire["statusMessage"]!["message"]!.GetValue<string>());
        Assert.NotNull(wire["availableAgainAt"]);
        Assert.NotNull(wire["lastSeen"]);
        Assert.NotNull(wire["since"]);
        await broadcaster.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void TheChangeLogCarriesTheEndAndACleared()
    {
        var at = FakeClockApp.Start;
        var status = new ProtocolStatus(Protocols.Preferred, PresenceState.Away, "lunch", at, Until: at.AddHours(1));
        Assert.Equal(status, LoggedStatus.Read(Protocols.Preferred, LoggedStatus.Write(status)));
        Assert.Equal("null", LoggedStatus.Write(null));
        Assert.Null(LoggedStatus.Read(Protocols.Preferred, "null"));
        Assert.Throws<JsonException>(() => LoggedStatus.Read(Protocols.Spreed, "null"));
        var spreed = new ProtocolStatus(Protocols.Spreed, PresenceState.Busy, "", at);
        Assert.DoesNotContain("\"U\"", LoggedStatus.Write(spreed));
    }
}
