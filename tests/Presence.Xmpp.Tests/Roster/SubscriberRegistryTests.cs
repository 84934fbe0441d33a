using Microsoft.Extensions.Logging.Abstractions;
using Presence.Domain.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Presence.Xmpp.Roster;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests.Roster;

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

/// <summary>Subscriber changes made while the database is unavailable (Polly.Core retry on a fake clock).</summary>
public sealed class SubscriberRegistryOutageTests
{
    /// <summary>A store that is down (every write throws) until <see cref="Recover"/>; records each attempt and each write.</summary>
    private sealed class OutageStore : ISubscriberStore
    {
        private volatile bool _down = true;
        public readonly List<string> Written = [];
        public readonly SemaphoreSlim Attempted = new(0);
        public int Attempts;

        public void Recover() => _down = false;

        public Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
        public Task AddAsync(string bareJid, CancellationToken cancellationToken) => Write("+" + bareJid);
        public Task RemoveAsync(string bareJid, CancellationToken cancellationToken) => Write("-" + bareJid);

        private Task Write(string change)
        {
            Interlocked.Increment(ref Attempts);
            try
            {
                if (_down) return Task.FromException(new IOException("database is locked"));
                lock (Written) Written.Add(change);
                return Task.CompletedTask;
            }
            finally { Attempted.Release(); }
        }
    }

    private static async Task NextAttemptAsync(OutageStore store) =>
        Assert.True(await store.Attempted.WaitAsync(TimeSpan.FromSeconds(10)), "no further write attempt came");

    /// <summary>Advances the clock by the longest backoff until <paramref name="done"/> completes (the retry's timer may be set just after the previous attempt was seen).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task done)
    {
        for (var i = 0; i < 50; i++)
        {
            time.Advance(SubscriberRegistry.MaxRetryDelay);
            if (await Task.WhenAny(done, Task.Delay(TimeSpan.FromMilliseconds(200))) == done) return;
        }
        Assert.Fail("the retry did not come after its backoff");
    }

    [Fact]
    public async Task ChangesMadeDuringAnOutageAreWrittenInOrderOnceTheStoreRecovers()
    {
        var time = new FakeTimeProvider();
        var store = new OutageStore();
        var log = new ListLoggerProvider();
        await using var registry = new SubscriberRegistry(store, log.CreateLogger("registry"), time);
        registry.Add(UserId.Parse("alice@localhost"));
        registry.Add(UserId.Parse("bob@localhost"));
        registry.Remove(UserId.Parse("alice@localhost"));
        await NextAttemptAsync(store); // alice's add failed: the retry waits

        for (var i = 0; i < 5; i++) // five more failed attempts, each after its backoff
            await AdvanceUntilAsync(time, store.Attempted.WaitAsync(Timeout.Infinite));
        Assert.Empty(store.Written);
        Assert.Equal(6, store.Attempts); // later changes wait behind the failing one
        store.Recover();
        var flushed = registry.FlushAsync();

        await AdvanceUntilAsync(time, flushed);
        Assert.Equal(["+alice@localhost", "+bob@localhost", "-alice@localhost"], store.Written);
        Assert.Equal(["bob@localhost"], registry.Current.Select(u => u.Value));
        Assert.Single(log.Lines, l => l.Contains("Could not save subscriber alice@localhost")); // warned once per outage, not per attempt
    }

    [Fact]
    public async Task AStopDuringTheOutageEndsTheRetriesAfterOneLastAttempt()
    {
        var time = new FakeTimeProvider();
        var store = new OutageStore();
        var registry = new SubscriberRegistry(store, NullLogger.Instance, time);
        registry.Add(UserId.Parse("alice@localhost"));
        await NextAttemptAsync(store);

        await registry.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var attempts = store.Attempts;
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(2, attempts); // the failed one and the last one at shutdown
        Assert.Equal(2, store.Attempts); // nothing after the stop
        Assert.Empty(store.Written);
    }
}
