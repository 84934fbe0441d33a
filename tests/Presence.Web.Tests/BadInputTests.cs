using System.Net.Http.Headers;
using System.Text;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>The bad-input matrix of the API: each case answers the right status with a detail naming what was wrong and changes nothing.</summary>
public sealed class BadInputTests : IClassFixture<AppFixture>
{
    private const string User = "gina@example.com";
    private readonly PresenceApp _app;

    public BadInputTests(AppFixture fixture)
    {
        _app = fixture.App;
        var put = _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, "spreed", "available", "baseline"))).GetAwaiter().GetResult();
        Assert.Equal(200, (int)put.StatusCode);
    }

    private void AssertUnchanged()
    {
        var spreed = _app.Get(User)!.Get("spreed")!;
        Assert.Equal(PresenceState.Available, spreed.State);
        Assert.Equal("baseline", spreed.Message);
        Assert.Null(_app.Get("hans@example.com"));
    }

    [Fact]
    public async Task MalformedJsonIsRefusedWith400()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, "{\"AuthenticationToken\": \"x\", \"Type\": \"UserStatus\", \"UserStatus\": [");
        await AssertProblemAsync(r, 400, "malformed JSON");
        AssertUnchanged();
    }

    [Fact]
    public async Task WrongTypeIsRefusedWith400()
    {
        var body = Envelope(Token(User), Entry(User, "spreed", "busy")).Replace("\"UserStatus\",", "\"UserPresence\",");
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, body), 400, "\"Type\" must be \"UserStatus\"", "UserPresence");
        AssertUnchanged();
    }

    [Fact]
    public async Task UnknownStatusIsRefusedWith400()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, "spreed", "sleepy")));
        await AssertProblemAsync(r, 400, "UserStatus[0].spreed.status", "'sleepy'", "available, busy, away, unavailable");
        AssertUnchanged();
    }

    [Fact]
    public async Task InvalidUserIdIsRefusedWith400()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry("gina@@example.com", "spreed", "busy")));
        await AssertProblemAsync(r, 400, "UserStatus[0].user_id", "more than one '@'");
        AssertUnchanged();
    }

    [Fact]
    public async Task BatchWithOneBadEntryChangesNothing()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User),
            Entry(User, "spreed", "busy", "first is fine"),
            Entry(User, "spreed", "nonsense")));
        await AssertProblemAsync(r, 400, "UserStatus[1].spreed.status", "'nonsense'");
        AssertUnchanged();
    }

    [Fact]
    public async Task OversizedBodyIsRefusedWith413()
    {
        var big = new string('x', 70 * 1024);
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, "spreed", "busy", big)));
        await AssertProblemAsync(r, 413, "larger than the limit of 65536 bytes");
        AssertUnchanged();
    }

    [Fact]
    public async Task MissingTokenIsRefusedWith401()
    {
        var body = "{\"Type\": \"UserStatus\", \"UserStatus\": [{\"user_id\": \"gina@example.com\", \"spreed\": {\"status\": \"busy\"}}]}";
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, body), 401, "no authentication token");
        AssertUnchanged();
    }

    [Fact]
    public async Task ExpiredTokenIsRefusedWith401()
    {
        var old = Token(User, DateTimeOffset.UtcNow.AddMinutes(-10));
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, Envelope(old, Entry(User, "spreed", "busy"))), 401, "expired");
        AssertUnchanged();
    }

    [Fact]
    public async Task ForgedTokenIsRefusedWith401()
    {
        var forged = Token(User, secret: "some-other-secret-of-an-attacker");
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, Envelope(forged, Entry(User, "spreed", "busy"))), 401, "signature");
        AssertUnchanged();
    }

    [Fact]
    public async Task LowerCaseMacIsRefusedWith401()
    {
        var token = Token(User);
        var i = token.LastIndexOf(':');
        var lower = token[..(i + 1)] + token[(i + 1)..].ToLowerInvariant();
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, Envelope(lower, Entry(User, "spreed", "busy"))), 401, "signature");
        AssertUnchanged();
    }

    [Fact]
    public async Task MalformedTokenIsRefusedWith401()
    {
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, Envelope("not-a-token", Entry(User, "spreed", "busy"))), 401, "not of the form");
        AssertUnchanged();
    }

    [Fact]
    public async Task WritingAnotherUsersStatusIsForbidden()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token("hans@example.com"), Entry(User, "spreed", "busy")));
        await AssertProblemAsync(r, 403, "hans@example.com", "gina@example.com", "write-any");
        AssertUnchanged();
    }

    [Fact]
    public async Task SettingXmppThroughTheCompatApiIsRefused()
    {
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(Token(User), Entry(User, "xmpp", "busy")));
        await AssertProblemAsync(r, 400, "XMPP status comes from the XMPP server");
        AssertUnchanged();
    }

    [Fact]
    public async Task RestPutWithMalformedJsonUnknownStatusOrForeignUserChangesNothing()
    {
        var client = _app.Bearer(Token(User));
        await AssertProblemAsync(await client.PutAsync($"/api/v1/presence/{User}/spreed", Json("{\"status\": ")), 400, "malformed JSON");
        await AssertProblemAsync(await client.PutAsync($"/api/v1/presence/{User}/spreed", Json("{\"status\": \"sleepy\"}")), 400, "'sleepy'");
        await AssertProblemAsync(await client.PutAsync("/api/v1/presence/hans@example.com/spreed", Json("{\"status\": \"busy\"}")), 403, "write-any");
        await AssertProblemAsync(await client.PutAsync("/api/v1/presence/not a jid/spreed", Json("{\"status\": \"busy\"}")), 400, "not a valid user id");
        await AssertProblemAsync(await client.PutAsync($"/api/v1/presence/{User}/spreed", Json("{\"status\": \"busy\", \"message\": \"" + new string('m', 70_000) + "\"}")), 413, "limit");
        AssertUnchanged();
    }

    [Fact]
    public async Task RestWithoutOrWithBadBearerTokenIsRefusedWith401()
    {
        var anonymous = _app.CreateClient();
        await AssertProblemAsync(await anonymous.GetAsync($"/api/v1/presence/{User}"), 401, "no token");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "abc");
        await AssertProblemAsync(await anonymous.GetAsync($"/api/v1/presence/{User}"), 401, "Bearer");
        var expired = _app.Bearer(Token(User, DateTimeOffset.UtcNow.AddHours(-1)));
        await AssertProblemAsync(await expired.PutAsync($"/api/v1/presence/{User}/spreed", Json("{\"status\": \"busy\"}")), 401, "expired");
        var future = _app.Bearer(Token(User, DateTimeOffset.UtcNow.AddHours(1)));
        await AssertProblemAsync(await future.GetAsync($"/api/v1/presence/{User}"), 401, "future");
        AssertUnchanged();
    }

    [Fact]
    public async Task TheServiceKeepsServingAfterBadInput()
    {
        await _app.CompatAsync(HttpMethod.Put, "garbage");
        var ok = await _app.CompatAsync(HttpMethod.Get, Envelope(Token(User), Entry(User)));
        Assert.Equal(200, (int)ok.StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
