namespace Presence.Domain.Tracking;

/// <summary>Counters of one feed consumer.</summary>
/// <param name="Name">Consumer name.</param>
/// <param name="Capacity">Queue capacity.</param>
/// <param name="Pending">Queued now.</param>
/// <param name="Delivered">Read so far.</param>
/// <param name="Dropped">Dropped because the consumer was slow.</param>
/// <param name="Resyncs">Resynchronisations from a snapshot.</param>
public sealed record FeedStatistics(string Name, int Capacity, int Pending, long Delivered, long Dropped, long Resyncs);
