using Presence.Web.Metrics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Api;

namespace Presence.Web.Hubs;

/// <summary>
/// Pushes the tracker's changes to hub subscribers (docs/ARCHITECTURE.md §4, §9). Consumes the change feed as consumer
/// <c>signalr</c>, keeps at most one pending message per user (a newer state replaces an unsent one), and sends a
/// batch at most every <see cref="PresenceHubOptions.FlushInterval"/>: a change after an idle period goes out at once,
/// a burst for one user becomes one message per interval carrying its latest state. Each flush also sends the changed
/// users as one <see cref="IPresenceClient.PresenceChangedBatch"/> to batched all-users subscribers. When the feed overflows
/// (<see cref="PresenceFeedSubscription.ResyncRequired"/>) every user of the resync snapshot is re-sent.
/// </summary>
internal sealed class PresenceBroadcaster(
    PresenceTracker tracker,
    IHubContext<PresenceHub, IPresenceClient> hub,
    IOptions<PresenceHubOptions> options,
    ILogger<PresenceBroadcaster> logger) : BackgroundService
{
    /// <summary>Most users in one <see cref="IPresenceClient.PresenceChangedBatch"/> message.</summary>
    public const int MaxBatch = 500;

    private readonly Dictionary<UserId, UserPresence> _pending = new();
    private PresenceFeedSubscription? _subscription;
    private long _changesRead;
    private long _resyncs;

    /// <summary>Changes read from the feed so far.</summary>
    public long ChangesRead => Interlocked.Read(ref _changesRead);

    /// <summary>Times the broadcaster fell behind and resent the whole snapshot.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>Subscribes to the change feed before the host reports started, so no change after start is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription ??= tracker.Subscribe("signalr", options.Value.FeedCapacity).Subscription;
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FlushInterval;
        using var subscription = _subscription ?? throw new InvalidOperationException("StartAsync subscribes first");
        try
        {
            while (await subscription.WaitToReadAsync(stoppingToken))
            {
                Drain(subscription);
                await FlushAsync(stoppingToken);
                if (interval > TimeSpan.Zero) await Task.Delay(interval, tracker.Time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Drain(PresenceFeedSubscription subscription)
    {
        if (subscription.ResyncRequired)
        {
            var snapshot = subscription.Resync();
            Interlocked.Increment(ref _resyncs);
            logger.LogWarning("Hub broadcaster fell behind the change feed ({Dropped} changes dropped so far); re-sending {Users} users", subscription.Dropped, snapshot.Users.Count);
            foreach (var user in snapshot.Users) _pending[user.User] = user;
        }
        var read = 0L;
        while (subscription.TryRead(out var change))
        {
            _pending[change.User] = change.After;
            read++;
        }
        Interlocked.Add(ref _changesRead, read);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0) return;
        var sends = new List<Task>(_pending.Count + 1 + _pending.Count / MaxBatch);
        var batch = new List<UserPresenceDto>(Math.Min(_pending.Count, MaxBatch));
        foreach (var (user, presence) in _pending)
        {
            var message = UserPresenceDto.From(presence);
            sends.Add(hub.Clients.Groups(PresenceGroups.All, PresenceGroups.ForUser(user)).PresenceChanged(message));
            batch.Add(message);
            if (batch.Count == MaxBatch)
            {
                sends.Add(hub.Clients.Group(PresenceGroups.AllBatched).PresenceChangedBatch(batch));
                batch = new List<UserPresenceDto>(MaxBatch);
            }
        }
        if (batch.Count > 0) sends.Add(hub.Clients.Group(PresenceGroups.AllBatched).PresenceChangedBatch(batch));
        PresenceInstruments.HubMessagesSent.Add(_pending.Count);
        _pending.Clear();
        try
        {
            await Task.WhenAll(sends).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed write concerns one connection (it is being closed); the others received the message.
            logger.LogDebug(ex, "A hub push failed");
        }
    }
}
