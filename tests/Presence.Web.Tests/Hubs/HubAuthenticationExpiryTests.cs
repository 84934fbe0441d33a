namespace Presence.Web.Tests.Hubs;

/// <summary>A hub connection lives no longer than the API token it was opened with.</summary>
public sealed class HubAuthenticationExpiryTests
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task AConnectedClientIsClosedByTheServerOnceItsTokenExpires()
    {
        using var app = new HubApp(new Dictionary<string, string?> { ["Presence:Tokens:Expiry"] = "00:00:06", ["Presence:Tokens:MaxClockSkew"] = "00:00:01" });
        var issued = DateTimeOffset.UtcNow;
        await using var client = NodeSignalRClient.Start(app.HubUrl, HubApp.TokenFor("alice@example.com"));
        Assert.Equal("connected", (await client.NextAsync()).GetProperty("event").GetString());
        await client.SendAsync(new { cmd = "subscribe", users = new[] { "alice@example.com" } });
        Assert.Equal("snapshot", (await client.NextAsync()).GetProperty("event").GetString());

        // NextAsync waits up to 20 s: without the expiry the connection stays open and this times out.
        await client.NextAsync("closed");

        // Tokens carry whole seconds, so the token may have been issued up to 1 s before `issued`.
        Assert.True(DateTimeOffset.UtcNow >= issued + Expiry - TimeSpan.FromSeconds(1),
            $"closed {(DateTimeOffset.UtcNow - issued).TotalSeconds:F1} s after issue, before the token's {Expiry.TotalSeconds} s expiry");
    }
}
