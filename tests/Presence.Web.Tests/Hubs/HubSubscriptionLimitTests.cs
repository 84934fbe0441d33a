namespace Presence.Web.Tests.Hubs;

/// <summary>A connection's per-user subscriptions are capped in total, not only per call.</summary>
public sealed class HubSubscriptionLimitTests
{
    [Fact]
    public async Task SubscribingPastTheConnectionsTotalLimitIsRefusedWithAClearErrorAndNothingIsAdded()
    {
        using var app = new HubApp(new Dictionary<string, string?> { ["Presence:Hub:MaxUsersPerSubscribe"] = "3" });
        await using var client = NodeSignalRClient.Start(app.HubUrl, HubApp.TokenFor("alice@example.com"));
        Assert.Equal("connected", (await client.NextAsync()).GetProperty("event").GetString());
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "a@example.com", "b@example.com" } });
        Assert.Equal("snapshot", (await client.NextAsync()).GetProperty("event").GetString());

        await client.SendAsync(new { cmd = "subscribe", users = new[] { "b@example.com", "c@example.com", "d@example.com" } });
        var refused = await client.NextAsync();

        Assert.Equal("error", refused.GetProperty("event").GetString());
        Assert.Contains("at most 3 users; it has 2 and this call adds 2 more", refused.GetProperty("message").GetString());
        // Nothing was added: one more user (re-subscribing a known one) still fits.
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "a@example.com", "c@example.com" } });
        Assert.Equal("snapshot", (await client.NextAsync()).GetProperty("event").GetString());
    }
}
