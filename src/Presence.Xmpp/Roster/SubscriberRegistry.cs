using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Presence.Domain.Model;
using Presence.Xmpp.Resilience;

namespace Presence.Xmpp.Roster;

/// <summary>
/// The component's subscribers (a component has no server-side roster, RFC 6121 §3): an in-memory set
/// kept in step with <see cref="ISubscriberStore"/>. Changes apply to the set at once and are persisted in order by
/// one background writer, so presence handling never waits for the database. A failed write (database outage) is
/// retried by <see cref="Backoff"/> (Polly.Core: from <see cref="MinRetryDelay"/> doubling to <see cref="MaxRetryDelay"/>,
/// jittered, reset by a success) while later changes wait behind it, so the store receives every change in the order it
/// was made. <see cref="DisposeAsync"/> (host shutdown) ends a retry wait at once and tries each queued change once more
/// without retrying; a change that still fails is logged as not saved.
/// </summary>
public sealed class SubscriberRegistry : IAsyncDisposable
{
    private readonly ISubscriberStore _store;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly HashSet<UserId> _subscribers = [];
    private readonly Channel<(UserId? User, bool Add, TaskCompletionSource? Flushed)> _writes = Channel.CreateUnbounded<(UserId?, bool, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ResiliencePipeline _retry;
    private readonly Task _writer;

    /// <summary>Longest delay before the first retry of a failed store write (200 ms; jittered down to 100 ms).</summary>
    public static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two attempts of a failed store write (10 s).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Creates the registry and starts its background writer.</summary>
    /// <param name="store">Where changes are persisted.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock of the retry delays; <see cref="TimeProvider.System"/> when <c>null</c>.</param>
    public SubscriberRegistry(ISubscriberStore store, ILogger logger, TimeProvider? time = null)
    {
        _store = store;
        _logger = logger;
        _retry = Backoff.Build(MinRetryDelay, MaxRetryDelay, time ?? TimeProvider.System, jitter: true, onRetry: OnRetryAsync);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The current subscribers.</summary>
    public IReadOnlyCollection<UserId> Current { get { lock (_gate) return [.. _subscribers]; } }

    /// <summary>Reloads from the store (merged with changes not yet written) and returns every subscriber.</summary>
    /// <exception cref="Exception">Whatever the store throws; the caller logs it and uses <see cref="Current"/>.</exception>
    public async Task<IReadOnlyCollection<UserId>> LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.GetAllAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var s in stored)
            {
                if (UserId.TryParse(s, out var id, out var error)) _subscribers.Add(id);
                else _logger.LogWarning("Ignoring stored subscriber '{Jid}': {Error}", s, error);
            }
            return [.. _subscribers];
        }
    }

    /// <summary>Whether <paramref name="user"/> is a subscriber now.</summary>
    public bool Contains(UserId user)
    {
        lock (_gate) return _subscribers.Contains(user);
    }

    /// <summary>Adds a subscriber (idempotent).</summary>
    /// <returns><c>true</c> when it was not a subscriber before.</returns>
    public bool Add(UserId user)
    {
        lock (_gate) if (!_subscribers.Add(user)) return false;
        _writes.Writer.TryWrite((user, true, null));
        return true;
    }

    /// <summary>Removes a subscriber (idempotent).</summary>
    public void Remove(UserId user)
    {
        lock (_gate) _subscribers.Remove(user);
        _writes.Writer.TryWrite((user, false, null));
    }

    /// <summary>Completes when every change queued so far is written (for tests and shutdown).</summary>
    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Writer.TryWrite((null, false, flushed));
        return flushed.Task;
    }

    /// <summary>
    /// Stops retrying, tries every change queued so far once, then stops the background writer; later changes stay in
    /// memory only.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var (user, add, flushed) in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (user is null) { flushed?.TrySetResult(); continue; }
            var change = new Change(user, add);
            try
            {
                if (_stopping.IsCancellationRequested) await WriteAsync(change).ConfigureAwait(false); // stopping: one attempt, no retry
                else
                {
                    try
                    {
                        await _retry.ExecuteAsync(static (c, _) => c.Registry.WriteAsync(c.Change), (Registry: this, Change: change), _stopping.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                    {
                        await WriteAsync(change).ConfigureAwait(false); // stopped during a retry wait: one last attempt
                    }
                }
                if (change.Failures > 0)
                    _logger.LogInformation("Subscriber {User} {Action} in the store after {Failures} failed attempts", user, add ? "saved" : "removed", change.Failures);
            }
            catch (Exception ex)
            {
                _logger.LogError("Subscriber {User} was not {Action} in the store before shutdown: {Error}", user, add ? "saved" : "removed", (ex.InnerException ?? ex).Message);
            }
        }
    }

    private async ValueTask WriteAsync(Change change)
    {
        try
        {
            if (change.Add) await _store.AddAsync(change.User.Value, CancellationToken.None).ConfigureAwait(false);
            else await _store.RemoveAsync(change.User.Value, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            change.Failures++;
            throw new SubscriberWriteException(change, ex);
        }
    }

    private ValueTask OnRetryAsync(Exception? failure, TimeSpan delay, int retry)
    {
        if (failure is SubscriberWriteException { Change: var change } write && change.Failures == 1)
            _logger.LogWarning("Could not {Action} subscriber {User} in the store: {Error}; retrying after {Delay:0.0} s, backing off up to {Max:0} s (later subscriber changes wait)",
                change.Add ? "save" : "remove", change.User, write.InnerException!.Message, delay.TotalSeconds, MaxRetryDelay.TotalSeconds);
        return default;
    }

    private sealed class Change(UserId user, bool add)
    {
        public readonly UserId User = user;
        public readonly bool Add = add;
        public int Failures;
    }

    private sealed class SubscriberWriteException(Change change, Exception inner) : Exception(inner.Message, inner)
    {
        public Change Change { get; } = change;
    }
}
