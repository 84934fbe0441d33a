using Microsoft.Extensions.DependencyInjection;
using Presence.Web.Authentication;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

public sealed class ApiClientTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private readonly PresenceApp _app = fixture.App;
    private ApiClientService Clients => _app.Services.GetRequiredService<ApiClientService>();

    [Fact]
    public async Task AClientWithWriteAnyMayWriteEveryUserWithItsOwnSecret()
    {
        var created = await Clients.CreateAsync("meeting-server", ApiScopes.Read | ApiScopes.WriteAny, null, "admin");
        var token = Token("bot@example.com", secret: created.Secret);
        var r = await _app.CompatAsync(HttpMethod.Put, Envelope(token, Entry("uma@example.com", "spreed", "busy", "by bot"), Entry("vera@example.com", "spreed", "away")));
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal("by bot", _app.Get("uma@example.com")!.Get("spreed")!.Message);
        Assert.NotNull(_app.Get("vera@example.com"));
    }

    [Fact]
    public async Task AReadOnlyClientMayReadButNotWrite()
    {
        var created = await Clients.CreateAsync("reader", ApiScopes.Read, null, "admin");
        var token = Token("walt@example.com", secret: created.Secret);
        Assert.Equal(200, (int)(await _app.CompatAsync(HttpMethod.Get, Envelope(token, Entry("walt@example.com")))).StatusCode);
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, Envelope(token, Entry("walt@example.com", "spreed", "busy"))), 403, "no write scope");
        Assert.Null(_app.Get("walt@example.com"));
    }

    [Fact]
    public async Task ARevokedClientsTokensAreRefused()
    {
        var created = await Clients.CreateAsync("to-revoke", ApiScopes.WriteOwn, null, "admin");
        var token = Token("xena@example.com", secret: created.Secret);
        Assert.Equal(200, (int)(await _app.CompatAsync(HttpMethod.Put, Envelope(token, Entry("xena@example.com", "spreed", "available")))).StatusCode);
        await Clients.RevokeAsync(created.Client.Id, "admin");
        await AssertProblemAsync(await _app.CompatAsync(HttpMethod.Put, Envelope(token, Entry("xena@example.com", "spreed", "busy"))), 401, "signature");
        Assert.Equal(Presence.Domain.Model.PresenceState.Available, _app.Get("xena@example.com")!.Overall);
    }

    [Fact]
    public async Task ThePeriodicReloadSignalsAChangeOnlyWhenTheSecretsChanged()
    {
        var cache = _app.Services.GetRequiredService<ApiClientSecretCache>();
        await cache.ReloadAsync(CancellationToken.None);
        var changes = 0;
        void Count() => Interlocked.Increment(ref changes);
        cache.Changed += Count;
        try
        {
            var generation = cache.Generation;
            await cache.ReloadAsync(CancellationToken.None);
            await cache.ReloadAsync(CancellationToken.None);
            Assert.Equal((0, generation), (changes, cache.Generation)); // accepted tokens stay remembered across reloads

            var created = await Clients.CreateAsync("signals-a-change", ApiScopes.Read, null, "admin");
            Assert.Equal(1, changes);
            await Clients.RevokeAsync(created.Client.Id, "admin");
            Assert.Equal(2, changes);
            Assert.True(cache.Generation > generation);
        }
        finally
        {
            cache.Changed -= Count;
        }
    }

    [Fact]
    public async Task RotationKeepsThePreviousSecretDuringTheGracePeriodOnly()
    {
        var created = await Clients.CreateAsync("rotating", ApiScopes.WriteOwn, null, "admin");
        var rotated = await Clients.RotateAsync(created.Client.Id, TimeSpan.FromMinutes(5), "admin");
        Assert.NotEqual(created.Secret, rotated.Secret);
        foreach (var secret in new[] { created.Secret, rotated.Secret })
        {
            var r = await _app.Bearer(Token("yann@example.com", secret: secret)).GetAsync("/api/v1/presence?user=yann@example.com");
            Assert.Equal(200, (int)r.StatusCode);
        }
        await Clients.RotateAsync(created.Client.Id, TimeSpan.Zero, "admin");
        var old = await _app.Bearer(Token("yann@example.com", secret: created.Secret)).GetAsync("/api/v1/presence?user=yann@example.com");
        await AssertProblemAsync(old, 401, "signature");
    }

    [Fact]
    public async Task UsageIsCountedAndEveryChangeIsAudited()
    {
        var created = await Clients.CreateAsync("counted", ApiScopes.Read, null, "alice-admin");
        for (var i = 0; i < 3; i++)
            await _app.Bearer(Token("zoe@example.com", secret: created.Secret)).GetAsync("/api/v1/presence?user=zoe@example.com");
        await _app.Services.GetRequiredService<ApiClientUsage>().FlushAsync(default);
        var info = (await Clients.ListAsync()).Single(c => c.Name == "counted");
        Assert.Equal(3, info.UseCount);
        Assert.NotNull(info.LastUsedAt);
        var audit = await _app.Services.GetRequiredService<AdminAuditLog>().RecentAsync(50);
        Assert.Contains(audit, a => a.Actor == "alice-admin" && a.Action == "api-client.create" && a.Detail!.Contains("counted"));
    }

    [Fact]
    public async Task IssuedTestTokenWorksAndSecretsAreStoredEncrypted()
    {
        var created = await Clients.CreateAsync("tester", ApiScopes.Read | ApiScopes.WriteOwn, DateTimeOffset.UtcNow.AddDays(1), "admin");
        var token = await Clients.IssueTestTokenAsync(created.Client.Id, "amy@example.com", "admin");
        Assert.Equal(200, (int)(await _app.Bearer(token).PutAsync("/api/v1/presence/amy@example.com/spreed",
            new StringContent("{\"status\":\"busy\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        await using var db = await _app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Presence.Web.Data.PresenceDbContext>>().CreateDbContextAsync();
        var row = db.ApiClients.Single(c => c.Name == "tester");
        Assert.DoesNotContain(created.Secret, row.ProtectedSecret);
    }

    [Fact]
    public async Task DuplicateNamesAndMissingScopesAreRefused()
    {
        await Clients.CreateAsync("unique-name", ApiScopes.Read, null, "admin");
        var dup = await Assert.ThrowsAsync<ArgumentException>(() => Clients.CreateAsync("unique-name", ApiScopes.Read, null, "admin"));
        Assert.Contains("already exists", dup.Message);
        var none = await Assert.ThrowsAsync<ArgumentException>(() => Clients.CreateAsync("no-scope", ApiScopes.None, null, "admin"));
        Assert.Contains("scope", none.Message);
    }
}
