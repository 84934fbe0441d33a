using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;

namespace Presence.Xmpp.Component;

/// <summary>
/// The component's subscribers (a component has no server-side roster, RFC 6121 §3 / seed 000): an in-memory set
/// kept in step with <see cref="ISubscriberStore"/>. Changes apply to the set at once and are persisted in order by
/// one background writer, so presence handling never waits for the database; a failed write is logged.
/// <see cref="DisposeAsync"/> (host shutdown) writes what is queued, then stops the writer.
/// </summary>
public sealed class SubscriberRegistry : IAsyncDisposable
{
    private readonly ISubscriberStore _store;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly HashSet<UserId> _subscribers = [];
    private readonly Channel<(UserId? User, bool Add, TaskCompletionSource? Flushed)> _writes = Channel.CreateUnbounded<(UserId?, bool, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>Creates the registry and starts its background writer.</summary>
    public SubscriberRegistry(ISubscriberStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
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

    /// <summary>Writes every change queued so far, then stops the background writer; later changes stay in memory only.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var (user, add, flushed) in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (user is null) { flushed?.TrySetResult(); continue; }
            try
            {
                if (add) await _store.AddAsync(user.Value, CancellationToken.None).ConfigureAwait(false);
                else await _store.RemoveAsync(user.Value, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Could not {Action} subscriber {User} in the store", add ? "save" : "remove", user);
            }
        }
    }
}
