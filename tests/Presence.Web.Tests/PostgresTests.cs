using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Web.Data;
using Presence.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

/// <summary>The same model and migration on a real PostgreSQL (<c>Presence:Database:Provider=Postgres</c>).</summary>
public sealed class PostgresTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task PostgresProviderRoundTripsStateAndHistoryAcrossARestart()
    {
        if (server.SkipReason is { } why)
        {
            output.WriteLine("SKIPPED: " + why);
            return;
        }
        using var db = TempDatabase.Postgres(server.ConnectionString("presence_roundtrip"));
        using (var first = new PresenceApp(db))
        {
            var put = await first.CompatAsync(HttpMethod.Put, Envelope(Token("pg@example.com"), Entry("pg@example.com", "spreed", "busy", "on postgres")));
            Assert.Equal(200, (int)put.StatusCode);
            var nina = UserId.Parse("pg@example.com");
            first.Tracker.Apply(new Presence.Domain.Tracking.ResourceAvailableUpdate(nina, "desk", XmppShow.Dnd, 3, "focus"));
            await first.Services.GetRequiredService<Presence.Web.History.HistoryWriter>().WaitForCommitAsync(first.Tracker.Sequence, default);

            await using var ctx = await first.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContextAsync();
            Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", ctx.Database.ProviderName);
            Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        }

        using var second = new PresenceApp(db);
        _ = second.Server;
        var restored = second.Get("pg@example.com");
        Assert.NotNull(restored);
        Assert.Equal("on postgres", restored.Get("spreed")!.Message);
        Assert.Equal(XmppShow.Dnd, restored.Get("xmpp")!.Show);
        var history = await JsonAsync(await second.Bearer(Token("pg@example.com")).GetAsync("/api/v1/presence/pg@example.com/history"));
        Assert.Contains(history.AsArray(), e => e!["protocol"]!.GetValue<string>() == "spreed" && e["message"]!.GetValue<string>() == "on postgres");
        Assert.Contains(history.AsArray(), e => e!["protocol"]!.GetValue<string>() == "xmpp" && e["show"]!.GetValue<string>() == "dnd");
        var client = await second.Services.GetRequiredService<Presence.Web.Authentication.ApiClientService>()
            .CreateAsync("pg-client", Presence.Web.Authentication.ApiScopes.WriteAny, null, "admin");
        Assert.Equal(200, (int)(await second.CompatAsync(HttpMethod.Put, Envelope(Token("x@example.com", secret: client.Secret), Entry("pg2@example.com", "spreed", "away")))).StatusCode);
    }
}
