using Microsoft.Extensions.Logging.Abstractions;
using Presence.Domain.Model;
using Presence.Xmpp.Component;

namespace Presence.Xmpp.Tests.Component;

/// <summary>The subscriber list's background writer at shutdown.</summary>
public sealed class SubscriberRegistryTests
{
    /// <summary>A store whose writes wait until released, so changes queue up behind the first.</summary>
    private sealed class GatedStore : ISubscriberStore
    {
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<string> Written = [];

        public Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

        public async Task AddAsync(string bareJid, CancellationToken cancellationToken)
        {
            await Release.Task;
            lock (Written) Written.Add("+" + bareJid);
        }

        public async Task RemoveAsync(string bareJid, CancellationToken cancellationToken)
        {
            await Release.Task;
            lock (Written) Written.Add("-" + bareJid);
        }
    }

    [Fact]
    public async Task ShutdownWritesEveryQueuedChangeInOrderBeforeItCompletes()
    {
        var store = new GatedStore();
        var registry = new SubscriberRegistry(store, NullLogger.Instance);
        registry.Add(UserId.Parse("alice@localhost"));
        registry.Add(UserId.Parse("bob@localhost"));
        registry.Remove(UserId.Parse("alice@localhost"));

        var shutdown = registry.DisposeAsync().AsTask();
        Assert.False(shutdown.IsCompleted, "shutdown completed before the queued writes");
        store.Release.SetResult();
        await shutdown.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["+alice@localhost", "+bob@localhost", "-alice@localhost"], store.Written);
    }
}
