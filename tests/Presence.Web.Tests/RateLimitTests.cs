using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task ACallerOverItsLimitGets429WhileOthersAreServed()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Api:RateLimit:PermitsPerSecond"] = "1",
            ["Presence:Api:RateLimit:Burst"] = "3",
        });
        Assert.Equal(200, (int)(await app.CreateClient().GetAsync("/healthz")).StatusCode); // started and warm
        var greedy = app.Bearer(Token("greedy@example.com"));
        var codes = new List<int>();
        for (var i = 0; i < 6; i++) codes.Add((int)(await greedy.GetAsync("/api/v1/presence?user=a@example.com")).StatusCode);
        Assert.InRange(codes.Count(c => c == 200), 3, 4); // the burst, plus at most one refill during the loop
        Assert.Contains(429, codes);
        await AssertProblemAsync(await greedy.GetAsync("/api/v1/presence?user=a@example.com"), 429, "rate limit", "greedy@example.com");

        var other = await app.Bearer(Token("modest@example.com")).GetAsync("/api/v1/presence?user=a@example.com");
        Assert.Equal(200, (int)other.StatusCode);
    }
}
