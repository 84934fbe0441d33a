using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Authentication;
using Presence.Web.History;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>The service on a SQLite file (its own, or one a restart test keeps) with a fake clock (FakeTimeProvider); a class fixture shares it.</summary>
public sealed class FakeClockApp : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Protocols of these tests: <c>phone</c> is written by the API and, unlike spreed, never expires.</summary>
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Presence:Protocols:xmpp:WrittenBy"] = "Component",
        ["Presence:Protocols:spreed:WrittenBy"] = "Api",
        ["Presence:Protocols:phone:WrittenBy"] = "Api",
    };

    private readonly bool _ownsDatabase;

    public FakeClockApp() : this(TempDatabase.Sqlite(), new FakeTimeProvider(Start), Settings) => _ownsDatabase = true;

    internal FakeClockApp(TempDatabase database, FakeTimeProvider clock, IDictionary<string, string?>? settings = null)
    {
        Database = database;
        Clock = clock;
        App = new PresenceApp(database, settings, s => s.AddSingleton<TimeProvider>(clock));
        _ = App.Server;
    }

    public TempDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public PresenceApp App { get; }

    /// <summary>A client with a shared-secret token of <paramref name="user"/>, made now on the fake clock.</summary>
    public HttpClient Client(string user) => App.Bearer(Token(user, Clock.GetUtcNow()));

    /// <summary>Advances the clock and waits until every change it caused (expiries) is committed.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        Clock.Advance(span);
        await App.Services.GetRequiredService<HistoryWriter>().WaitForCommitAsync(App.Tracker.Sequence, CancellationToken.None);
    }

    public async Task<JsonNode> GetAsync(string user) => await JsonAsync(await Client(user).GetAsync($"/api/v1/presence/{user}"));

    public void Dispose()
    {
        App.Dispose();
        if (_ownsDatabase) Database.Dispose();
    }
}

