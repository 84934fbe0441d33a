using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Api;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests.Support;

/// <summary>
/// The real service in-process on its own SQLite file, shared by the tests of one class: component tests take its
/// tracker, history and API client services (real database) as the fallback of their bunit context.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly TempDatabase _database = TempDatabase.Sqlite();

    public PresenceApp App { get; private set; } = default!;

    public IServiceProvider Services => App.Services;

    public PresenceTracker Tracker => App.Tracker;

    public Task InitializeAsync()
    {
        App = new PresenceApp(_database);
        _ = App.Services; // start the host: migrations applied, history writer running
        return Task.CompletedTask;
    }

    /// <summary>Applies updates and waits until their history is committed (as an API write does).</summary>
    public async Task ApplyAsync(params PresenceUpdate[] updates)
    {
        foreach (var update in updates)
        {
            var (_, committed) = await Services.GetRequiredService<PresenceWriter>().ApplyAsync([update], CancellationToken.None);
            Assert.True(committed, "the history was not committed");
        }
    }

    /// <summary>Sets a user's spreed status and waits for its history.</summary>
    public Task SpreedAsync(string user, PresenceState state, string message = "") =>
        ApplyAsync(new ProtocolStatusUpdate(UserId.Parse(user), Protocols.Spreed, state, message));

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        _database.Dispose();
    }
}
