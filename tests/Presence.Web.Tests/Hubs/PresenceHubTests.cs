using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Tokens;
using Presence.Web.Authentication;
using System.Text.Json;
using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Web.Tests.Hubs;

/// <summary>The hub through the real JavaScript client (<c>@microsoft/signalr</c> in Node) against Kestrel.</summary>
public sealed class PresenceHubTests(HubApp app) : IClassFixture<HubApp>
{
    [Fact]
    public async Task AConnectionWithoutATokenIsRefusedWith401AtNegotiate()
    {
        await using var client = NodeSignalRClient.Start(app.HubUrl, token: null);

        var e = await client.NextAsync();

        Assert.Equal("error", e.GetProperty("event").GetString());
        Assert.Equal(401, e.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task AForgedTokenIsRefusedWith401AndTheReasonIsNamed()
    {
        var forged = HubApp.TokenFor("mallory@example.com")[..^4] + "AAA=";
        await using var client = NodeSignalRClient.Start(app.HubUrl, forged);

        var e = await client.NextAsync();

        Assert.Equal(401, e.GetProperty("statusCode").GetInt32());
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, app.HubUrl + "/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new("Bearer", forged);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signature matches no known secret", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AnExpiredTokenIsRefusedWith401()
    {
        var expired = Presence.Domain.Tokens.PresenceToken.Create(HubApp.Secret, "alice@example.com", DateTimeOffset.UtcNow.AddHours(-1));
        await using var client = NodeSignalRClient.Start(app.HubUrl, expired);

        var e = await client.NextAsync();

        Assert.Equal(401, e.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task ATokenInTheAccessTokenQueryParameterIsAccepted()
    {
        await using var client = NodeSignalRClient.Start(app.HubUrl, HubApp.TokenFor("alice@example.com"), "--query-only");

        Assert.Equal("connected", (await client.NextAsync()).GetProperty("event").GetString());
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "alice@example.com" } });
        Assert.Equal("snapshot", (await client.NextAsync()).GetProperty("event").GetString());
    }

    [Fact]
    public async Task AnApiClientsTokenIsAcceptedAndRefusedOnceTheClientIsRevoked()
    {
        var clients = app.Services.GetRequiredService<ApiClientService>();
        var created = await clients.CreateAsync("hub-reader", ApiScopes.Read, null, "tests");
        var token = PresenceToken.Create(created.Secret, "app@example.com", DateTimeOffset.UtcNow);
        await using (var client = NodeSignalRClient.Start(app.HubUrl, token))
        {
            Assert.Equal("connected", (await client.NextAsync()).GetProperty("event").GetString());
        }

        await clients.RevokeAsync(created.Client.Id, "tests");
        await using var refused = NodeSignalRClient.Start(app.HubUrl, token);

        Assert.Equal(401, (await refused.NextAsync()).GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task AStatusPutThroughTheRestApiIsPushedToSubscribers()
    {
        await using var client = await ConnectedAsync("reader@example.com");
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "lena@example.com" } });
        await client.NextAsync("snapshot");

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, app.BaseUrl + "/api/v1/presence/lena@example.com/spreed")
        {
            Content = JsonContent.Create(new { status = "busy", message = "in a call" }),
        };
        request.Headers.Authorization = new("Bearer", HubApp.TokenFor("lena@example.com"));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        var changed = await client.NextAsync("changed");
        Assert.Equal("lena@example.com", User(changed));
        Assert.Equal("in a call", Message(changed, "spreed"));
        Assert.Equal("busy", changed.GetProperty("presence").GetProperty("overall").GetString());
    }

