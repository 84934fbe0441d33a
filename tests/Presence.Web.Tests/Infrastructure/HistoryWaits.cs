using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Tracking;
using Presence.Web.History;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>Waits for the history writer across a database outage.</summary>
public static class HistoryWaits
{
    /// <summary>
    /// Waits (at most 60 s) until the writer has committed everything the tracker holds. While the database is
    /// unavailable a wait fails at once with <see cref="DatabaseUnavailableException"/>; the retry runs on its own
    /// backoff, so this asks again shortly after.
    /// </summary>
    public static async Task CommittedAsync(this WebApplicationFactory<Program> app)
    {
        var writer = app.Services.GetRequiredService<HistoryWriter>();
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await writer.WaitForCommitAsync(tracker.Sequence, deadline.Token);
                return;
            }
            catch (DatabaseUnavailableException)
            {
                // Still failing: the next attempt is at most HistoryRetry's cap away.
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }
    }
}
