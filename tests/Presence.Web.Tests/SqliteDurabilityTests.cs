using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Presence.Web.Data;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary><c>Presence:Database:Synchronous</c>: the SQLite durability level.</summary>
public sealed class SqliteDurabilityTests
{
    private static async Task<long> SynchronousPragmaAsync(PresenceApp app)
    {
        await using var ctx = await app.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContextAsync();
        var connection = ctx.Database.GetDbConnection();
        await ctx.Database.OpenConnectionAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData(null, 1L)]      // default NORMAL
    [InlineData("Normal", 1L)]
    [InlineData("Full", 2L)]
    public async Task EveryDatabaseConnectionRunsWithTheConfiguredDurability(string? setting, long pragma)
    {
        using var db = TempDatabase.Sqlite();
        var settings = new Dictionary<string, string?>();
        if (setting is not null) settings["Presence:Database:Synchronous"] = setting;
        using var app = new PresenceApp(db, settings);
        _ = app.Server;

        Assert.Equal(pragma, await SynchronousPragmaAsync(app));
        var put = await app.CompatAsync(HttpMethod.Put, PresenceApp.Envelope(PresenceApp.Token("alice@example.com"), PresenceApp.Entry("alice@example.com", "spreed", "busy")));
        Assert.Equal(200, (int)put.StatusCode);
    }

    [Theory]
    [InlineData("Off")]
    [InlineData("extra")]
    public void AnUnknownDurabilityStopsTheServiceNamingTheKeyAndTheChoices(string value)
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Database:Synchronous"] = value });
        var ex = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.IsAssignableFrom<OptionsValidationException>(ex is AggregateException a ? a.InnerExceptions[0] : ex);
        Assert.Contains("Presence:Database:Synchronous must be 'Normal' (survives a process crash) or 'Full' (also a power loss)", ex.Message);
    }
}
