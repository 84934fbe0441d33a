using Presence.Domain.Tracking;

namespace Presence.Web.Metrics;

/// <summary>Counts every change of the tracker's feed (consumer <c>metrics</c>) into <see cref="PresenceInstruments.Changes"/>.</summary>
internal sealed class ChangeCounter(PresenceTracker tracker) : BackgroundService
{
    private PresenceFeedSubscription? _subscription;

    /// <summary>Subscribes before the host reports started, so no change after start is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription ??= tracker.Subscribe("metrics").Subscription;
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = _subscription ?? throw new InvalidOperationException("StartAsync subscribes first");
        try
        {
            while (await subscription.WaitToReadAsync(stoppingToken))
            {
                if (subscription.ResyncRequired) subscription.Resync(); // counts are best effort: skip what was dropped
                while (subscription.TryRead(out var change))
                {
                    if (!change.ProtocolStatusChanged) continue;
                    PresenceInstruments.Changes.Add(1, new("protocol", change.Protocol), new("cause", change.Cause.ToWire()));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