    [Fact]
    public async Task APreferredPresenceSetThroughTheRestApiReachesSubscribersWithTheNewFields()
    {
        await using var client = await ConnectedAsync("reader@example.com");
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "petra@example.com" } });
        await client.NextAsync("snapshot");

        using var http = new HttpClient();
        var until = DateTimeOffset.UtcNow.AddHours(2);
        using var request = new HttpRequestMessage(HttpMethod.Put, app.BaseUrl + "/api/v1/presence/petra@example.com/preferred")
        {
            Content = JsonContent.Create(new { status = "away", message = "lunch", until = until.ToString("O") }),
        };
        request.Headers.Authorization = new("Bearer", HubApp.TokenFor("petra@example.com"));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        var presence = (await client.NextAsync("changed")).GetProperty("presence");
        Assert.Equal("away", presence.GetProperty("overall").GetString());
        Assert.Equal("away", presence.GetProperty("preferred").GetProperty("status").GetString());
        Assert.Equal("lunch", presence.GetProperty("preferred").GetProperty("message").GetString());
        Assert.Equal(until.ToUnixTimeSeconds(), presence.GetProperty("availableAgainAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(JsonValueKind.Null, presence.GetProperty("statusMessage").ValueKind);
        // Away is not unavailable: the user is seen as of this change, which also began the overall state.
        Assert.Equal(presence.GetProperty("since").GetDateTimeOffset(), presence.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.False(presence.GetProperty("protocols").TryGetProperty("preferred", out _));
    }

    [Fact]
    public async Task ASignedInDashboardSessionConnectsWithItsCookie()
    {
        await using var client = NodeSignalRClient.Start(app.HubUrl, token: null, "--cookie", app.SignInCookie("admin@example.com"));

        Assert.Equal("connected", (await client.NextAsync()).GetProperty("event").GetString());
        await client.SendAsync(new { cmd = "subscribeAll" });
        Assert.Equal("snapshot", (await client.NextAsync()).GetProperty("event").GetString());
    }

    [Fact]
    public async Task AnInvalidSignInCookieIsRefusedWith401NotARedirect()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, app.HubUrl + "/negotiate?negotiateVersion=1");
        request.Headers.Add("Cookie", ".AspNetCore." + HubApp.CookieScheme + "=not-a-ticket");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SubscribeAllReturnsTheSnapshotThenPushesChangesInTheRestShape()
    {
        var dana = UserId.Parse("dana@example.com");
        app.Tracker.Apply(new ResourceAvailableUpdate(dana, "laptop", XmppShow.Dnd, 5, "in a meeting"));
        await using var client = await ConnectedAsync("reader@example.com");

        await client.SendAsync(new { cmd = "subscribeAll" });
        var snapshot = await client.NextAsync("snapshot");

        var snap = Single(snapshot.GetProperty("users"), "dana@example.com");
        Assert.Equal("busy", snap.GetProperty("overall").GetString());
        Assert.True(snap.GetProperty("lastChange").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var xmpp = snap.GetProperty("protocols").GetProperty("xmpp");
        Assert.Equal("busy", xmpp.GetProperty("status").GetString());
        Assert.Equal("dnd", xmpp.GetProperty("show").GetString());
        Assert.Equal("in a meeting", xmpp.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, xmpp.GetProperty("annotation").ValueKind);
        var resource = Assert.Single(xmpp.GetProperty("resources").EnumerateArray());
        Assert.Equal("laptop", resource.GetProperty("resource").GetString());
        Assert.Equal(5, resource.GetProperty("priority").GetInt32());

        app.Tracker.Apply(new ProtocolStatusUpdate(dana, Protocols.Spreed, PresenceState.Available, "call with 😀 & <friends>"));
        var changed = (await client.NextAsync("changed", IsUser("dana@example.com"))).GetProperty("presence");

        var spreed = changed.GetProperty("protocols").GetProperty("spreed");
        Assert.Equal("available", spreed.GetProperty("status").GetString());
        Assert.Equal("call with 😀 & <friends>", spreed.GetProperty("message").GetString());
        Assert.False(spreed.TryGetProperty("show", out _));
        Assert.False(spreed.TryGetProperty("resources", out _));
        Assert.Equal("busy", changed.GetProperty("overall").GetString());

        app.Tracker.Apply(new ResourceUnavailableUpdate(dana, "laptop"));
        var after = (await client.NextAsync("changed", IsUser("dana@example.com"))).GetProperty("presence");
        Assert.Equal("available", after.GetProperty("overall").GetString());
        Assert.Equal("unavailable", after.GetProperty("protocols").GetProperty("xmpp").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ASubscriptionToOneUserReceivesOnlyThatUser()
    {
        var erin = UserId.Parse("erin@example.com");
        var fred = UserId.Parse("fred@example.com");
        await using var one = await ConnectedAsync("reader@example.com");
        await using var all = await ConnectedAsync("reader@example.com");
        await one.SendAsync(new { cmd = "subscribe", users = new[] { "Erin@Example.COM" } });
        var snapshot = await one.NextAsync("snapshot");
        await all.SendAsync(new { cmd = "subscribeAll" });
        await all.NextAsync("snapshot");

        var erinSnapshot = Assert.Single(snapshot.GetProperty("users").EnumerateArray());
        Assert.Equal("erin@example.com", erinSnapshot.GetProperty("user").GetString());
        Assert.Equal("unavailable", erinSnapshot.GetProperty("overall").GetString());
        Assert.Equal(JsonValueKind.Null, erinSnapshot.GetProperty("lastChange").ValueKind);

        app.Tracker.Apply(new ProtocolStatusUpdate(fred, Protocols.Spreed, PresenceState.Busy, "fred 1"));
        app.Tracker.Apply(new ProtocolStatusUpdate(erin, Protocols.Spreed, PresenceState.Away, "erin 1"));
        await all.NextAsync("changed", IsUser("fred@example.com")); // fred's change was pushed — to the other client
        var first = await one.NextAsync("changed");
        Assert.Equal("erin@example.com", User(first));
        app.Tracker.Apply(new ProtocolStatusUpdate(erin, Protocols.Spreed, PresenceState.Away, "erin 2"));
        await one.NextAsync("changed", e => Message(e, "spreed") == "erin 2");

        Assert.DoesNotContain(one.Drain(), e => e.GetProperty("event").GetString() == "changed" && User(e) == "fred@example.com");
    }

    [Fact]
    public async Task AnInvalidUserIdGetsAClearErrorAndNothingIsSubscribed()
    {
        var gina = UserId.Parse("gina@example.com");
        var hank = UserId.Parse("hank@example.com");
        await using var client = await ConnectedAsync("reader@example.com");

        await client.SendAsync(new { cmd = "subscribe", users = new[] { "gina@example.com", "not a jid", "two@@example.com" } });
        var error = await client.NextAsync();

        Assert.Equal("error", error.GetProperty("event").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.Contains("Invalid user ids 'not a jid': the user id contains whitespace", message);
        Assert.Contains("'two@@example.com': the user id contains more than one '@'", message);
        Assert.Contains("Nothing was subscribed", message);

        await client.SendAsync(new { cmd = "subscribe", users = new[] { "hank@example.com" } });
        await client.NextAsync("snapshot");
        app.Tracker.Apply(new ProtocolStatusUpdate(gina, Protocols.Spreed, PresenceState.Busy, "gina"));
        app.Tracker.Apply(new ProtocolStatusUpdate(hank, Protocols.Spreed, PresenceState.Busy, "hank"));
        var next = await client.NextAsync("changed");
        Assert.Equal("hank@example.com", User(next));
    }

    [Fact]
    public async Task AnEmptyOrMissingUserListIsRefusedWithAClearError()
    {
        await using var client = await ConnectedAsync("reader@example.com");

        await client.SendAsync(new { cmd = "subscribe", users = (string[]?)null });
        var error = await client.NextAsync();

        Assert.Equal("error", error.GetProperty("event").GetString());
        Assert.Contains("Subscribe needs a list of user ids", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ABurstOfAThousandUpdatesToOneUserIsCoalescedAndTheLastStateIsDelivered()
    {
        var ivan = UserId.Parse("ivan@example.com");
        await using var client = await ConnectedAsync("reader@example.com");
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "ivan@example.com" } });
        await client.NextAsync("snapshot");

        for (var i = 1; i <= 1000; i++)
        {
            app.Tracker.Apply(new ProtocolStatusUpdate(ivan, Protocols.Spreed, i % 2 == 0 ? PresenceState.Busy : PresenceState.Available, $"burst {i}"));
        }
        var received = new List<JsonElement>();
        while (true)
        {
            var e = await client.NextAsync("changed");
            received.Add(e);
            if (Message(e, "spreed") == "burst 1000") break;
        }

        Assert.True(received.Count <= 50, $"{received.Count} messages for 1,000 updates; expected them coalesced");
        var numbers = received.Select(e => int.Parse(Message(e, "spreed")!["burst ".Length..])).ToList();
        Assert.Equal(numbers.Order(), numbers); // never an older state after a newer one
        Assert.Equal("busy", received[^1].GetProperty("presence").GetProperty("overall").GetString());
    }

    [Fact]
    public async Task ABatchedSubscriberReceivesEveryChangedUserInFewMessagesWithTheLatestStates()
    {
        await using var batched = await ConnectedAsync("reader@example.com");
        await batched.SendAsync(new { cmd = "subscribeAllBatched" });
        await batched.NextAsync("snapshot");
        string[] users = ["nina@example.com", "omar@example.com", "pia@example.com"];

        for (var i = 1; i <= 100; i++)
        {
            foreach (var u in users) app.Tracker.Apply(new ProtocolStatusUpdate(UserId.Parse(u), Protocols.Spreed, PresenceState.Away, $"{u} {i}"));
        }
        var latest = new Dictionary<string, string?>();
        var messages = 0;
        while (users.Any(u => latest.GetValueOrDefault(u) != $"{u} 100"))
        {
            var batch = await batched.NextAsync();
            Assert.NotEqual("changed", batch.GetProperty("event").GetString()); // batched subscribers get no single pushes
            if (batch.GetProperty("event").GetString() != "batch") continue;
            messages++;
            foreach (var p in batch.GetProperty("presences").EnumerateArray())
            {
                latest[p.GetProperty("user").GetString()!] = p.GetProperty("protocols").GetProperty("spreed").GetProperty("message").GetString();
            }
        }

        Assert.True(messages <= 20, $"{messages} batch messages for 300 changes of 3 users");
    }

    private async Task<NodeSignalRClient> ConnectedAsync(string user, params string[] extra)
    {
        var client = NodeSignalRClient.Start(app.HubUrl, HubApp.TokenFor(user), extra);
        var e = await client.NextAsync();
        Assert.True(e.GetProperty("event").GetString() == "connected", $"expected connected, got {e} {client.Stderr}");
        return client;
    }

    private static JsonElement Single(JsonElement users, string user) =>
        Assert.Single(users.EnumerateArray(), u => u.GetProperty("user").GetString() == user);

    private static Func<JsonElement, bool> IsUser(string user) => e => User(e) == user;

    private static string? User(JsonElement changed) => changed.GetProperty("presence").GetProperty("user").GetString();

    private static string? Message(JsonElement changed, string protocol) =>
        changed.GetProperty("presence").GetProperty("protocols").TryGetProperty(protocol, out var p) ? p.GetProperty("message").GetString() : null;
}