public sealed class PreferredPresenceTests(FakeClockApp fixture) : IClassFixture<FakeClockApp>
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    private Task<HttpResponseMessage> PutPreferred(string user, string body, string? caller = null) =>
        fixture.Client(caller ?? user).PutAsync($"/api/v1/presence/{user}/preferred", Json(body));

    private Task<HttpResponseMessage> PutSpreed(string user, string status) =>
        fixture.Client(user).PutAsync($"/api/v1/presence/{user}/phone", Json($$"""{"status": "{{status}}"}"""));

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ThePreferredPresenceOverridesTheProtocolsUntilItsDeadlineThenTheComputedStateReturns()
    {
        const string user = "pref1@example.com";
        Assert.Equal(200, (int)(await PutSpreed(user, "available")).StatusCode);
        var until = Now.AddHours(2);
        var put = await PutPreferred(user, $$"""{"status": "busy", "message": "focus time", "until": "{{Iso(until)}}"}""");
        Assert.Equal(200, (int)put.StatusCode);

        var doc = await fixture.GetAsync(user);
        Assert.Equal("busy", doc["overall"]!.GetValue<string>());
        Assert.Equal("busy", doc["preferred"]!["status"]!.GetValue<string>());
        Assert.Equal("focus time", doc["preferred"]!["message"]!.GetValue<string>());
        Assert.Equal(until, Time(doc["preferred"]!["until"]));
        Assert.Equal(until, Time(doc["availableAgainAt"]));
        Assert.False(doc["protocols"]!.AsObject().ContainsKey("preferred"));
        Assert.Equal("available", doc["protocols"]!["phone"]!["status"]!.GetValue<string>());

        await fixture.AdvanceAsync(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal("busy", (await fixture.GetAsync(user))["overall"]!.GetValue<string>());

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
        doc = await fixture.GetAsync(user);
        Assert.Equal("available", doc["overall"]!.GetValue<string>());
        Assert.Null(doc["preferred"]);
        Assert.Null(doc["availableAgainAt"]);

        var history = (await JsonAsync(await fixture.Client(user).GetAsync($"/api/v1/presence/{user}/history"))).AsArray();
        var preferred = history.Where(e => e!["protocol"]!.GetValue<string>() == "preferred").Select(e => (e!["status"]!.GetValue<string>(), e["cause"]!.GetValue<string>())).ToList();
        Assert.Equal([("cleared", "expiry"), ("busy", "api")], preferred);
        var overall = history.Where(e => e!["protocol"]!.GetValue<string>() == "overall").Select(e => (e!["status"]!.GetValue<string>(), e["cause"]!.GetValue<string>())).ToList();
        Assert.Equal([("available", "expiry"), ("busy", "api"), ("available", "api")], overall);
    }

    [Fact]
    public async Task DeleteClearsThePreferredPresenceAndTheProtocolsDecideAgain()
    {
        const string user = "pref2@example.com";
        await PutSpreed(user, "away");
        Assert.Equal(200, (int)(await PutPreferred(user, """{"status": "unavailable"}""")).StatusCode);
        var doc = await fixture.GetAsync(user);
        Assert.Equal("unavailable", doc["overall"]!.GetValue<string>()); // appear offline
        Assert.NotNull(doc["availableAgainAt"]);

        var deleted = await fixture.Client(user).DeleteAsync($"/api/v1/presence/{user}/preferred");
        Assert.Equal(200, (int)deleted.StatusCode);
        doc = await JsonAsync(deleted);
        Assert.Equal("away", doc["overall"]!.GetValue<string>());
        Assert.Null(doc["preferred"]);
        Assert.Equal(200, (int)(await fixture.Client(user).DeleteAsync($"/api/v1/presence/{user}/preferred")).StatusCode); // idempotent
    }

    [Theory]
    [InlineData("busy", 1)]
    [InlineData("available", 7)]
    [InlineData("away", 7)]
    [InlineData("unavailable", 7)]
    public async Task WithoutUntilItEndsAfterOneDayForBusyAndSevenDaysOtherwise(string status, int days)
    {
        var user = $"default-{status}@example.com";
        var set = Now;
        Assert.Equal(200, (int)(await PutPreferred(user, $$"""{"status": "{{status}}"}""")).StatusCode);
        Assert.Equal(set.AddDays(days), Time((await fixture.GetAsync(user))["preferred"]!["until"]));
    }

    [Fact]
    public async Task AvailableAgainAtIsNullWhileThePreferredPresenceIsAvailable()
    {
        const string user = "pref3@example.com";
        await PutPreferred(user, """{"status": "available"}""");
        var doc = await fixture.GetAsync(user);
        Assert.Equal("available", doc["overall"]!.GetValue<string>());
        Assert.Null(doc["availableAgainAt"]);
        await PutPreferred(user, """{"status": "away"}""");
        Assert.Equal(Time((await fixture.GetAsync(user))["preferred"]!["until"]), Time((await fixture.GetAsync(user))["availableAgainAt"]));
    }

    [Theory]
    [InlineData("""{"status": "dnd"}""", "\"status\" 'dnd'")]
    [InlineData("""{"message": "no status"}""", "\"status\" is missing")]
    [InlineData("""{"status": "busy", "until": "2020-01-01T00:00:00Z"}""", "\"until\"", "not in the future")]
    [InlineData("""{"status": "busy", "until": "2026-12-30T00:00:00Z"}""", "\"until\"", "Presence:Preferred:MaxDuration")]
    [InlineData("""{"status": "busy", "until": "tomorrow"}""", "\"until\" 'tomorrow'")]
    [InlineData("""{"status": "busy", "until": 5}""", "malformed JSON", "until")]
    [InlineData("""{"status": "busy" """, "malformed JSON")]
    [InlineData("", "JSON object")]
    public async Task BadInputIsA400NamingTheFieldAndNothingIsApplied(string body, params string[] fragments)
    {
        const string user = "badpref@example.com";
        await AssertProblemAsync(await PutPreferred(user, body), 400, fragments);
        Assert.Null(fixture.App.Get(user)?.Preferred);
    }

    [Fact]
    public async Task AnOverLongMessageIsA400()
    {
        var body = $$"""{"status": "busy", "message": "{{new string('x', 1025)}}"}""";
        await AssertProblemAsync(await PutPreferred("longpref@example.com", body), 400, "\"message\"", "Presence:Api:MaxMessageLength");
        await AssertProblemAsync(await fixture.Client("longpref@example.com").PutAsync("/api/v1/presence/longpref@example.com/status-message", Json($$"""{"message": "{{new string('x', 1025)}}"}""")),
            400, "\"message\"");
        Assert.Null(fixture.App.Get("longpref@example.com"));
    }

    [Fact]
    public async Task WritingAnotherUsersPreferredPresenceNeedsWriteAny()
    {
        await AssertProblemAsync(await PutPreferred("victim@example.com", """{"status": "busy"}""", caller: "mallory@example.com"), 403, "write-any");
        await AssertProblemAsync(await fixture.Client("mallory@example.com").DeleteAsync("/api/v1/presence/victim@example.com/preferred"), 403);
        await AssertProblemAsync(await fixture.Client("mallory@example.com").PutAsync("/api/v1/presence/victim@example.com/status-message", Json("""{"message": "hacked"}""")), 403);
        Assert.Null(fixture.App.Get("victim@example.com"));

        var clients = fixture.App.Services.GetRequiredService<ApiClientService>();
        var created = await clients.CreateAsync("assistant", ApiScopes.Read | ApiScopes.WriteAny, null, "admin");
        var assistant = fixture.App.Bearer(Token("bot@example.com", Now, created.Secret));
        Assert.Equal(200, (int)(await assistant.PutAsync("/api/v1/presence/victim@example.com/preferred", Json("""{"status": "away"}"""))).StatusCode);
        Assert.Equal(PresenceState.Away, fixture.App.Get("victim@example.com")!.Overall);
    }

    [Fact]
    public async Task TheStatusMessageIsSeparateFromTheProtocolsAndExpires()
    {
        const string user = "msg1@example.com";
        await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/phone", Json("""{"status": "available", "message": "in a call"}"""));
        var published = Now;
        var until = Now.AddMinutes(90);
        var put = await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/status-message", Json($$"""{"message": "Out of office until Monday", "until": "{{Iso(until)}}"}"""));
        Assert.Equal(200, (int)put.StatusCode);

        var doc = await fixture.GetAsync(user);
        Assert.Equal("Out of office until Monday", doc["statusMessage"]!["message"]!.GetValue<string>());
        Assert.Equal(until, Time(doc["statusMessage"]!["until"]));
        Assert.Equal(published, Time(doc["statusMessage"]!["published"]));
        Assert.Equal("in a call", doc["protocols"]!["phone"]!["message"]!.GetValue<string>());
        Assert.Equal("available", doc["overall"]!.GetValue<string>());
        Assert.False(doc["protocols"]!.AsObject().ContainsKey("status-message"));

        await fixture.AdvanceAsync(TimeSpan.FromMinutes(90));
        Assert.Null((await fixture.GetAsync(user))["statusMessage"]);
    }

    [Fact]
    public async Task AStatusMessageWithoutUntilLastsUntilDeleted()
    {
        const string user = "msg2@example.com";
        Assert.Equal(200, (int)(await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/status-message", Json("""{"message": "Ask me about the release"}"""))).StatusCode);
        var doc = await fixture.GetAsync(user);
        Assert.Null(doc["statusMessage"]!["until"]);
        await AssertProblemAsync(await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/status-message", Json("""{"until": "2030-01-01T00:00:00Z"}""")), 400, "\"message\"");
        await AssertProblemAsync(await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/status-message", Json("""{"message": "x", "until": "2001-01-01T00:00:00Z"}""")), 400, "\"until\"");

        Assert.Equal(200, (int)(await fixture.Client(user).DeleteAsync($"/api/v1/presence/{user}/status-message")).StatusCode);
        Assert.Null((await fixture.GetAsync(user))["statusMessage"]);
    }

    [Fact]
    public async Task SinceAndLastSeenFollowRealTransitions()
    {
        const string user = "seen@example.com";
        var t0 = Now;
        await PutSpreed(user, "available");
        var doc = await fixture.GetAsync(user);
        Assert.Equal(t0, Time(doc["since"]));

        await fixture.AdvanceAsync(TimeSpan.FromMinutes(10));
        await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/phone", Json("""{"status": "available", "message": "still here"}"""));
        Assert.Equal(t0, Time((await fixture.GetAsync(user))["since"])); // same overall state

        await fixture.AdvanceAsync(TimeSpan.FromMinutes(10));
        var t2 = Now;
        await PutSpreed(user, "unavailable");
        doc = await fixture.GetAsync(user);
        Assert.Equal(t2, Time(doc["since"]));
        Assert.Equal(t2, Time(doc["lastSeen"]));

        await fixture.AdvanceAsync(TimeSpan.FromMinutes(10));
        await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/phone", Json("""{"status": "unavailable", "message": "gone home"}"""));
        doc = await fixture.GetAsync(user);
        Assert.Equal(t2, Time(doc["since"]));
        Assert.Equal(t2, Time(doc["lastSeen"]));

        var many = await JsonAsync(await fixture.Client(user).GetAsync($"/api/v1/presence?user={user}&user=nobody-seen@example.com"));
        Assert.Equal(t2, Time(many[0]!["lastSeen"]));
        Assert.Null(many[1]!["lastSeen"]);
    }

    [Fact]
    public async Task TheCompatApiDoesNotListThePreferredPresenceOrStatusMessage()
    {
        const string user = "compat-pref@example.com";
        await PutSpreed(user, "away");
        await PutPreferred(user, """{"status": "busy"}""");
        await fixture.Client(user).PutAsync($"/api/v1/presence/{user}/status-message", Json("""{"message": "hello"}"""));
        var r = await fixture.App.CompatAsync(HttpMethod.Get, Envelope(Token(user, Now), Entry(user)));
        var entry = (await JsonAsync(r))["UserStatus"]![0]!.AsObject();
        Assert.Equal(["user_id", "phone"], entry.Select(p => p.Key));
        await AssertProblemAsync(await fixture.App.CompatAsync(HttpMethod.Put, Envelope(Token(user, Now), Entry(user, "preferred", "busy"))), 400, "preferred");
    }
}
