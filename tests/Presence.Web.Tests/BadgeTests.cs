using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Presence.Domain.Model;
using Presence.Web.Api;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>The presence badge: its SVG (words, colour, accessible title) and the endpoint's token guard and caching.</summary>
public sealed class BadgeTests
{
    private static XElement Svg(string text) => XElement.Parse(text);

    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData(PresenceState.Available, "available", "#2e7d32")]
    [InlineData(PresenceState.Busy, "busy", "#c62828")]
    [InlineData(PresenceState.Away, "away", "#a15c00")]
    [InlineData(PresenceState.Unavailable, "unavailable", "#616161")]
    public void TheBadgeSaysTheStateInWordsOnItsColourWithAnAccessibleTitle(PresenceState state, string word, string colour)
    {
        var svg = Svg(PresenceBadge.Render("alice@example.com", state, stale: false));

        Assert.Equal($"alice@example.com: {word}", svg.Element(Ns + "title")!.Value);
        Assert.Equal($"alice@example.com: {word}", svg.Attribute("aria-label")!.Value);
        Assert.Equal("img", svg.Attribute("role")!.Value);
        Assert.Contains(svg.Descendants(Ns + "text"), t => t.Value == word);
        Assert.Contains(svg.Descendants(Ns + "rect"), r => (string?)r.Attribute("fill") == colour);
    }

    [Fact]
    public void AStaleOrUnknownStateSaysSoAndAUserIdIsEscaped()
    {
        var stale = Svg(PresenceBadge.Render("bob@example.com", PresenceState.Busy, stale: true));
        var unknown = Svg(PresenceBadge.Render("o'<b>@example.com", null, stale: false));

        Assert.Contains(stale.Descendants(Ns + "text"), t => t.Value == "busy (stale)");
        Assert.Equal("o'<b>@example.com: unknown", unknown.Element(Ns + "title")!.Value);
    }

    [Fact]
    public void TheSameBadgeHasTheSameETagAndAnotherStateAnother()
    {
        var a = PresenceBadge.ETag(PresenceBadge.Render("alice@example.com", PresenceState.Busy, false));
        var b = PresenceBadge.ETag(PresenceBadge.Render("alice@example.com", PresenceState.Busy, false));
        var c = PresenceBadge.ETag(PresenceBadge.Render("alice@example.com", PresenceState.Away, false));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Matches("^\"[0-9a-f]{32}\"$", a);
    }

    [Fact]
    public async Task TheBadgeNeedsATokenLikeTheRestOfTheApi()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        await app.Bearer(PresenceApp.Token("alice@example.com")).PutAsync("/api/v1/presence/alice@example.com/spreed",
            new StringContent("""{"status":"busy","message":"call"}""", System.Text.Encoding.UTF8, "application/json"));

        using var anonymous = await app.CreateClient().GetAsync("/api/v1/presence/alice@example.com/badge.svg");
        using var bearer = await app.Bearer(PresenceApp.Token("reader@example.com")).GetAsync("/api/v1/presence/alice@example.com/badge.svg");
        using var query = await app.CreateClient().GetAsync("/api/v1/presence/alice@example.com/badge.svg?token=" + Uri.EscapeDataString(PresenceApp.Token("reader@example.com")));

        await PresenceApp.AssertProblemAsync(anonymous, 401, "no token");
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal("image/svg+xml", bearer.Content.Headers.ContentType!.MediaType);
        Assert.Contains("alice@example.com: busy", await bearer.Content.ReadAsStringAsync());
        Assert.True(bearer.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    /// <summary>
    /// A token pasted into an <c>&lt;img src&gt;</c> without URL-encoding: each <c>+</c> of its MAC arrives as a space
    /// (about three tokens in four have one); the badge restores it, and an encoded token works as before.
    /// </summary>
    [Fact]
    public async Task ATokenWithAPlusWorksUnencodedInTheQuery()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var now = DateTimeOffset.UtcNow;
        var token = Enumerable.Range(0, 120).Select(s => PresenceApp.Token("reader@example.com", at: now.AddSeconds(-s))).First(t => t.Contains('+'));

        using var unencoded = await app.CreateClient().GetAsync("/api/v1/presence/alice@example.com/badge.svg?token=" + token);
        using var encoded = await app.CreateClient().GetAsync("/api/v1/presence/alice@example.com/badge.svg?token=" + Uri.EscapeDataString(token));

        Assert.Equal(HttpStatusCode.OK, unencoded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
        Assert.Equal(token, PresenceBadgeApi.RestorePlus(token.Replace('+', ' ') + "\n"));
    }

    [Fact]
    public async Task AForgedOrExpiredTokenInTheQueryOrHeaderGetsNoBadge()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        var forged = Uri.EscapeDataString(PresenceApp.Token("reader@example.com", secret: "not-the-service-secret-0123456789"));
        var expired = PresenceApp.Token("reader@example.com", at: DateTimeOffset.UtcNow.AddHours(-1));

        await PresenceApp.AssertProblemAsync(await app.CreateClient().GetAsync("/api/v1/presence/alice@example.com/badge.svg?token=" + forged), 401, "signature");
        await PresenceApp.AssertProblemAsync(await app.Bearer(expired).GetAsync("/api/v1/presence/alice@example.com/badge.svg"), 401, "expired");
    }

    [Fact]
    public async Task AllowAnonymousServesTheBadgeWithoutATokenAndAnswers304ToItsETag()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Badge:AllowAnonymous"] = "true", ["Presence:Badge:MaxAge"] = "00:00:05" });
        var client = app.CreateClient();

        using var first = await client.GetAsync("/api/v1/presence/nobody@example.com/badge.svg");
        var etag = first.Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/presence/nobody@example.com/badge.svg");
        request.Headers.IfNoneMatch.Add(etag);
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("nobody@example.com: unknown", await first.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(5), first.Headers.CacheControl!.MaxAge);
        Assert.True(first.Headers.CacheControl.Public);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task ABadgeOfAnInvalidUserIdSaysWhatIsWrong()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Badge:AllowAnonymous"] = "true" });

        using var response = await app.CreateClient().GetAsync("/api/v1/presence/no-at-sign/badge.svg");

        await PresenceApp.AssertProblemAsync(response, 400, "no-at-sign", "not a valid user id");
    }

    [Fact]
    public async Task AnOutOfRangeMaxAgeStopsTheServiceWithAMessageNamingTheKey()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Badge:MaxAge"] = "02:00:00" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Presence:Badge:MaxAge", error.ToString());
    }
}
