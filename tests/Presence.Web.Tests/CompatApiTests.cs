using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

public sealed class CompatApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly PresenceApp _app = fixture.App;

    [Fact]
    public async Task PutThenGetWithBodyReturnsTheZarafaEnvelope()
    {
        var put = await _app.CompatAsync(HttpMethod.Put, Envelope(Token("anna@example.com"), Entry("Anna@Example.com", "spreed", "busy", "in a meeting")));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("", await put.Content.ReadAsStringAsync());

        var get = await _app.CompatAsync(HttpMethod.Get, Envelope(Token("anna@example.com"), Entry("anna@example.com")));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("""{"Type":"UserStatus","UserStatus":[{"user_id":"anna@example.com","spreed":{"status":"busy","message":"in a meeting"}}]}""",
            await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownUserIsAnsweredWithJustItsUserId()
    {
        var get = await _app.CompatAsync(HttpMethod.Get, Envelope(Token("anna@example.com"), Entry("nobody@example.com")));
        Assert.Equal("""{"Type":"UserStatus","UserStatus":[{"user_id":"nobody@example.com"}]}""", await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostUpdatesAndReturnsTheGetShape()
    {
        var post = await _app.CompatAsync(HttpMethod.Post, Envelope(Token("carl@example.com"), Entry("carl@example.com", "spreed", "available", "free")));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var json = await JsonAsync(post);
        Assert.Equal("UserStatus", json["Type"]!.GetValue<string>());
        var entry = json["UserStatus"]![0]!;
        Assert.Equal("carl@example.com", entry["user_id"]!.GetValue<string>());
        Assert.Equal("available", entry["spreed"]!["status"]!.GetValue<string>());
        Assert.Equal("free", entry["spreed"]!["message"]!.GetValue<string>());
        Assert.Equal(PresenceState.Available, _app.Get("carl@example.com")!.Overall);
    }

    [Fact]
    public async Task AnnotatedStatusCarriesAnAnnotationObject()
    {
        await _app.CompatAsync(HttpMethod.Put, Envelope(Token("dora@example.com"), Entry("dora@example.com", "spreed", "available")));
        _app.Tracker.Apply(new Presence.Domain.Tracking.AnnotationUpdate(UserId.Parse("dora@example.com"), "spreed", null,
            new StateAnnotation(AnnotationKind.ConnectionPaused, "pubpresence.localhost", "no refresh", DateTimeOffset.UtcNow), Presence.Domain.Tracking.ChangeCause.Expiry));

        var json = await JsonAsync(await _app.CompatAsync(HttpMethod.Get, Envelope(Token("dora@example.com"), Entry("dora@example.com"))));
        var annotation = json["UserStatus"]![0]!["spreed"]!["annotation"]!;
        Assert.Equal("connection-paused", annotation["kind"]!.GetValue<string>());
        Assert.Equal("pubpresence.localhost", annotation["from"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATokenMayReadAnyUser()
    {
        await _app.CompatAsync(HttpMethod.Put, Envelope(Token("erik@example.com"), Entry("erik@example.com", "spreed", "away", "lunch")));
        var json = await JsonAsync(await _app.CompatAsync(HttpMethod.Get, Envelope(Token("someone-else@example.com"), Entry("erik@example.com"))));
        Assert.Equal("away", json["UserStatus"]![0]!["spreed"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutIsAcknowledgedOnlyAfterItsHistoryIsCommitted()
    {
        var put = await _app.CompatAsync(HttpMethod.Put, Envelope(Token("fred@example.com"), Entry("fred@example.com", "spreed", "busy", "call")));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var history = _app.Services.GetRequiredService<Presence.Web.History.HistoryQueries>();
        var rows = await history.GetAsync(UserId.Parse("fred@example.com"), null, null, 10, default);
        Assert.Contains(rows, r => r.Protocol == "spreed" && r.State == "busy" && r.Message == "call" && r.Cause == "api");
        Assert.Contains(rows, r => r.Protocol == "overall" && r.State == "busy");
    }
}
